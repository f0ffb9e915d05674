package harness

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkStandardSeed runs the standard chaos scenario (StandardOptions),
// checks included, one seed per iteration.
func BenchmarkStandardSeed(b *testing.B) {
	b.ReportAllocs()
	seed := uint64(1)
	for b.Loop() {
		res := Run(StandardOptions(seed))
		if res.Verdict == VerdictFail {
			b.Fatalf("standard seed %d failed:\n%s", seed, res.Summary())
		}
		seed++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
}

// BenchmarkFaultFreeOps measures simulated client operations per second of
// wall time: 4 clients, 1,000 operations, a master and 2 replicas, no faults.
func BenchmarkFaultFreeOps(b *testing.B) {
	b.ReportAllocs()
	ops := 0
	seed := uint64(1)
	for b.Loop() {
		r, err := RunFaultFree(seed, 4, 1000, 2)
		if err != nil {
			b.Fatal(err)
		}
		ops += r.Ops
		seed++
	}
	b.ReportMetric(float64(ops)/b.Elapsed().Seconds(), "ops/s")
}

func TestRunFaultFree(t *testing.T) {
	r, err := RunFaultFree(5, 2, 200, 2)
	require.NoError(t, err)
	require.Equal(t, 200, r.Ops, "no faults: every operation gets its reply")
	require.Positive(t, r.SimTime)
	again, err := RunFaultFree(5, 2, 200, 2)
	require.NoError(t, err)
	require.Equal(t, r, again)
}

func TestStandardOptionsPass(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		res := Run(StandardOptions(seed))
		require.True(t, res.Passed(), res.Summary())
	}
}
