package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signalCall is signal name sent to n1 at sec seconds, the lines before it
// numbering logs, its shutdown-on-sig* flags given.
func signalCall(sec int64, name, flags string, logs int) ShutdownCall {
	return ShutdownCall{Node: "n1", At: sec * 1e9, Args: []string{name}, TimeoutMs: 2000, Signal: true, Flags: flags, Logs: logs}
}

// cronCall is n1's first serverCron after a signal, at sec seconds, its
// lines from logs to end.
func cronCall(sec int64, logs, end int) ShutdownCall {
	return ShutdownCall{Node: "n1", At: sec * 1e9, Cron: true, TimeoutMs: 2000, Logs: logs, LogsEnd: end}
}

// abortCall is a SHUTDOWN ABORT on n1 answered reply.
func abortCall(sec int64, reply string, logs int) ShutdownCall {
	return ShutdownCall{Node: "n1", At: sec * 1e9, Args: []string{"SHUTDOWN", "ABORT"}, TimeoutMs: 2000, Reply: reply, Logs: logs}
}

// signalled is a SIGTERM whose shutdown waits for a replica from the next
// serverCron: lines 0 to 2, then records from line 3 on.
func signalled() ([]ShutdownCall, []LogLine) {
	return []ShutdownCall{signalCall(1, "SIGTERM", "default", 0), cronCall(1, 1, 3)},
		[]LogLine{line(1, logSigterm), line(1, logUserShutdown), line(1, logWaitReplicas)}
}

func TestShutdownCallsSignals(t *testing.T) {
	bad := func(calls []ShutdownCall, lines []LogLine, want string) {
		t.Helper()
		v := CheckShutdownCalls(calls, lines)
		require.NotEmpty(t, v, want)
		assert.Contains(t, v[0].Detail, want)
	}
	calls, lines := signalled()
	exit := ShutdownCall{Node: "n1", At: 2e9, Exit: true, Logs: 4}
	// The signal's shutdown finishes from a tick with no SHUTDOWN waiting.
	assert.Empty(t, CheckShutdownCalls(append(calls, exit), append(lines, line(2, logReadyToExit))))
	// ABORT cancels the signal's wait (no client to answer); the next
	// finds nothing.
	aborted := append(calls, abortCall(2, "+OK", 3), abortCall(3, replyNoShutdown, 4))
	abortedLines := append(lines, line(2, logShutdownAborted))
	assert.Empty(t, CheckShutdownCalls(aborted, abortedLines))
	bad(append(calls, abortCall(2, replyNoShutdown, 3)), lines, "a signal had requested a shutdown (shutdown_asap), yet it answered")
	bad(append(aborted, exit), abortedLines, "shut down from a tick while no SHUTDOWN was waiting and no signal")
	// Requested, not started yet: ABORT answers OK too.
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{signalCall(1, "SIGTERM", "default", 0), abortCall(1, "+OK", 1)}, lines[:1]))
	// A failure's cancelShutdown clears shutdown_asap: ABORT then finds
	// nothing, and no exit may follow.
	failed := append(lines, line(2, logShutdownErrors))
	assert.Empty(t, CheckShutdownCalls(append(calls, abortCall(3, replyNoShutdown, 4)), failed))
	bad(append(calls, abortCall(3, "+OK", 4)), failed, "no SHUTDOWN was waiting and no signal had requested a shutdown, yet it answered \"+OK\"")
	bad(append(calls, exit), failed, "shut down from a tick while no SHUTDOWN was waiting")

	// A SIGINT while shutdown_asap is set exits at once; the first one,
	// or a SIGTERM, schedules.
	insist := signalCall(2, "SIGINT", "default", 3)
	insist.Exited = true
	assert.Empty(t, CheckShutdownCalls(append(calls, insist), lines))
	stays := insist
	stays.Exited = false
	bad(append(calls, stays), lines, "did not exit at once")
	first := signalCall(1, "SIGINT", "default", 0)
	first.Exited = true
	bad([]ShutdownCall{first}, nil, "the node exited at the signal")
	// A SHUTDOWN's wait leaves shutdown_asap clear: a SIGINT then
	// schedules (and its serverCron starts nothing).
	wait := ShutdownCall{Node: "n1", At: 1e9, Args: []string{"SHUTDOWN"}, TimeoutMs: 2000, Logs: 0}
	during := []LogLine{line(1, logUserShutdown), line(1, logWaitReplicas), line(2, logSigint)}
	assert.Empty(t, CheckShutdownCalls([]ShutdownCall{wait, signalCall(2, "SIGINT", "default", 2)}, during))
	insistWait := signalCall(2, "SIGINT", "default", 2)
	insistWait.Exited = true
	bad([]ShutdownCall{wait, insistWait}, during, "the node exited at the signal")

	// A SHUTDOWN NOW joins the signal's wait under way (blocks); before
	// the wait began it would have exited or failed.
	now := ShutdownCall{Node: "n1", At: 2e9, Args: []string{"SHUTDOWN", "NOW"}, TimeoutMs: 2000, Logs: 3}
	assert.Empty(t, CheckShutdownCalls(append(calls, now), lines))
	early := now
	early.Logs = 1
	bad([]ShutdownCall{calls[0], early}, lines, "NOW was given")
}

func TestSignalShutdowns(t *testing.T) {
	calls, lines := signalled()
	assert.Empty(t, CheckSignalShutdowns(calls, lines))
	bad := func(calls []ShutdownCall, lines []LogLine, want string) {
		t.Helper()
		v := CheckSignalShutdowns(calls, lines)
		require.Len(t, v, 1, want)
		assert.Contains(t, v[0].Detail, want)
	}
	// The serverCron started nothing although the signal's request
	// stood (mutant shutdown_wait.go: ShutdownSignal setting nothing).
	bad(calls, []LogLine{line(1, logSigterm)}, "did not start the shutdown the signal requested")
	// Aborted before the serverCron: it must start nothing.
	aborted := []ShutdownCall{calls[0], abortCall(1, "+OK", 1), cronCall(1, 2, 2)}
	abortedLines := []LogLine{line(1, logSigterm), line(1, logShutdownAborted)}
	assert.Empty(t, CheckSignalShutdowns(aborted, abortedLines))
	aborted[2].LogsEnd = 3
	bad(aborted, append(abortedLines, line(1, logUserShutdown)), "although no signal's request stood")
	// A SHUTDOWN's wait under way: the signal's serverCron starts nothing.
	wait := ShutdownCall{Node: "n1", At: 1e9, Args: []string{"SHUTDOWN"}, TimeoutMs: 2000}
	joined := []ShutdownCall{wait, signalCall(1, "SIGTERM", "default", 2), cronCall(1, 3, 4)}
	bad(joined, []LogLine{line(1, logUserShutdown), line(1, logWaitReplicas), line(1, logSigterm), line(1, logUserShutdown)},
		"although a shutdown was already under way")

	// The course follows the flags of the signal that came last.
	course := func(flags string, tail ...string) ([]ShutdownCall, []LogLine) {
		ls := []LogLine{line(1, logSigterm), line(1, logUserShutdown)}
		for _, m := range tail {
			ls = append(ls, line(1, "%s", m))
		}
		return []ShutdownCall{signalCall(1, "SIGTERM", flags, 0), cronCall(1, 1, len(ls))}, ls
	}
	badCourse := func(want, flags string, tail ...string) {
		t.Helper()
		calls, lines := course(flags, tail...)
		bad(calls, lines, want)
	}
	assert.Empty(t, CheckSignalShutdowns(course("save now", logFinalSave, logDBSaved, logReadyToExit)))
	badCourse("with NOW, prepareForShutdown does not wait", "now", logWaitReplicas)
	badCourse("with SAVE, finishShutdown saves before it exits", "save", logReadyToExit)
	assert.Empty(t, CheckSignalShutdowns(course("default", logReadyToExit)), "default without save rules")
	badCourse("with FORCE, finishShutdown exits anyway", "save force", logFinalSave, logSaveOpenError+"x", logFinalSaveFailed, logShutdownErrors)
	assert.Empty(t, CheckSignalShutdowns(course("save", logFinalSave, logSaveOpenError+"x", logFinalSaveFailed, logShutdownErrors)))
	badCourse("without FORCE, finishShutdown cannot exit then", "save", logFinalSave, logSaveOpenError+"x", logFinalSaveForced, logReadyToExit)
	// Another signal's flags: a SIGINT whose flags hold NOW, after a
	// SIGTERM's before the serverCron (Redis's last_sig_received).
	two := []ShutdownCall{signalCall(1, "SIGTERM", "default", 0), signalCall(1, "SIGINT", "now", 1), cronCall(1, 2, 4)}
	twoLines := []LogLine{line(1, logSigterm), line(1, logSigint), line(1, logUserShutdown), line(1, logWaitReplicas)}
	bad(two, twoLines, `with flags "now"`)
}

// A signal's shutdown with NOSAVE in its flags does not save; one whose
// serverCron started nothing is not judged.
func TestShutdownNoSaveSignal(t *testing.T) {
	calls := []ShutdownCall{signalCall(1, "SIGTERM", "nosave now", 0), cronCall(1, 1, 4)}
	lines := []LogLine{line(1, logSigterm), line(1, logUserShutdown), line(1, logFinalSave), line(1, logDBSaved)}
	v := CheckShutdownNoSave(calls, lines)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, `with flags "nosave now": NOSAVE does not save`)
	}
	calls[0].Flags = "save"
	assert.Empty(t, CheckShutdownNoSave(calls, lines))
	calls[0].Flags = "nosave"
	aborted := []ShutdownCall{calls[0], abortCall(1, "+OK", 1), cronCall(1, 2, 2), {Node: "n1", At: 2e9, Args: []string{"SHUTDOWN", "SAVE"}, TimeoutMs: 2000, Logs: 2}}
	assert.Empty(t, CheckShutdownNoSave(aborted, []LogLine{line(1, logSigterm), line(1, logShutdownAborted), line(2, logUserShutdown), line(2, logFinalSave)}))
	// The signal and its serverCron are no SHUTDOWN blocked: a SHUTDOWN
	// NOSAVE after a failed signal's shutdown starts its own, and is
	// judged.
	failed := []ShutdownCall{calls[0], cronCall(1, 1, 3), {Node: "n1", At: 2e9, Args: []string{"SHUTDOWN", "NOSAVE"}, TimeoutMs: 2000, Logs: 4}}
	failedLines := []LogLine{line(1, logSigterm), line(1, logUserShutdown), line(1, logWritingInitialAOF), line(1, logShutdownErrors), line(2, logUserShutdown), line(2, logFinalSave)}
	v = CheckShutdownNoSave(failed, failedLines)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "a SHUTDOWN NOSAVE does not save")
	}
}

// A wait for the replicas ends by its deadline; a node still waiting
// long after it kept waiting past it (mutant shutdown_wait.go: the
// serverCron of a signal's wait calling prepareForShutdown again rather
// than finishShutdown).
func TestShutdownWaitsEnd(t *testing.T) {
	lines := []LogLine{line(1, logUserShutdown), line(1, logWaitReplicas)}
	end := LogEnd{Node: "n1", Up: true, ClockMs: epochMs + 5000, ShutdownTimeoutMs: 2000}
	v := checkShutdownWaitsEnd(lines, []LogEnd{end})
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "past shutdown-timeout (2000 ms)")
	}
	for _, ended := range []string{logReadyToExit, logShutdownErrors, logShutdownAborted} {
		assert.Empty(t, checkShutdownWaitsEnd(append(lines, line(3, "%s", ended)), []LogEnd{end}), ended)
	}
	soon := end
	soon.ClockMs = epochMs + 4000
	assert.Empty(t, checkShutdownWaitsEnd(lines, []LogEnd{soon}), "within the deadline and a second")
	down := end
	down.Up = false
	assert.Empty(t, checkShutdownWaitsEnd(lines, []LogEnd{down}))
}

// "You insist... exiting now." explains a node's exit, and nothing
// follows it.
func TestNodeLogInsist(t *testing.T) {
	in := LogInput{Lines: []LogLine{line(1, logSigint), line(1, logInsist)}, Exits: []LogExit{{Node: "n1", At: 1e9}},
		Ends: []LogEnd{{Node: "n1", Up: false}}}
	assert.Empty(t, CheckNodeLog(in))
	in.Lines = in.Lines[:1]
	v := CheckNodeLog(in)
	if assert.Len(t, v, 1) {
		assert.Contains(t, v[0].Detail, "exited on its own without a line saying why")
	}
	in.Lines = []LogLine{line(1, logInsist), line(2, "Ready to accept connections")}
	in.Ends[0].Up = true
	v = CheckNodeLog(in)
	require.NotEmpty(t, v)
	assert.Contains(t, v[0].Detail, `after "You insist... exiting now."`)
}

// CONFIG GET renders shutdown-on-sig* values as Redis 7.0.15 does.
func TestShutdownOnSigValue(t *testing.T) {
	for in, want := range map[string]string{"": "default", "default": "default", "NOW nosave": "nosave now",
		"default save": "save", "force now save": "save now force", "now now": "now"} {
		assert.Equal(t, want, ShutdownOnSigValue(in), in)
	}
}
