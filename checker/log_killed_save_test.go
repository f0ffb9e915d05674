package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKilledSavesStayKilled(t *testing.T) {
	l := func(at int64, format string) LogLine { return LogLine{Node: "n1", At: at, Format: format, Msg: format} }
	started, kill, reaped := l(1, logSaveStarted), l(2, logKillRDB), l(2, logSaveBySignal)

	assert.Empty(t, killedSavesStayKilled([]LogLine{started, kill, reaped}), "reaped by signal")
	assert.Empty(t, killedSavesStayKilled([]LogLine{started, kill, reaped, l(3, logSaveStarted), l(4, logSaveDone)}), "a new child's end")
	v := killedSavesStayKilled([]LogLine{started, kill, reaped, l(4, logSaveError)})
	require.Len(t, v, 1, "the child SHUTDOWN did not kill ends later (mutant cmd_persist.go:132:3)")
	assert.Contains(t, v[0].Detail, "a killed child ends by signal 10")
	assert.Len(t, killedSavesStayKilled([]LogLine{started, kill, l(4, logSaveDone)}), 1)
	other := l(4, logSaveDone)
	other.Proc = 1
	assert.Empty(t, killedSavesStayKilled([]LogLine{started, kill, other}), "another process")
}

// SHUTDOWN with an RDB child running logs the kill before its AOF fsync,
// its final save or its exit (mutant cmd_persist.go:132:3 drops the line).
func TestShutdownKillsRDBChild(t *testing.T) {
	l := func(at int64, format string) LogLine { return LogLine{Node: "n1", At: at, Format: format, Msg: format} }
	started := l(1, logSaveStarted)
	assert.Empty(t, shutdownKillsRDBChild([]LogLine{started, l(2, logKillRDB), l(2, logFinalSave), l(2, logReadyToExit)}))
	v := shutdownKillsRDBChild([]LogLine{started, l(2, logShutdownFsync), l(2, logFinalSave), l(2, logReadyToExit)})
	require.Len(t, v, 1, "one report per shutdown")
	assert.Contains(t, v[0].Detail, logKillRDB)
	assert.Empty(t, shutdownKillsRDBChild([]LogLine{started, l(2, logSaveDone), l(3, logReadyToExit)}), "the child had ended")
	assert.Len(t, shutdownKillsRDBChild([]LogLine{l(1, logSendStarted), l(3, logReadyToExit)}), 1, "a diskless transfer is the RDB child too")
	// A failed shutdown reaps the killed child; the next one's child
	// needs its own kill line.
	again := []LogLine{started, l(2, logKillRDB), l(2, logShutdownErrors), l(2, logSaveBySignal), l(3, logSaveStarted), l(4, logFinalSave)}
	assert.Len(t, shutdownKillsRDBChild(again), 1)
}
