package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cjSec = int64(1e9)

func cjLine(node string, gen int, at int64, format string) LogLine {
	return LogLine{Node: node, Gen: gen, At: at * cjSec, Format: format, Msg: format}
}

func cjReply(node string, gen int, at int64, reply string, args ...string) ChildReply {
	return ChildReply{Node: node, Gen: gen, Call: at * cjSec, Return: at * cjSec, Args: args, Reply: reply}
}

const (
	cjAnother  = "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."
	cjRWInProg = "-ERR Background append only file rewriting already in progress"
)

// cjHistory is a true history: node n1 rewrites its AOF from 10 s to 12 s
// and refuses a BGSAVE meanwhile; it saves from 20 s to 22 s (a rewrite
// asked meanwhile is scheduled, and runs at 22 s to 23 s); a BGSAVE at
// 30 s starts at once.
func cjHistory() ChildJobsInput {
	return ChildJobsInput{
		Lines: []LogLine{
			cjLine("n1", 0, 0, "Server initialized"),
			cjLine("n1", 0, 10, logAOFRWStarted),
			cjLine("n1", 0, 12, logAOFRWFinished),
			cjLine("n1", 0, 20, logSaveStarted),
			cjLine("n1", 0, 22, logSaveDone),
			cjLine("n1", 0, 22, logAOFRWStarted),
			cjLine("n1", 0, 23, logAOFRWFinished),
			cjLine("n1", 0, 30, logSaveStarted),
			cjLine("n1", 0, 31, logSaveDone),
		},
		Replies: []ChildReply{
			cjReply("n1", 0, 10, "+Background append only file rewriting started", "BGREWRITEAOF"),
			cjReply("n1", 0, 11, cjAnother, "BGSAVE"),
			cjReply("n1", 0, 11, cjRWInProg, "BGREWRITEAOF"),
			cjReply("n1", 0, 20, "+Background saving started", "BGSAVE"),
			cjReply("n1", 0, 21, "+Background append only file rewriting scheduled", "BGREWRITEAOF"),
			cjReply("n1", 0, 21, "-ERR Background save already in progress", "BGSAVE"),
			cjReply("n1", 0, 30, "+Background saving started", "BGSAVE"),
		},
	}
}

func TestChildJobsAcceptsTrueHistory(t *testing.T) {
	require.Empty(t, CheckChildJobs(cjHistory()))
}

// TestChildJobsFlagsStuckChild is the node whose AOF rewrite never clears
// its child (mutant node/aof_rewrite.go:88:2:remove): after the rewrite
// ended at 12 s it refuses BGSAVE and calls every BGREWRITEAOF one in
// progress.
func TestChildJobsFlagsStuckChild(t *testing.T) {
	in := cjHistory()
	in.Replies = append(in.Replies,
		cjReply("n1", 0, 15, cjAnother, "BGSAVE"),
		cjReply("n1", 0, 16, cjRWInProg, "BGREWRITEAOF"),
		cjReply("n1", 0, 40, "+Background saving scheduled", "BGSAVE", "SCHEDULE"),
		cjReply("n1", 0, 41, "+Background append only file rewriting scheduled", "BGREWRITEAOF"))
	v := CheckChildJobs(in)
	require.Len(t, v, 1)
	require.Equal(t, "child_jobs", v[0].Check)
	require.Equal(t, 15*cjSec, v[0].At)
	require.Contains(t, v[0].Detail, "Another child process is active")
	require.Contains(t, v[0].Detail, "(and 3 more like it)")
}

// TestChildJobsConservative: replies the rule cannot judge.
func TestChildJobsConservative(t *testing.T) {
	cases := map[string]func(in *ChildJobsInput){
		// A save rule's BGSAVE started at the instant of the command:
		// the log does not say which came first.
		"start at the call's instant": func(in *ChildJobsInput) {
			in.Lines = append(in.Lines, cjLine("n1", 0, 40, logSaveStarted))
			in.Replies = append(in.Replies, cjReply("n1", 0, 40, cjAnother, "BGSAVE"))
		},
		// A child whose end line is missing (a kill this rule does not know): unknown
		// for the rest of the incarnation.
		"start without an end": func(in *ChildJobsInput) {
			in.Lines = append(in.Lines, cjLine("n1", 0, 35, logFullRequested), cjLine("n1", 0, 35, logSyncToDisk), cjLine("n1", 0, 35, logSaveStarted))
			in.Replies = append(in.Replies, cjReply("n1", 0, 90, cjAnother, "BGSAVE"))
		},
		// An end this rule cannot pair: nothing more is judged.
		"unpaired end": func(in *ChildJobsInput) {
			in.Lines = append(in.Lines, cjLine("n1", 0, 35, logRWKillChild))
			in.Replies = append(in.Replies, cjReply("n1", 0, 90, cjRWInProg, "BGREWRITEAOF"))
		},
		// Inside EXEC Redis schedules even with no child.
		"in exec": func(in *ChildJobsInput) {
			r := cjReply("n1", 0, 40, "+Background saving scheduled", "BGSAVE")
			r.InExec = true
			in.Replies = append(in.Replies, r)
		},
		// The old incarnation's child is not the new one's.
		"other incarnation": func(in *ChildJobsInput) {
			in.Lines = append(in.Lines, cjLine("n1", 0, 35, logSaveStarted), cjLine("n1", 1, 50, "Server initialized"))
			in.Replies = append(in.Replies, cjReply("n1", 0, 36, cjAnother, "BGSAVE"))
		},
	}
	for name, corrupt := range cases {
		t.Run(name, func(t *testing.T) {
			in := cjHistory()
			corrupt(&in)
			require.Empty(t, CheckChildJobs(in))
		})
	}
	// A restart starts with no child: the new incarnation is judged.
	in := cjHistory()
	in.Lines = append(in.Lines, cjLine("n1", 0, 35, logSaveStarted), cjLine("n1", 1, 50, "Server initialized"))
	in.Replies = append(in.Replies, cjReply("n1", 1, 51, cjAnother, "BGSAVE"))
	v := CheckChildJobs(in)
	require.Len(t, v, 1)
	require.Equal(t, 51*cjSec, v[0].At)
}

// TestOneChildAcceptsTrueHistory: children one after another, a killed
// save and a diskless transfer whose replicas dropped end theirs, a
// restart starts with none, and a BGSAVE for SYNC starts in the instant
// the previous child ended.
func TestOneChildAcceptsTrueHistory(t *testing.T) {
	in := cjHistory()
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logFullRequested),
		cjLine("n1", 0, 40, logSyncToDisk),
		cjLine("n1", 0, 40, logSaveStarted),
		cjLine("n1", 0, 41, logSaveBySignal),
		cjLine("n1", 0, 42, logSendStarted),
		cjLine("n1", 0, 43, logSendBySignal),
		cjLine("n1", 0, 44, logAOFRWStarted),
		cjLine("n1", 0, 45, logRWKillChild),
		cjLine("n1", 0, 46, logSaveStarted),
		cjLine("n1", 0, 47, logSaveDone),
		// A rewrite that was to turn the AOF on ends when its temp incr
		// file cannot be renamed.
		cjLine("n1", 0, 48, logAOFRWStarted),
		cjLine("n1", 0, 48, logAOFRWSuccess),
		cjLine("n1", 0, 48, logRWRenamedBase),
		cjLine("n1", 0, 48, logRWRenameIncrErr),
		cjLine("n1", 0, 49, logAOFRWStarted),
		cjLine("n1", 1, 50, logSaveStarted),
		cjLine("n1", 1, 51, logSaveDone),
		cjLine("n1", 1, 51, logSendStarted),
		cjLine("n1", 1, 52, logSendDone))
	require.Empty(t, CheckChildJobs(in))
}

// TestOneChildFlagsSecondChild is the node that forks a BGSAVE for SYNC
// per replica (the old node): a second transfer to sockets while the
// first runs, and a save to disk while a rewrite runs.
func TestOneChildFlagsSecondChild(t *testing.T) {
	in := cjHistory()
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logSendStarted),
		cjLine("n1", 0, 41, logSendStarted),
		cjLine("n1", 0, 42, logSendDone),
		cjLine("n1", 0, 42, logSendDone),
		cjLine("n1", 0, 50, logAOFRWStarted),
		cjLine("n1", 0, 51, logSaveStarted),
		cjLine("n1", 0, 52, logSaveDone),
		cjLine("n1", 0, 53, logAOFRWFinished))
	v := CheckChildJobs(in)
	require.Len(t, v, 1)
	require.Equal(t, 41*cjSec, v[0].At)
	require.Contains(t, v[0].Detail, "one child process at a time")
	require.Contains(t, v[0].Detail, "(and 1 more like it)")
}

// TestOneChildFlagsStartedReply: "+Background saving started" while a
// BGSAVE for SYNC to disk surely runs (the old node's replication saves
// did not take the child slot), and a rewrite started during a save.
func TestOneChildFlagsStartedReply(t *testing.T) {
	in := cjHistory()
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logSaveStarted),
		cjLine("n1", 0, 41, logSaveStarted),
		cjLine("n1", 0, 42, logSaveDone),
		cjLine("n1", 0, 43, logSaveDone))
	in.Replies = append(in.Replies, cjReply("n1", 0, 41, "+Background saving started", "BGSAVE"))
	v := CheckChildJobs(in)
	require.Len(t, v, 2, "the second start line, and the reply")
	require.Contains(t, v[0].Detail+v[1].Detail, `"+Background saving started" at 41`)

	// Judged only when the child surely ran for the whole call.
	in = cjHistory()
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logSaveStarted),
		cjLine("n1", 0, 41, logSaveDone),
		cjLine("n1", 0, 41, logAOFRWStarted))
	r := cjReply("n1", 0, 41, "+Background append only file rewriting started", "BGREWRITEAOF")
	r.Call = 40*cjSec + 1
	in.Replies = append(in.Replies, r)
	require.Empty(t, CheckChildJobs(in), "the save ended during the call")
	in.Lines = append(in.Lines[:len(in.Lines)-2], cjLine("n1", 0, 42, logSaveDone))
	require.Len(t, CheckChildJobs(in), 1)
	require.Contains(t, CheckChildJobs(in)[0].Detail, "rewriting started")
	// A rewrite that failed to start while the save ran: Redis schedules it.
	in.Replies[len(in.Replies)-1].Reply = "-ERR Can't execute an AOF background rewriting. Please check the server logs for more information."
	require.Len(t, CheckChildJobs(in), 1)
	require.Contains(t, CheckChildJobs(in)[0].Detail, "Can't execute")
}

// TestSyncDecisionFollowsChild: syncCommand's decision for a full sync
// names the child that runs; a node that says it waits for a BGSAVE that
// is not running (or for another child while a BGSAVE runs) is flagged.
func TestSyncDecisionFollowsChild(t *testing.T) {
	base := func(extra ...LogLine) ChildJobsInput {
		in := cjHistory()
		in.Replies = nil
		in.Lines = append(in.Lines, extra...)
		return in
	}
	ok := base(
		cjLine("n1", 0, 40, logSaveStarted),
		cjLine("n1", 0, 40, logCantAttach),
		cjLine("n1", 0, 40, logWaitBgsaveEnd),
		cjLine("n1", 0, 41, logSaveDone),
		cjLine("n1", 0, 42, logSendStarted),
		cjLine("n1", 0, 42, logSocketBgsave),
		cjLine("n1", 0, 43, logSendDone),
		cjLine("n1", 0, 44, logAOFRWStarted),
		cjLine("n1", 0, 44, logOtherChild),
		cjLine("n1", 0, 44, logDelayDiskless),
		cjLine("n1", 0, 45, logAOFRWFinished),
		cjLine("n1", 0, 46, logDelayDiskless))
	require.Empty(t, CheckChildJobs(ok))
	for name, l := range map[string]LogLine{
		"waits for a socket transfer with none": cjLine("n1", 0, 50, logSocketBgsave),
		"attaches with no BGSAVE":               cjLine("n1", 0, 50, logWaitBgsaveEnd),
		"cannot attach with no BGSAVE":          cjLine("n1", 0, 50, logCantAttach),
		"another BG operation with none":        cjLine("n1", 0, 50, logOtherChild),
	} {
		v := CheckChildJobs(base(l))
		require.Len(t, v, 1, name)
		require.Contains(t, v[0].Detail, "syncCommand decides by the child", name)
	}
	v := CheckChildJobs(base(cjLine("n1", 0, 50, logSaveStarted), cjLine("n1", 0, 50, logOtherChild), cjLine("n1", 0, 50, logDelayDiskless)))
	require.Len(t, v, 1, "both decisions while a save to disk runs")
	require.Contains(t, v[0].Detail, "(and 1 more like it)")
}

// TestSyncStartNeedsWaitingReplica: a BGSAVE for SYNC starts right after a
// full sync request, or later for replicas told to wait; one with nobody
// waiting is flagged (the mutant that counts online replicas as waiting).
func TestSyncStartNeedsWaitingReplica(t *testing.T) {
	in := cjHistory()
	in.Replies = nil
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logFullRequested),
		cjLine("n1", 0, 40, logSyncToDisk),
		cjLine("n1", 0, 40, logSaveStarted),
		cjLine("n1", 0, 40, logFullRequested),
		cjLine("n1", 0, 40, logWaitBgsaveEnd),
		cjLine("n1", 0, 40, logFullRequested),
		cjLine("n1", 0, 40, logCantAttach),
		cjLine("n1", 0, 41, logSaveDone),
		cjLine("n1", 0, 41, logSyncToDisk),
		cjLine("n1", 0, 41, logSaveStarted),
		cjLine("n1", 0, 42, logSaveDone))
	require.Empty(t, CheckChildJobs(in))
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 43, logSyncToSockets),
		cjLine("n1", 0, 43, logSendStarted),
		cjLine("n1", 0, 44, logSendDone))
	v := CheckChildJobs(in)
	require.Len(t, v, 1)
	require.Contains(t, v[0].Detail, "shouldStartChildReplication")
}

// TestShutdownKillEndsNoChild: SHUTDOWN's kill lines end no child
// (server.c finishShutdown): a transfer to sockets it killed runs until
// reaped when the shutdown fails (seed 25966 once counted it as a save to
// disk, -1 of those), and a rewrite ends with killAppendOnlyChild's line.
func TestShutdownKillEndsNoChild(t *testing.T) {
	base := func(extra ...LogLine) ChildJobsInput {
		in := cjHistory()
		in.Replies = nil
		in.Lines = append(in.Lines, extra...)
		return in
	}
	require.Empty(t, CheckChildJobs(base(
		cjLine("n1", 0, 40, logSendStarted),
		cjLine("n1", 0, 41, logKillRDB),
		cjLine("n1", 0, 41, logSendBySignal),
		cjLine("n1", 0, 42, logDelayDiskless),
		cjLine("n1", 0, 43, logAOFRWStarted),
		cjLine("n1", 0, 44, logKillAOF),
		cjLine("n1", 0, 44, logRWKillChild),
		cjLine("n1", 0, 45, logSaveStarted))))
	v := CheckChildJobs(base(
		cjLine("n1", 0, 40, logSendStarted),
		cjLine("n1", 0, 41, logKillRDB),
		cjLine("n1", 0, 42, logDelayDiskless)))
	require.Len(t, v, 1, "a diskless delay before the killed transfer is reaped")
	require.Contains(t, v[0].Detail, "1 transfers to sockets")
	v = CheckChildJobs(base(
		cjLine("n1", 0, 43, logAOFRWStarted),
		cjLine("n1", 0, 44, logKillAOF),
		cjLine("n1", 0, 45, logSaveStarted)))
	require.Len(t, v, 1, "a save while the rewrite is not yet killed")
	require.Contains(t, v[0].Detail, "one child process at a time")
}

// TestShutdownKillNeedsItsChild: SHUTDOWN's kill line names a child of a
// type that runs; with none, or another, it is caught.
func TestShutdownKillNeedsItsChild(t *testing.T) {
	base := func(extra ...LogLine) ChildJobsInput {
		in := cjHistory()
		in.Replies = nil
		in.Lines = append(in.Lines, extra...)
		return in
	}
	require.Empty(t, CheckChildJobs(base(cjLine("n1", 0, 40, logSaveStarted), cjLine("n1", 0, 41, logKillRDB))))
	for _, c := range []struct {
		lines []LogLine
		want  string
	}{
		{[]LogLine{cjLine("n1", 0, 41, logKillRDB)}, "but no RDB child ran (children running: 0 RDB saves to disk, 0 transfers to sockets, 0 AOF rewrites)"},
		{[]LogLine{cjLine("n1", 0, 40, logAOFRWStarted), cjLine("n1", 0, 41, logKillRDB)}, "but no RDB child ran"},
		{[]LogLine{cjLine("n1", 0, 41, logKillAOF)}, "but no AOF rewrite ran"},
		{[]LogLine{cjLine("n1", 0, 40, logSendStarted), cjLine("n1", 0, 41, logKillAOF)}, "but no AOF rewrite ran"},
	} {
		v := CheckChildJobs(base(c.lines...))
		if assert.Len(t, v, 1, "%v", c.lines) {
			assert.Contains(t, v[0].Detail, c.want)
		}
	}
}

// TestOneChildStopsAtUnpairedEnd: an end of one kind this rule cannot
// pair stops the judging even while a child of another kind runs.
func TestOneChildStopsAtUnpairedEnd(t *testing.T) {
	in := cjHistory()
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logSendStarted),
		cjLine("n1", 0, 41, logSaveBySignal),
		cjLine("n1", 0, 42, logDelayDiskless))
	require.Empty(t, CheckChildJobs(in))
}

// Mutant cmd_persist.go:34:19: BGSAVE SCHEDULE refused as a syntax error.
func TestChildJobsFlagsRefusedForm(t *testing.T) {
	r := ChildReply{Node: "n1", Call: 10, Return: 10, Args: []string{"BGSAVE", "SCHEDULE"}, Reply: "-ERR syntax error"}
	v := CheckChildJobs(ChildJobsInput{Replies: []ChildReply{r}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "Redis 7.0.15 accepts that form")
	r.Reply = "+Background saving started"
	assert.Empty(t, CheckChildJobs(ChildJobsInput{Replies: []ChildReply{r}}))
}

// TestFlushallKillsBGSAVE: a BGSAVE that ran when a FLUSHALL began and
// ended after its reply must end by the kill's signal line; one that ended
// during the call, or by the signal, passes, and so does a restart.
func TestFlushallKillsBGSAVE(t *testing.T) {
	flush := []NodeCall{{Node: "n1", Call: 20 * cjSec, Return: 30 * cjSec}}
	run := func(lines ...LogLine) []Violation {
		return CheckChildJobs(ChildJobsInput{Lines: lines, Flushes: flush})
	}
	started := cjLine("n1", 0, 10, logSaveStarted)
	v := run(started, cjLine("n1", 0, 40, logSaveDone))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "FLUSHALL kills a running BGSAVE")
	assert.Empty(t, run(started, cjLine("n1", 0, 40, logSaveBySignal)))
	assert.Empty(t, run(started, cjLine("n1", 0, 25, logSaveDone)), "ended before the command ran")
	assert.Empty(t, run(started, cjLine("n1", 1, 40, logSaveStarted), cjLine("n1", 1, 50, logSaveDone)), "the process ended first")
	assert.Empty(t, run(cjLine("n1", 0, 21, logSaveStarted), cjLine("n1", 0, 40, logSaveDone)), "started during the call")
}

// TestPendingSyncStartsAtChildEnd: a replica told to wait for the next
// BGSAVE for SYNC gets it in the instant the running child ends, with
// repl-diskless-sync no (mutants persist_rdb.go:163:3, aof_rewrite.go:68:3,
// repl_master.go:409:2: the done handler without replicationStartPendingFork).
func TestPendingSyncStartsAtChildEnd(t *testing.T) {
	asks := func(at int64, who string) LogLine {
		l := cjLine("n1", 0, at, logAsksSync)
		l.Args = []string{who}
		return l
	}
	in := cjHistory()
	in.Replies = nil
	in.Lines = append(in.Lines,
		cjLine("n1", 0, 40, logAOFRWStarted),
		asks(41, "n2:6379"),
		cjLine("n1", 0, 41, logFullRequested),
		cjLine("n1", 0, 41, logOtherChild),
		cjLine("n1", 0, 42, logAOFRWFinished),
		cjLine("n1", 0, 42, logSyncToDisk),
		cjLine("n1", 0, 42, logSaveStarted),
		cjLine("n1", 0, 43, logSaveDone))
	require.Empty(t, CheckChildJobs(in))

	late := append([]LogLine{}, in.Lines...)
	late[len(late)-3].At += cjSec // the start a second after the end
	late[len(late)-2].At += cjSec
	v := CheckChildJobs(ChildJobsInput{Lines: late})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "replicationStartPendingFork right after the done handler")

	lost := cjLine("n1", 0, 41, logReplicaLost)
	lost.Args = []string{"n2:6379"}
	gone := append(append([]LogLine{}, late[:len(late)-4]...), lost)
	gone = append(gone, late[len(late)-4:]...)
	assert.Empty(t, CheckChildJobs(ChildJobsInput{Lines: gone}), "the waiting replica left before the end")

	diskless := append([]LogLine{}, late...)
	diskless[len(diskless)-4].DisklessSync = true
	assert.Empty(t, CheckChildJobs(ChildJobsInput{Lines: diskless}), "a diskless sync may wait for repl-diskless-sync-delay")
}

// TestEnableKillNeedsRewrite: startAppendOnly's "Stopping background AOF"
// line needs an AOF rewrite running (mutant aof_start.go:21:14).
func TestEnableKillNeedsRewrite(t *testing.T) {
	in := ChildJobsInput{Lines: []LogLine{
		cjLine("n1", 0, 1, logAOFRWStarted),
		cjLine("n1", 0, 2, logEnabledKillRW),
		cjLine("n1", 0, 2, logRWKillChild),
	}}
	require.Empty(t, CheckChildJobs(in))
	v := CheckChildJobs(ChildJobsInput{Lines: []LogLine{cjLine("n1", 0, 2, logEnabledKillRW)}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "stops a rewrite only when one runs")
}
