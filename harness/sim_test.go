package harness

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Flags (or the environment variables in brackets) steer the seed sweep:
//
//	go test ./harness -run Sim -sim.seeds 1000        [REPLSIM_SEEDS]
//	go test ./harness -run Sim -sim.seed 42           [REPLSIM_SEED]
//	go test ./harness -run Sim -sim.bug stale-read    [REPLSIM_BUG]
var (
	flagSeeds = flag.Int("sim.seeds", envInt("REPLSIM_SEEDS", 200), "seeds in the sweep")
	flagStart = flag.Uint64("sim.start", uint64(envInt("REPLSIM_START", 1)), "first seed of the sweep")
	flagSeed  = flag.Uint64("sim.seed", uint64(envInt("REPLSIM_SEED", 0)), "run only this seed")
	flagBug   = flag.String("sim.bug", os.Getenv("REPLSIM_BUG"), "planted bug to switch on")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// sweep runs seeds on all cores and returns the results in seed order.
func sweep(seeds []uint64, opts Options) []*Result {
	out := make([]*Result, len(seeds))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := opts
				o.Seed = seeds[i]
				out[i] = Run(o)
			}
		}()
	}
	for i := range seeds {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func seedRange(start uint64, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = start + uint64(i)
	}
	return s
}

// TestSimSweep runs a fixed range of seeds as `replsim run` does (faults
// on); every one must pass. TestSimSweepNoFaults does the same without
// faults, so a failure there is the workload and topology alone.
func TestSimSweep(t *testing.T) { simSweep(t, Options{}) }

// TestSimSweepNoFaults sweeps the same seeds with no fault steps.
func TestSimSweepNoFaults(t *testing.T) { simSweep(t, Options{NoFaults: true}) }

func simSweep(t *testing.T, opts Options) {
	seeds := seedRange(*flagStart, *flagSeeds)
	if *flagSeed != 0 {
		seeds = []uint64{*flagSeed}
	}
	if *flagBug != "" {
		opts.Bugs = []string{*flagBug}
	}
	require.NoError(t, opts.Validate())
	failed := 0
	for _, res := range sweep(seeds, opts) {
		if !res.Passed() {
			failed++
			t.Errorf("seed %d: %s\n%sreproduce: %s", res.Seed, res.Verdict, res.Summary(), res.Repro())
		}
	}
	t.Logf("%d seeds, %d failed", len(seeds), failed)
}

// TestSimDeterminism runs seeds twice and requires identical traces.
func TestSimDeterminism(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42, 1234567} {
		a := Run(Options{Seed: seed, KeepTrace: true})
		b := Run(Options{Seed: seed, KeepTrace: true})
		require.Equal(t, a.TraceHash, b.TraceHash, "seed %d replayed differently", seed)
		require.Equal(t, a.Trace, b.Trace, "seed %d", seed)
		assert.Len(t, a.TraceHash, 16)
		assert.NotEmpty(t, a.Trace)
	}
	assert.NotEqual(t, Run(Options{Seed: 1}).TraceHash, Run(Options{Seed: 2}).TraceHash)
}

// TestSimCheckerBitesStaleRead: a master that sometimes answers GET with a
// key's previous value must fail linearizability, naming the key and the
// operations involved.
func TestSimCheckerBitesStaleRead(t *testing.T) {
	res := Run(Options{Seed: 3, NoFaults: true, Bugs: []string{"stale-read"}})
	require.Equal(t, VerdictFail, res.Verdict)
	require.NotEmpty(t, res.Violations)
	v := res.Violations[0]
	assert.Equal(t, "linearizability", v.Check)
	assert.Regexp(t, `^key (d1:)?k\d+: `, v.Detail)
	assert.Contains(t, v.Detail, "Cannot follow: client")
	assert.Regexp(t, `GET (d1:)?k`, v.Detail)
}

// TestSimCheckerBitesDroppedReplication: a master that loses a write on the
// way to its replica must fail convergence within a few seeds, naming the
// replica and the differing key.
func TestSimCheckerBitesDroppedReplication(t *testing.T) {
	for _, res := range sweep(seedRange(1, 30), Options{NoFaults: true, Bugs: []string{"drop-propagation"}}) {
		if res.Passed() {
			continue
		}
		for _, v := range res.Violations {
			if v.Check == "convergence" {
				assert.Regexp(t, `replica n\d+'s dataset differs from master n1's at offset \d+: db\d+ key (d\d+:)?[a-z]\d+: master .*, replica `, v.Detail)
				return
			}
		}
	}
	t.Fatal("30 seeds with drop-propagation and no convergence violation")
}

func TestRunRejectsUnknownBug(t *testing.T) {
	err := Options{Bugs: []string{"nope"}}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown bug "nope"`)
}

func ExampleResult_Repro() {
	r := &Result{Seed: 42, Bugs: []string{"stale-read"}}
	fmt.Println(r.Repro())
	// Output: go run ./cmd/replsim run --seed 42 --bug stale-read
}

// TestSimBothResyncKindsOccur: with link resets and promotions in the
// schedules, seeds exercise both full and partial resyncs (issue: PSYNC
// must resume without an RDB when the backlog allows).
func TestSimBothResyncKindsOccur(t *testing.T) {
	var full, partial int64
	promoted := 0
	for _, res := range sweep(seedRange(1, 100), Options{}) {
		full += res.Stats["sync_full"]
		partial += res.Stats["sync_partial_ok"]
		if res.Faults["op_promote"] > 0 {
			promoted++
		}
		require.True(t, res.Passed(), "seed %d: %s", res.Seed, res.Summary())
	}
	assert.Greater(t, full, int64(100))
	assert.Greater(t, partial, int64(20))
	assert.Greater(t, promoted, 20)
}
