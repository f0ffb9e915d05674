package cluster

import (
	"testing"

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
