package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each pair of nextLines passes when the second line follows the first
// (another node's line between them does not count) and fails when
// another line of the incarnation comes first.
func TestNextLines(t *testing.T) {
	other := line(5, "Calling fsync() on the AOF file.")
	other.Node = "n2"
	good := []LogLine{
		line(5, logSavePoint, 1, 60), other, line(5, logSaveStarted, 7),
		line(6, logFinalSave), line(6, logDBSaved), line(6, logReadyToExit),
		line(7, logFinalSave), line(7, logSaveWriteError+"fflush): injected"), line(7, logFinalSaveFailed), line(7, logShutdownErrors),
		// A SAVE's failure is the command's: nothing has to follow it.
		line(8, logSaveMoveError+"temp-1.rdb on the final destination dump.rdb (in server root dir .): injected"), line(8, "Background saving started by pid 9"),
		line(9, logFinalSave), line(9, logSaveOpenError+"temp-2.rdb (in server root dir .) for saving: injected"), line(9, logFinalSaveForced), line(9, logReadyToExit),
		line(10, logWritingInitialAOF), line(10, logShutdownErrors),
	}
	assert.Empty(t, checkNextLines(good))
	for _, tc := range []struct {
		cut  []LogLine
		want string
	}{
		{[]LogLine{good[0], good[1]}, ""},
		{[]LogLine{good[0], line(5, "Background saving terminated with success")}, `right after a line "%d changes in %d seconds. Saving..."`},
		{[]LogLine{good[6], good[8]}, `right after a line "Saving the final RDB snapshot before exiting."`},
		{[]LogLine{good[6], good[7], good[9]}, `right after a line "Write error saving DB on disk("`},
		{[]LogLine{good[8], good[11]}, `right after a line "Error trying to save the DB, can't exit."`},
		{[]LogLine{good[16], good[5]}, `right after a line "Writing initial AOF, can't exit."`},
		{[]LogLine{good[14], good[9]}, "the line before it is one of"}, // a forced save goes on to exit
	} {
		v := checkNextLines(tc.cut)
		if tc.want == "" {
			assert.Empty(t, v)
			continue
		}
		require.NotEmpty(t, v)
		assert.Contains(t, v[0].Detail, tc.want)
	}
}

// rdbLoad's checksum error is followed by rdbReportError's line.
func TestChecksumErrorThenInternalError(t *testing.T) {
	wrong := line(3, "%s", "Wrong RDB checksum expected: (1) but got (2). Aborting now.")
	internal := line(3, "%s", "Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error")
	assert.Empty(t, checkNextLines([]LogLine{wrong, internal}))
	v := checkNextLines([]LogLine{wrong, line(3, "%s", "Terminating server after rdb file reading failure.")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "rdbReportCorruptRDB")
}

// finishShutdown's error line comes right after its reason.
func TestShutdownErrorsHaveTheirReason(t *testing.T) {
	assert.Empty(t, checkNextLines([]LogLine{line(10, logWritingInitialAOF), line(10, logShutdownErrors)}))
	assert.Empty(t, checkNextLines([]LogLine{line(10, logFinalSaveFailed), line(10, logShutdownErrors)}))
	for _, cut := range [][]LogLine{
		{line(10, logShutdownErrors)},
		{line(10, logUserShutdown), line(10, logShutdownErrors)},
	} {
		v := checkNextLines(cut)
		require.Len(t, v, 1)
		assert.Contains(t, v[0].Detail, "the line before it is one of")
	}
}

// cancelReplicationHandshake's reconnect line is followed by
// connectWithMaster's (mutant repl_replica.go:151:5 leaves the reconnect
// to the cron).
func TestReconnectAfterFailureConnectsAtOnce(t *testing.T) {
	reconnect := line(4, logReconnectFailed, "n1", 6379)
	assert.Empty(t, checkNextLines([]LogLine{reconnect, line(4, "MASTER <-> REPLICA sync started")}))
	v := checkNextLines([]LogLine{reconnect, line(5, "Connecting to MASTER n1:6379")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "connectWithMaster")
}

// A replica that lost its master's link reconnects at once
// (replicationHandleMasterDisconnection calls connectWithMaster).
func TestReconnectingConnectsAtOnce(t *testing.T) {
	reconnecting := line(4, logReconnecting, "n1", 6379)
	assert.Empty(t, checkNextLines([]LogLine{reconnecting, line(4, "MASTER <-> REPLICA sync started")}))
	assert.Empty(t, checkNextLines([]LogLine{reconnecting, line(4, "%s", "Unable to connect to MASTER: Connection refused")}))
	v := checkNextLines([]LogLine{reconnecting, line(5, "Connecting to MASTER %s:%d", "n1", 6379)})
	require.Len(t, v, 1, "the reconnection left to the next cron (mutant repl_replica.go:191:3)")
	assert.Contains(t, v[0].Detail, "replicationHandleMasterDisconnection")
}

// SHUTDOWN's "There is a child rewriting the AOF. Killing it!" is followed
// by killAppendOnlyChild's line (mutant cmd_persist.go:146:3).
func TestShutdownKillsTheRewriteChild(t *testing.T) {
	killing := line(4, logKillAOF)
	assert.Empty(t, checkNextLines([]LogLine{killing, line(4, logRWKillChild, 7)}))
	v := checkNextLines([]LogLine{killing, line(4, "Calling fsync() on the AOF file.")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "killAppendOnlyChild")
}

// A failed read of the RDB file and a failed truncation of the AOF are
// each followed by their report's second line (mutant aof_load.go:375:3:
// the truncation's failure without the unexpected end).
func TestNextLinesLoadFailures(t *testing.T) {
	short := line(3, logRDBShortRead)
	internal := line(3, "Internal error in RDB reading offset %d, function at rdb.c:3249 -> Unexpected EOF reading RDB file", 0)
	trunc := line(4, "Error truncating the AOF file %s: %s", "a.aof.1.incr.aof", "Input/output error")
	uxeof := line(4, logUnexpectedAOFEnd, "a.aof.1.incr.aof")
	assert.Empty(t, checkNextLines([]LogLine{short, internal, trunc, uxeof}))
	for _, cut := range [][]LogLine{{short, trunc}, {trunc, line(4, "Fatal error loading the DB: x. Exiting.")}} {
		v := checkNextLines(cut)
		require.Len(t, v, 1, cut[0].Msg)
		assert.Equal(t, "node_log", v[0].Check)
	}
}
