package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A second SHUTDOWN sent while the first waits for a cut-off replica joins
// it: the master exits at the first one's deadline, and the exit is timed
// from the first call, so the shutdown-wait check sees the timeout run out
// (seed 1194 timed it from the second and called it an early exit).
func TestSecondShutdownKeepsTheFirstCall(t *testing.T) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	h.SetHealed(false) // the exited master stays down
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	require.True(t, h.WaitConverged(10*sim.Second))
	_, err := h.Exec("n1", "CONFIG", "SET", "shutdown-timeout", "2")
	require.NoError(t, err)
	h.Partition([]string{"n1"}, []string{"n2"})
	_, err = h.Exec("n1", "SET", "k", "v")
	require.NoError(t, err)

	first := int64(w.Now())
	require.NoError(t, h.Shutdown("n1", "SHUTDOWN"))
	h.RunFor(1500 * sim.Millisecond)
	require.False(t, h.Node("n1").node.Down(), "still waiting for n2")
	require.NoError(t, h.Shutdown("n1", "SHUTDOWN", "NOSAVE"))
	h.RunFor(2 * sim.Second)
	require.True(t, h.Node("n1").node.Down())

	exits, chunks, syncs, restarts := h.ShutdownWaitInput()
	require.Len(t, exits, 1)
	e := exits[0]
	assert.Equal(t, first, e.Call)
	assert.Equal(t, []string{"n2"}, e.Replicas)
	assert.GreaterOrEqual(t, e.ClockAt-e.ClockCall, e.TimeoutMs)
	assert.Less(t, e.At-first, int64(2500*sim.Millisecond), "the exit came at the first SHUTDOWN's deadline")
	assert.Empty(t, checker.CheckShutdownWaits(exits, chunks, syncs, restarts))
}
