package cluster

import (
	"testing"
	"time"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The liveness input of a healed two-node cluster: the anchor is the
// master's offset at the heal, the replica's hop carries the link's
// latency and repl-timeout, a blackhole between the two marks it silenced
// and cuts the network, and the replica's state at the heal is sampled.
func TestLivenessInputAfterHeal(t *testing.T) {
	h := New(sim.NewWorld(7), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1", ReplTimeoutSec: 90}))
	require.NoError(t, h.Start("n3", NodeOptions{ReplicaOf: "n2"}))
	h.RunFor(3 * sim.Second) // the first syncs wait Redis's 5 s diskless delay
	assert.False(t, h.LivenessInput(h.Clocks()).Healed, "no heal yet")

	h.Note("net_blackhole", "n3", "n3->n2")
	h.Heal()
	healAt := int64(h.w.Now())
	masterAt := h.Node("n1").node.Repl()
	require.True(t, h.WaitConverged(20*sim.Second))

	in := h.LivenessInput(h.Clocks())
	require.True(t, in.Healed)
	assert.Equal(t, healAt, in.HealAt)
	assert.Equal(t, healAt, in.AnchorAt)
	assert.Equal(t, masterAt.Offset, in.AnchorOffset)
	assert.Equal(t, "n1", in.Master)
	assert.Equal(t, h.Node("n1").node.Repl().ReplID, in.ReplID)
	assert.True(t, in.NetCut)
	require.Len(t, in.Replicas, 2)
	direct, chained := in.Replicas[0], in.Replicas[1]
	assert.Equal(t, "n2", direct.Name)
	require.Len(t, direct.Hops, 1)
	hop := direct.Hops[0]
	assert.Equal(t, "n1", hop.Master)
	assert.Equal(t, int64(90*sim.Second), hop.ReplTimeout, "the larger of the two nodes' repl-timeouts")
	assert.Positive(t, hop.Latency)
	assert.False(t, hop.Silenced)
	assert.Equal(t, "n3", chained.Name)
	require.Len(t, chained.Hops, 2)
	assert.Equal(t, [2]string{"n2", "n3"}, [2]string{chained.Hops[1].Master, chained.Hops[1].Replica})
	assert.True(t, chained.Hops[1].Silenced, "the blackhole n3->n2")

	var sampled []string
	for _, s := range in.Samples {
		if s.At == healAt {
			sampled = append(sampled, s.Node)
		}
	}
	assert.Equal(t, []string{"n1", "n2", "n3"}, sampled)
	assert.True(t, hop.Diskless)
	assert.Equal(t, int64(5*sim.Second), hop.DisklessDelay)
	vs, st := checker.CheckLiveness(in)
	assert.Empty(t, vs)
	assert.Equal(t, 2, st.Judged, "both caught up after the heal")
	assert.Equal(t, 1, st.MostSyncs)
}

// Seed 1048042: the heal resumed a master whose SHUTDOWN was pending; it
// exited and restarted at the heal's instant, but after the heal was
// noted, with a new history from offset 0. The anchor is that restart,
// not the master's old offset at the heal, which its new history only
// reaches once as many bytes were written again.
func TestLivenessInputMasterRestartedAtTheHealInstant(t *testing.T) {
	h := New(sim.NewWorld(7), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	require.True(t, h.WaitConverged(20*sim.Second))
	for _, k := range []string{"a", "b", "c"} {
		require.NoError(t, h.execOK("n1", "SET", k, "value"))
	}
	require.True(t, h.WaitConverged(5*sim.Second))
	before := h.Node("n1").node.Repl()
	require.Positive(t, before.Offset)

	h.SetHealed(true)
	_, _ = h.Exec("n1", "SHUTDOWN", "NOSAVE") // no reply: it exits, from an event at this instant
	require.True(t, h.Node("n1").up && h.Node("n1").node.Down())
	h.Heal()
	healAt := int64(h.w.Now())
	h.RunFor(sim.Second)
	require.True(t, h.WaitConverged(20*sim.Second))

	require.Len(t, h.rec.restarts, 1)
	rs := h.rec.restarts[0]
	require.Equal(t, "n1", rs.Node)
	require.Equal(t, healAt, rs.RestartAt, "restarted at the heal's instant")
	require.Less(t, rs.Repl.Offset, before.Offset, "a new history")

	in := h.LivenessInput(h.Clocks())
	assert.Equal(t, healAt, in.AnchorAt)
	assert.Equal(t, rs.Repl.Offset, in.AnchorOffset)
	vs, st := checker.CheckLiveness(in)
	assert.Empty(t, vs)
	assert.Equal(t, 1, st.Judged)
	assert.Less(t, st.Slowest, 10*time.Second)
}
