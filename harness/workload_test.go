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
// exactly: the same trace hash, over many seeds (those with bad-auth
// clients too) and both with and without faults.
func TestWorkloadReplayIsExact(t *testing.T) {
	seeds := seedRange(1, 60)
	if testing.Short() {
		seeds = seedRange(1, 8)
	}
	kinds := map[checker.OpKind]bool{}
	repeated := false
	withBad := 0
	for _, noFaults := range []bool{false, true} {
		base := Options{Ops: 300, NoFaults: noFaults}
		for _, res := range sweep(seeds, base) {
			l := res.Workload
			require.NotNil(t, l)
			bad := 0
			for i := range res.MasterOps {
				if res.MasterOps[i].Auth != nil {
					bad++
				}
			}
			if bad > 0 {
				withBad++
				require.NotEmpty(t, l.Auth, "seed %d: its bad-auth clients are in the list", res.Seed)
			}
			require.Len(t, l.Ops, len(res.MasterOps)+len(res.ReplicaOps), "seed %d: every operation is in the list", res.Seed)
			back, err := cluster.ParseOps("recorded", l.Format())
			require.NoError(t, err, "seed %d", res.Seed)
			repeated = repeated || strings.Contains(l.Format(), `"*`)
			for _, o := range l.Ops {
				kinds[o.Op.Kind] = true
			}
			requireSameList(t, l, back, "seed %d: the list reads back as itself", res.Seed)
			for _, list := range []*cluster.OpList{back, back.WithoutTimes()} {
				o := base
				o.Seed, o.Workload = res.Seed, list
				again := Run(o)
				assert.Equal(t, res.TraceHash, again.TraceHash, "seed %d (no faults %v) replayed from its list", res.Seed, noFaults)
				assert.Equal(t, res.Verdict, again.Verdict, "seed %d", res.Seed)
			}
		}
	}
	assert.Positive(t, withBad, "no seed with bad-auth clients was replayed")
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
