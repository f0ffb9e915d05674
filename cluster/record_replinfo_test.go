package cluster

import (
	"testing"

	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reading ROLE for the INFO judges after the run changes nothing: run as
// a command on a master over maxmemory it evicted a key and propagated the
// DEL after the run had converged, so the replicas looked 21 bytes behind
// (seed 1906).
func TestReplInfoInputEvictsNothing(t *testing.T) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	for _, k := range []string{"a", "b", "c"} {
		_, err := h.Exec("n1", "SET", k, "v", "EX", "1000")
		require.NoError(t, err)
	}
	_, err := h.Exec("n1", "CONFIG", "SET", "maxmemory-policy", "volatile-lru")
	require.NoError(t, err)
	_, err = h.Exec("n1", "CONFIG", "SET", "maxmemory", "1")
	require.NoError(t, err)
	n1 := h.nodes[0].node
	before := n1.Dataset()
	require.Len(t, before, 3)

	in := h.ReplInfoInput()
	require.Len(t, in.Nodes, 1)
	assert.True(t, in.Nodes[0].Up)
	assert.Contains(t, in.Nodes[0].Info, "role:master")
	assert.Zero(t, h.Evictions())
	assert.Equal(t, before, n1.Dataset())
}

// Each node's entry carries its clock and its latest replicationCron, and
// a replica's whether the master end of its link has closed while the
// close is still on its way to it (seeds 2002504, 2004306).
func TestReplInfoInputCronAndClosedLink(t *testing.T) {
	h := New(sim.NewWorld(3), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	require.True(t, h.WaitConverged(20*sim.Second))
	h.RunFor(2500 * sim.Millisecond)

	in := h.ReplInfoInput()
	require.Len(t, in.Nodes, 2)
	for _, n := range in.Nodes {
		assert.True(t, n.Clock.Known(), n.Name)
		assert.LessOrEqual(t, n.ReplCronAt, in.At, n.Name)
		assert.Greater(t, n.ReplCronAt, in.At-int64(sim.Second), "%s: replicationCron runs once a second", n.Name)
		assert.False(t, n.MasterClosed, n.Name)
	}

	// The master's end closes; the replica has not read the close yet.
	require.NoError(t, h.net.SetLatency("n1", "n2", sim.Second, 0))
	link := netsim.ConnID(h.Node("n2").node.MasterLinkConn())
	require.NotZero(t, link)
	h.net.Close(h.net.Peer(link))
	in = h.ReplInfoInput()
	assert.Contains(t, in.Nodes[1].Info, "master_link_status:up")
	assert.True(t, in.Nodes[1].MasterClosed)
	assert.False(t, in.Nodes[0].MasterClosed, "a master has no link of its own")
}
