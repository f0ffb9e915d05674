package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drop is master n1 dropping replica n2 at 12 s, behind by behind bytes,
// under client-output-buffer-limit replica hard soft 0 and a backlog.
func drop(behind, hard, soft, backlog int64) ObufDrop {
	return ObufDrop{At: 12 * sec, Master: "n1", Replica: "n2", Behind: behind, Hard: hard, Soft: soft, Backlog: backlog}
}

// A drop is judged against the smaller of the soft limit and the hard
// limit raised to the backlog size; a replica whose lag is unknown is not
// judged.
func TestObufDropsJustified(t *testing.T) {
	for name, d := range map[string]ObufDrop{
		"over the backlog":            drop(1<<20, 1024, 0, 1<<20),
		"over the hard limit":         drop(2<<20, 2<<20, 0, 1<<20),
		"over the soft limit":         drop(5000, 1024, 4096, 1<<20),
		"within the +CONTINUE slack":  drop(16384-obufSlack, 16384, 0, 16384),
		"on another history":          drop(-1, 1024, 0, 1<<20),
		"soft under the raised limit": drop(70000, 16384, 65536, 1<<20),
	} {
		assert.Empty(t, CheckObufDrops([]ObufDrop{d}), name)
	}
	vs := CheckObufDrops([]ObufDrop{drop(1530, 1024, 65536, 1<<20)})
	require.Len(t, vs, 1)
	assert.Equal(t, PropLiveness, vs[0].Check)
	assert.Equal(t, []string{"n1", "n2"}, vs[0].Nodes)
	assert.Equal(t, "master n1 dropped replica n2 at 12.000000s for overcoming its output buffer limit, but the replica was only 1530 bytes behind, under the 65536 the limit allows (client-output-buffer-limit replica 1024 65536 0, repl-backlog-size 1048576: Redis raises a hard limit under the backlog size to it)", vs[0].Detail)
	assert.Len(t, CheckObufDrops([]ObufDrop{drop(100, 0, 0, 1<<20)}), 1, "no limit set: no drop is justified")
}

// The liveness check judges the drops even when the run never healed.
func TestLivenessJudgesObufDrops(t *testing.T) {
	vs, _ := CheckLiveness(LivenessInput{ObufDrops: []ObufDrop{drop(10, 1024, 0, 1<<20)}})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "only 10 bytes behind")
}

// A resync loop or a late catch-up after the heal is Redis's known
// full-resync-loop hazard when the master justly dropped the replica for
// its output buffer after the heal; a drop before the heal (whose limit
// the heal may have lifted) excuses nothing.
func TestLivenessObufLoopIsAHazard(t *testing.T) {
	in := caughtUpBy(healed(), 14*sec)
	sync := func(at int64) FullSync { return FullSync{At: at, Node: "n2", Master: "n1", ReplID: "R", Offset: 10} }
	in.FullSyncs = []FullSync{sync(11 * sec), sync(12 * sec), sync(13 * sec)}
	before := drop(1<<20, 1024, 0, 1<<20)
	before.At = 9 * sec
	in.ObufDrops = []ObufDrop{before}
	vs := livenessOf(in)
	require.Len(t, vs, 2)
	assert.Equal(t, PropLiveness, vs[0].Check, "a loop")
	assert.Equal(t, PropLiveness, vs[1].Check, "over its budget")

	in.ObufDrops = append(in.ObufDrops, drop(1<<20, 1024, 0, 1<<20))
	vs = livenessOf(in)
	require.Len(t, vs, 2)
	for _, v := range vs {
		assert.Equal(t, PropHazard, v.Check)
	}
	assert.Equal(t, "known hazard: full-resync loop: resync loop: replica n2 completed 3 full syncs after the heal at 10.000000s, more than 2 for its link n1 -> n2, driven by n1 dropping n2 for its output buffer (client-output-buffer-limit replica 1024 0 0 below the write rate; first at 12.000000s)", vs[0].Detail)
	assert.Contains(t, vs[1].Detail, "known hazard: replica n2 caught up with master n1")

	// A replica chained below n2 resyncs each time n2 does: the same
	// hazard (gate seed 3016376).
	chained := in
	chained.Replicas = []LivenessReplica{{Name: "n3", Hops: []Hop{{Master: "n1", Replica: "n2", Latency: ms, ReplTimeout: 60 * sec},
		{Master: "n2", Replica: "n3", Latency: ms, ReplTimeout: 60 * sec}}}}
	for _, at := range []int64{11, 11, 12, 12, 13} {
		chained.FullSyncs = append(chained.FullSyncs, FullSync{At: at * sec, Node: "n3", Master: "n2", ReplID: "R", Offset: 10})
	}
	vs = livenessOf(chained)
	require.NotEmpty(t, vs)
	assert.Equal(t, PropHazard, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "resync loop: replica n3 completed 5 full syncs")
	assert.Contains(t, vs[0].Detail, "driven by n1 dropping n2 for its output buffer")
	chained.ObufDrops = chained.ObufDrops[:1]
	vs = livenessOf(chained)
	require.NotEmpty(t, vs)
	assert.Equal(t, PropLiveness, vs[0].Check, "no drop after the heal: a loop")

	in.ObufDrops[1].Behind = 100 // an unjustified drop excuses nothing, and is flagged itself
	vs = livenessOf(in)
	require.Len(t, vs, 3)
	for _, v := range vs {
		assert.Equal(t, PropLiveness, v.Check)
	}
}
