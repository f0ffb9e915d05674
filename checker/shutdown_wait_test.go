package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShutdownWaits(t *testing.T) {
	exit := GracefulExit{Node: "n1", Call: 100, At: 200, ClockCall: 1000, ClockAt: 1050, TimeoutMs: 2000,
		ReplID: "r1", Offset: 50, Replicas: []string{"n2", "n3"}}
	chunks := []StreamChunk{
		{Node: "n2", ReplID: "r1", Start: 10, Data: make([]byte, 40), Replica: true, At: 150},
		{Node: "n3", ReplID: "r1", Start: 30, Data: make([]byte, 20), Replica: true, At: 190},
	}
	syncs := []FullSync{{Node: "n3", ReplID: "r1", Offset: 30, At: 120}}
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, chunks, syncs, nil), "both replicas applied offset 50 by the exit")

	late := append([]StreamChunk(nil), chunks...)
	late[1].At = 201 // n3 applies its last chunk after the master is gone
	v := CheckShutdownWaits([]GracefulExit{exit}, late, syncs, nil)
	require.Len(t, v, 1)
	assert.Equal(t, PropDurability, v[0].Check)
	assert.Contains(t, v[0].Detail, "n3 at offset 30")
	assert.NotContains(t, v[0].Detail, "n2 at")

	other := append([]StreamChunk(nil), chunks...)
	other[0].ReplID = "r0" // another history's bytes do not place n2: not judged
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, other, syncs, nil))
	otherLate := append([]StreamChunk(nil), other...)
	otherLate[1].At = 201 // but n3, placed, still is
	v = CheckShutdownWaits([]GracefulExit{exit}, otherLate, syncs, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "n3 at offset 30")

	restarted := []Restart{{Node: "n2", RestartAt: 50, Repl: tap.ReplStatus{ReplID: "r1", Offset: 50}}}
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{exit}, other, syncs, restarted), "n2 restarted from files holding offset 50")

	timedOut := exit
	timedOut.ClockAt = timedOut.ClockCall + timedOut.TimeoutMs
	assert.Empty(t, CheckShutdownWaits([]GracefulExit{timedOut}, late, syncs, nil), "the timeout elapsed: Redis exits anyway")
}

func TestShutdownCalls(t *testing.T) {
	sd := func(at int64, reply string, args ...string) ShutdownCall {
		return ShutdownCall{Node: "n1", Gen: 1, At: at, Args: append([]string{"SHUTDOWN"}, args...), TimeoutMs: 2000, Reply: reply}
	}
	// A SHUTDOWN waits, a second joins it, a second client's ABORT
	// cancels both: each gets the error, the node serves on; a later
	// ABORT finds nothing; a SHUTDOWN NOW exits.
	wait, join := sd(10, ""), sd(20, "", "NOSAVE")
	abort := sd(30, "+OK", "ABORT")
	abort.During = []string{replyShutdownFailed, replyShutdownFailed}
	none := sd(40, replyNoShutdown, "ABORT")
	now := sd(50, "", "NOW", "FORCE")
	now.Exited = true
	good := []ShutdownCall{wait, join, abort, none, now}
	assert.Empty(t, CheckShutdownCalls(good, nil))

	// A shutdown that fails at its deadline answers the waiting client;
	// one that finishes from a tick needs a SHUTDOWN still waiting.
	failed := sd(60, replyNoShutdown, "ABORT")
	failed.Before = []string{replyShutdownFailed}
	exit := ShutdownCall{Node: "n1", Gen: 1, At: 80, Exit: true}
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{wait, failed}, nil))
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{wait, exit}, nil))

	bad := func(calls []ShutdownCall, want string) {
		t.Helper()
		v := CheckShutdownCalls(calls, nil)
		require.NotEmpty(t, v, want)
		assert.Equal(t, PropDurability, v[0].Check)
		assert.Contains(t, v[0].Detail, want)
	}
	// SHUTDOWN FORCE failing (mutant cmd_persist.go:101:4: FORCE not
	// parsed, a failed save keeps the node up).
	bad([]ShutdownCall{sd(90, replyShutdownFailed, "SAVE", "FORCE")}, "with FORCE, prepareForShutdown goes on")
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{sd(90, replyShutdownFailed, "SAVE")}, nil), "a failed save without FORCE")
	// ABORT answered "no shutdown" while one waits (and the waiting
	// client left unanswered).
	wrong := none
	wrong.At = 30
	v := CheckShutdownCalls([]ShutdownCall{wait, wrong}, nil)
	require.NotEmpty(t, v)
	assert.Contains(t, v[0].Detail, "yet it answered")
	// ABORT OK with nothing waiting.
	bad([]ShutdownCall{abort}, "no SHUTDOWN was waiting")
	// The cancelled client got nothing.
	quiet := abort
	quiet.During = []string{replyShutdownFailed}
	bad([]ShutdownCall{wait, join, quiet}, "2 SHUTDOWN(s) were waiting and 1 got a reply")
	// The node exited although its SHUTDOWN was aborted.
	abort1 := abort
	abort1.During = abort.During[:1]
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{wait, abort1}, nil))
	bad([]ShutdownCall{wait, abort1, exit}, "shut down from a tick while no SHUTDOWN was waiting")
	// SHUTDOWN NOW, or under shutdown-timeout 0, waited.
	nowWait := now
	nowWait.Exited = false
	bad([]ShutdownCall{nowWait}, "NOW was given")
	zero := sd(10, "")
	zero.TimeoutMs = 0
	bad([]ShutdownCall{zero}, "shutdown-timeout is 0")
	// A SHUTDOWN NOW joining a wait under way blocks (prepareForShutdown
	// returns at once): fine.
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{wait, nowWait}, nil))
	// A SHUTDOWN that neither exits nor blocks must say it failed.
	ok := sd(10, "+OK")
	bad([]ShutdownCall{ok}, "Redis exits, blocks, or answers")
	// Another incarnation starts with nothing waiting.
	other := abort1
	other.Gen = 2
	bad([]ShutdownCall{wait, other}, "no SHUTDOWN was waiting")
}
