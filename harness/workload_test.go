package harness

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run's recorded operation list reads back as the same list, and
// replaying it (with or without its times) reproduces the seeded run
// exactly: the same trace hash, over many seeds and both with and without
// faults.
func TestWorkloadReplayIsExact(t *testing.T) {
	seeds := seedRange(1, 60)
	if testing.Short() {
		seeds = seedRange(1, 8)
	}
	kinds := map[checker.OpKind]bool{}
	repeated := false
	replayed := 0
	for _, noFaults := range []bool{false, true} {
		base := Options{Ops: 300, NoFaults: noFaults}
		for _, res := range sweep(seeds, base) {
			l := res.Workload
			require.NotNil(t, l)
			listed, bad := 0, 0 // the bad-auth clients are not in the list, and a replay has none (cluster/clients_auth.go)
			for _, ops := range [][]checker.Op{res.MasterOps, res.ReplicaOps} {
				for i := range ops {
					if ops[i].Auth == nil {
						listed++
					} else {
						bad++
					}
				}
			}
			require.Len(t, l.Ops, listed, "seed %d: every operation but the bad-auth clients' is in the list", res.Seed)
			back, err := cluster.ParseOps("recorded", l.Format())
			require.NoError(t, err, "seed %d", res.Seed)
			repeated = repeated || strings.Contains(l.Format(), `"*`)
			for _, o := range l.Ops {
				kinds[o.Op.Kind] = true
			}
			requireSameList(t, l, back, "seed %d: the list reads back as itself", res.Seed)
			if bad > 0 {
				continue // its replay lacks the bad-auth clients, so it is another run
			}
			replayed++
			for _, list := range []*cluster.OpList{back, back.WithoutTimes()} {
				o := base
				o.Seed, o.Workload = res.Seed, list
				again := Run(o)
				assert.Equal(t, res.TraceHash, again.TraceHash, "seed %d (no faults %v) replayed from its list", res.Seed, noFaults)
				assert.Equal(t, res.Verdict, again.Verdict, "seed %d", res.Seed)
			}
		}
	}
	assert.Positive(t, replayed, "no seed without bad-auth clients was replayed")
	if !testing.Short() {
		for k := checker.OpGet; k <= checker.OpCmd; k++ {
			assert.True(t, kinds[k], "no %s in any list: the test does not cover it", k)
		}
		assert.True(t, repeated, "no big value written \"x\"*N in any list")
	}
}

// requireSameList compares two lists operation by operation (a whole-list
// diff is unreadable).
func requireSameList(t *testing.T, want, got *cluster.OpList, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, want.DBs, got.DBs, msgAndArgs...)
	require.Len(t, got.Ops, len(want.Ops), msgAndArgs...)
	for i := range want.Ops {
		require.Equal(t, want.Ops[i], got.Ops[i], "operation %d: %s", i+1, cluster.FormatCommand(&want.Ops[i].Op))
	}
}
