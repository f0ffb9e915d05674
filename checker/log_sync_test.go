package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nline is a log line of node at virtual millisecond ms.
func nline(node string, ms int64, format string, args ...any) LogLine {
	l := LogLine{Node: node, At: ms * 1e6, ClockMs: epochMs + ms, Format: format, Msg: fmt.Sprintf(format, args...)}
	for _, a := range args {
		l.Args = append(l.Args, fmt.Sprint(a))
	}
	return l
}

// syncLog is n2 syncing with master n1 as the node does it: a full sync
// to disk, a partial resync after the link dropped, then (n1 with
// repl-diskless-sync) a full sync to its socket after n2 lost its history.
func syncLog() LogInput {
	const id = "0123456789012345678901234567890123456789"
	const id2 = "9876543210987654321098765432109876543210"
	r := func(ms int64, f string, a ...any) LogLine { return nline("n2", ms, f, a...) }
	m := func(ms int64, f string, a ...any) LogLine { return nline("n1", ms, f, a...) }
	return LogInput{
		Lines: []LogLine{
			r(100, logConnecting, "n1", 6379),
			r(100, logSyncStarted),
			r(101, logConnectFired),
			r(102, logPingReplied),
			r(103, logNoCached),
			m(104, logAsksSync, "n2:6380"),
			m(104, logFullRequested, "n2:6380"),
			m(104, logBacklogCreated, id, "0000000000000000000000000000000000000000"),
			m(104, logSyncToDisk),
			m(104, logSaveStarted, 7),
			r(105, logFullFromMaster, id, 0),
			m(106, logSaveDone),
			m(106, logSyncSucceeded, "n2:6380"),
			r(107, logReceivingBytes, 100),
			r(107, logFlushingOld),
			r(107, logLoadingDB),
			r(107, logRDBLoaded, 1, 0),
			r(107, logFullSyncDone),
			r(2000, logMasterLost),
			r(2000, "Caching the disconnected master state."),
			r(2000, logReconnecting, "n1", 6379),
			r(2000, logSyncStarted),
			r(2001, logConnectFired),
			r(2002, logPingReplied),
			r(2003, logTryPartial, id, 10),
			m(2004, logAsksSync, "n2:6380"),
			m(2004, logPartialOK, "n2:6380", 0, 10),
			r(2005, logPartialSuccess),
			r(2005, logPartialDone),
			r(3000, logMasterLost),
			r(3000, "Caching the disconnected master state."),
			r(3000, logReconnecting, "n1", 6379),
			r(3000, logSyncStarted),
			r(3001, logConnectFired),
			r(3002, logPingReplied),
			r(3003, logTryPartial, id2, 10),
			m(3004, logAsksSync, "n2:6380"),
			m(3004, logNotAcceptedID, id2, id, "0000000000000000000000000000000000000000"),
			m(3004, logDelayDiskless),
			r(3005, logFullFromMaster, id, 10),
			m(8000, logSyncToSockets),
			m(8000, logSendStarted, 8),
			m(8001, logSendPipeDone, 1),
			m(8001, logSendDone),
			m(8001, logStreamedRDB, "n2:6380"),
			m(8001, logSyncSucceeded, "n2:6380"),
			r(8002, logReceivingEOF),
			r(8002, logDiscardCached),
			r(8002, logFlushingOld),
			r(8002, logLoadingDB),
			r(8002, logRDBLoaded, 1, 0),
			r(8002, logFullSyncDone),
		},
		Ports: map[string]int{"n1": 6379, "n2": 6380},
	}
}

func TestSyncLogHealthy(t *testing.T) {
	assert.Empty(t, checkSyncLog(syncLog()))
}

// without is in with the i-th line of format f (counted from 0) removed.
func without(t *testing.T, in LogInput, f string, i int) LogInput {
	for j, l := range in.Lines {
		if l.Format == f {
			if i == 0 {
				in.Lines = append(append([]LogLine{}, in.Lines[:j]...), in.Lines[j+1:]...)
				return in
			}
			i--
		}
	}
	require.Fail(t, "no such line", "%q #%d", f, i)
	return in
}

// Every line a success needs is demanded: removing it is caught.
func TestSyncLogLineRemoved(t *testing.T) {
	cases := []struct {
		format string
		nth    int
		want   string
	}{
		{logSyncStarted, 0, "no \"MASTER <-> REPLICA sync started\" before it"},
		{logConnecting, 0, "Redis logs it right after one of"},
		{logReconnecting, 1, "Redis logs it right after one of"},
		{logConnectFired, 0, "came where Redis logs one of [\"Non blocking connect"},
		{logPingReplied, 1, "came where Redis logs one of [\"Master replied to PING"},
		{logNoCached, 0, "came where Redis logs one of [\"Trying a partial"},
		{logTryPartial, 0, "came where Redis logs one of [\"Trying a partial"},
		{logFullFromMaster, 0, "came where Redis logs one of [\"Full resync from master"},
		{logReceivingBytes, 0, "receiving"},
		{logReceivingEOF, 0, "receiving"},
		{logFlushingOld, 1, "Flushing old data"},
		{logLoadingDB, 0, "Loading DB in memory"},
		{logRDBLoaded, 0, "with no \"Done loading RDB, keys loaded: %d, keys expired: %d.\" since"},
		{logPartialSuccess, 0, "Successful partial resynchronization"},
		{logAsksSync, 0, "Redis logs it right after one of"},
		{logAsksSync, 1, "Redis logs it right after one of"},
		{logSyncToDisk, 0, "no BGSAVE for SYNC started"},
		{logSaveStarted, 0, "right after"},
		{logSendStarted, 0, "right after"},
		{logSyncToSockets, 0, "no BGSAVE for SYNC started"},
		{logPartialOK, 0, "logged only 0 lines \"Partial resynchronization request from n2:6380 accepted"},
		{logSyncSucceeded, 1, "is its last line"},
	}
	for _, c := range cases {
		vs := checkSyncLog(without(t, syncLog(), c.format, c.nth))
		if assert.NotEmpty(t, vs, "%q #%d removed", c.format, c.nth) {
			assert.Contains(t, fmt.Sprint(vs), c.want, "%q #%d removed", c.format, c.nth)
		}
	}
}

// A line of another path in a sync is caught: a partial resync's line
// in a full one.
func TestSyncLogForeignLine(t *testing.T) {
	in := syncLog()
	for i, l := range in.Lines {
		if l.Format == logFlushingOld {
			in.Lines[i] = nline("n2", l.At/1e6, logPartialSuccess)
			break
		}
	}
	assert.Contains(t, fmt.Sprint(checkSyncLog(in)), "came where Redis logs one of [\"MASTER <-> REPLICA sync: Flushing old data\"]")
}

// A decision naming another replica than the request it answers, and a
// replica put online after its partial resync was accepted, are caught.
func TestSyncLogMasterSide(t *testing.T) {
	in := syncLog()
	for i, l := range in.Lines {
		if l.Format == logFullRequested {
			in.Lines[i] = nline("n1", l.At/1e6, logFullRequested, "n3:6381")
		}
	}
	assert.Contains(t, fmt.Sprint(checkSyncLog(in)), "a different replica")

	in = syncLog()
	in.Lines = append(in.Lines, nline("n1", 9000, logSyncSucceeded, "n2:6380"))
	assert.Contains(t, fmt.Sprint(checkSyncLog(in)), "only BGSAVEs to replicas' sockets started since it asked",
		"an online line after a socket transfer comes right after the transfer's")
	in = syncLog()
	in.Lines = append(in.Lines[:27:27], append([]LogLine{nline("n1", 2004, logSyncSucceeded, "n2:6380")}, in.Lines[27:]...)...)
	assert.Contains(t, fmt.Sprint(checkSyncLog(in)), "after its partial resync was accepted")
}

// Across nodes: a replica's full resync needs a request its master did
// not accept; a master that is no cluster node (the fake master) is not
// judged.
func TestSyncLogCrossNode(t *testing.T) {
	// n1's third request removed: n2's second full resync has no request
	// of n1's left that n1 did not accept.
	cut := without(t, syncLog(), logAsksSync, 2)
	assert.Contains(t, fmt.Sprint(checkSyncLog(cut)), "its master n1 logged only 1 requests of it")

	in := syncLog()
	delete(in.Ports, "n1")
	in = without(t, in, logPartialOK, 0)
	for _, v := range checkSyncLog(in) {
		assert.NotContains(t, v.Detail, "its master", "a master that is no node is not judged")
	}
}

// An attempt that neither succeeds nor fails before the next begins is
// caught, unless a REPLICAOF switched masters (its line right after the
// new attempt's start).
func TestSyncLogUnclosedAttempt(t *testing.T) {
	r := func(ms int64, f string, a ...any) LogLine { return nline("n2", ms, f, a...) }
	attempt := func(ms int64) []LogLine {
		return []LogLine{r(ms, logConnecting, "n1", 6379), r(ms, logSyncStarted), r(ms+1, logConnectFired), r(ms+2, logPingReplied), r(ms+3, logNoCached)}
	}
	in := func(lines ...[]LogLine) LogInput {
		var all []LogLine
		for _, ls := range lines {
			all = append(all, ls...)
		}
		return LogInput{Lines: all, Ports: map[string]int{"n1": 6379, "n2": 6380}}
	}
	failed := []LogLine{r(500, logReadFailed, "Success"), r(500, logNoPsyncReply)}
	assert.Empty(t, checkSyncLog(in(attempt(100), failed, attempt(1000))))
	timedOut := []LogLine{r(500, "%s", "Timeout connecting to the MASTER...")}
	timedOut[0].Msg = "Timeout connecting to the MASTER..."
	assert.Empty(t, checkSyncLog(in(attempt(100), timedOut, attempt(1000))))
	switched := []LogLine{r(1000, logConnecting, "n3", 6381), r(1000, logSyncStarted), r(1000, logReplicaOfOn, "n3", 6381, "id=3")}
	assert.Empty(t, checkSyncLog(in(attempt(100), switched)))
	// ... and not when the REPLICAOF line does not come right after.
	late := append(append([]LogLine{}, switched[:2]...), r(1001, logConnectFired), switched[2])
	assert.Contains(t, fmt.Sprint(checkSyncLog(in(attempt(100), late))), "was open")
	// repl_replica.go's handshake loss logged nothing (the node before
	// it logged Redis's lines): the next attempt begins over an open one.
	v := checkSyncLog(in(attempt(100), attempt(1000)))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "while the attempt begun at 0.100000s was open")
	// A line of another kind in "%s" ends nothing.
	other := []LogLine{r(500, "%s", "x")}
	other[0].Msg = "Error trying to load the RDB dump"
	assert.Len(t, checkSyncLog(in(attempt(100), other, attempt(1000))), 1)
}

// The rules on a sync's path through the master: a PSYNC's decision, the
// socket transfer before the online line, the disk transfer's online line
// before the replica's load, a failed read's verdict.
func TestSyncLogMasterPath(t *testing.T) {
	// repl_master.go's "Full resync requested" removed: n2 offered PSYNC.
	cut := without(t, syncLog(), logFullRequested, 0)
	assert.Contains(t, fmt.Sprint(checkSyncLog(cut)), "a PSYNC (the replica never fell back to SYNC): Redis decides it first")
	// ... but a replica that fell back to SYNC gets no decision.
	in := syncLog()
	for i, l := range in.Lines {
		if l.Format == logFullFromMaster && l.At == 105e6 {
			in.Lines[i] = nline("n2", 105, logNoPsyncSupport, "-ERR unknown command")
			in.Lines = append(in.Lines[:i+1], append([]LogLine{nline("n2", 105, logRetrySync)}, in.Lines[i+1:]...)...)
			break
		}
	}
	assert.Empty(t, checkSyncLog(in))
	// The socket transfer's line removed.
	cut = without(t, syncLog(), logStreamedRDB, 0)
	assert.Contains(t, fmt.Sprint(checkSyncLog(cut)), "the line before is not \"Streamed RDB transfer with replica n2:6380")
	// The disk transfer's online line removed: n2 loaded what n1 never
	// finished sending.
	cut = without(t, syncLog(), logSyncSucceeded, 0)
	assert.Contains(t, fmt.Sprint(checkSyncLog(cut)), "after an RDB transfer from disk, but its master n1 logged only 0 lines")
	// A failed read without the verdict.
	r := func(ms int64, f string, a ...any) LogLine { return nline("n2", ms, f, a...) }
	v := checkSyncLog(LogInput{Lines: []LogLine{r(1, logConnecting, "n1", 6379), r(1, logSyncStarted), r(2, logConnectFired),
		r(3, logReadFailed, "Success"), r(4, logConnecting, "n1", 6379)}})
	assert.Contains(t, fmt.Sprint(v), "Redis logs one of [\"Master did not reply to PSYNC")
}

// A cached master offered is discarded at the full load, and only then.
func TestSyncLogDiscardsCachedMaster(t *testing.T) {
	cut := without(t, syncLog(), logDiscardCached, 0)
	assert.Contains(t, fmt.Sprint(checkSyncLog(cut)), "Discarding previously cached master state.")
	in := syncLog()
	for i, l := range in.Lines {
		if l.Format == logFlushingOld && l.At == 107e6 {
			in.Lines = append(in.Lines[:i], append([]LogLine{nline("n2", 107, logDiscardCached)}, in.Lines[i:]...)...)
			break
		}
	}
	assert.NotEmpty(t, checkSyncLog(in), "no cached master was offered")
}

// A replica that lost its link reconnects in the same go as it caches
// the master (replicationHandleMasterDisconnection): a reconnect left to
// the cron, a moment later, is caught.
func TestSyncLogReconnectsAtOnce(t *testing.T) {
	assert.Empty(t, checkSyncLog(syncLog()))
	in := syncLog()
	for i, l := range in.Lines {
		if l.At == 2000e6 && (l.Format == logReconnecting || l.Format == logSyncStarted) {
			in.Lines[i].At += 900e6
		}
	}
	v := fmt.Sprint(checkSyncLog(in))
	assert.Contains(t, v, "\"Reconnecting to MASTER n1:6379\" at 2.900000s, after \"Caching the disconnected master state.\" at 2.000000s: Redis logs it in the same go")
	in = without(t, syncLog(), logReconnecting, 0)
	assert.Contains(t, fmt.Sprint(checkSyncLog(in)), "right after \"Caching the disconnected master state.\": Redis logs one of")
}
