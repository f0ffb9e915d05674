package cluster

import (
	"testing"

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
