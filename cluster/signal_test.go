package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitingMaster is n1, a master with shutdown-timeout 2 whose replica n2
// is cut off behind a write: a graceful shutdown waits for it.
func waitingMaster(t *testing.T) (*sim.World, *Cluster) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	h.SetHealed(false) // an exited master stays down
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	require.True(t, h.WaitConverged(10*sim.Second))
	require.NoError(t, h.execOK("n1", "CONFIG", "SET", "shutdown-timeout", "2"))
	h.Node("n1").cfg.ShutdownTimeoutSec = 2 // as the harness gives it
	h.Partition([]string{"n1"}, []string{"n2"})
	require.NoError(t, h.execOK("n1", "SET", "k", "v"))
	return w, h
}

// A SIGTERM's shutdown starts at the master's next serverCron, which the
// shutdown checks see as a record, waits out the deadline for the cut-off
// replica, and is timed from that serverCron for the shutdown-wait check.
func TestSignalShutdownWaits(t *testing.T) {
	w, h := waitingMaster(t)
	sent := int64(w.Now())
	require.NoError(t, h.Signal("n1", false))
	h.RunFor(3 * sim.Second)
	require.True(t, h.Node("n1").node.Down())

	calls := h.ShutdownCallsInput()
	require.Len(t, calls, 3)
	assert.True(t, calls[0].Signal)
	assert.Equal(t, []string{"SIGTERM"}, calls[0].Args)
	assert.Equal(t, "default", calls[0].Flags)
	assert.True(t, calls[1].Cron)
	assert.Greater(t, calls[1].At, sent)
	assert.True(t, calls[2].Exit)
	lines := h.ChildJobsInput().Lines
	assert.Equal(t, "Received SIGTERM scheduling shutdown...", lines[calls[0].Logs].Msg)
	assert.Equal(t, "User requested shutdown...", lines[calls[1].Logs].Msg)
	assert.Empty(t, checker.CheckShutdownCalls(calls, lines))
	assert.Empty(t, checker.CheckSignalShutdowns(calls, lines))

	exits, chunks, syncs, restarts := h.ShutdownWaitInput()
	require.Len(t, exits, 1)
	assert.Equal(t, "SIGTERM", exits[0].By)
	assert.Equal(t, calls[1].At, exits[0].Call, "timed from the serverCron that started it")
	assert.GreaterOrEqual(t, exits[0].ClockAt-exits[0].ClockCall, exits[0].TimeoutMs)
	assert.Empty(t, checker.CheckShutdownWaits(exits, chunks, syncs, restarts))
}

// A SIGINT while the first signal's shutdown waits exits at once, with
// the handler's line and no graceful exit; a SHUTDOWN's wait alone does
// not make a SIGINT insist.
func TestSignalSIGINTInsists(t *testing.T) {
	_, h := waitingMaster(t)
	require.NoError(t, h.Signal("n1", true))
	h.RunFor(300 * sim.Millisecond)
	require.False(t, h.Node("n1").node.Down(), "waiting for n2")
	require.NoError(t, h.Signal("n1", true))
	s := h.Node("n1")
	assert.False(t, s.up, "exited at once")
	calls := h.ShutdownCallsInput()
	require.Len(t, calls, 3)
	assert.True(t, calls[2].Signal && calls[2].Exited)
	lines := h.ChildJobsInput().Lines
	assert.Equal(t, "You insist... exiting now.", lines[len(lines)-1].Msg)
	assert.Empty(t, checker.CheckShutdownCalls(calls, lines))
	exits, _, _, _ := h.ShutdownWaitInput()
	assert.Empty(t, exits, "no graceful exit")
	in := h.LogInput()
	require.NotEmpty(t, in.Exits)
	assert.Equal(t, "n1", in.Exits[len(in.Exits)-1].Node)

	_, h = waitingMaster(t)
	require.NoError(t, h.Shutdown("n1", "SHUTDOWN"))
	require.NoError(t, h.Signal("n1", true))
	assert.True(t, h.Node("n1").up, "a SHUTDOWN's wait: the SIGINT schedules")
	assert.Empty(t, checker.CheckShutdownCalls(h.ShutdownCallsInput(), h.ChildJobsInput().Lines))
}
