package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// epochMs is n1's clock at virtual time zero in the tests: its clock
// reads epochMs + sec*1000 at virtual second sec, unless a test moves it.
const epochMs = 1_767_225_600_000

// line is a log line of node n1, incarnation 0, at virtual second sec.
func line(sec int64, format string, args ...any) LogLine {
	l := LogLine{Node: "n1", At: sec * 1e9, ClockMs: epochMs + sec*1000, ReplTimeoutMs: 60_000,
		Format: format, Msg: fmt.Sprintf(format, args...)}
	for _, a := range args {
		l.Args = append(l.Args, fmt.Sprint(a))
	}
	return l
}

// healthyLog is a master that attached two replicas, lost one, and
// recovered from an AOF write error.
func healthyLog() LogInput {
	return LogInput{
		Lines: []LogLine{
			line(1, logAsksSync, "n2:6379"),
			line(1, logSendStarted, 7),
			line(2, logSendPipeDone, 1),
			line(2, logSendDone),
			line(3, logAsksSync, "n3:6379"),
			line(4, logReplicaLost, "n2:6379"),
			line(5, logAOFWriteErr, "No space left on device"),
			line(6, logAOFSolved),
			line(7, logSaveStarted, 8),
			line(8, logDBSaved),
			line(8, logSaveDone),
		},
		Ends:       []LogEnd{{Node: "n1", Up: true, Replicas: 1, AOFWriteOK: true}},
		Ports:      map[string]int{"n1": 6379, "n2": 6379, "n3": 6379},
		Clocks:     Clocks{"n1": FixedClock(epochMs*1e6, 0)},
		DiskFaults: []DiskFault{enospcWrite(5)},
	}
}

// pastRateLimit is l with its node's clock 31 s later: a second AOF write
// error is logged only more than 30 s after the first
// (AOF_WRITE_LOG_ERROR_RATE), and these histories keep virtual time short.
func pastRateLimit(l LogLine) LogLine {
	l.ClockMs += 31_000
	return l
}

// enospcWrite is the write fault behind an "Error writing to the AOF
// file: No space left on device" line at second sec.
func enospcWrite(sec int64) DiskFault {
	return DiskFault{At: sec * 1e9, Node: "n1", Op: "write", Path: "appendonlydir/appendonly.aof.1.incr.aof", Size: 40, Errno: "ENOSPC"}
}

// setClockBack sets n1's clock back by back seconds at virtual second at: the
// lines from then on read it.
func setClockBack(in *LogInput, at, back int64) {
	c := in.Clocks["n1"]
	c.Segments = append(c.Segments, ClockSegment{From: at * 1e9, Offset: (epochMs - back*1000) * 1e6})
	in.Clocks["n1"] = c
	for i, l := range in.Lines {
		if l.At >= at*1e9 {
			in.Lines[i].ClockMs -= back * 1000
		}
	}
}

func TestNodeLogHealthy(t *testing.T) {
	assert.Empty(t, CheckNodeLog(healthyLog()))
}

func TestNodeLogCorrupted(t *testing.T) {
	cases := map[string]struct {
		edit func(in *LogInput)
		want string
	}{
		"replica lost not logged": {func(in *LogInput) { in.Lines = append(in.Lines[:5], in.Lines[6:]...) },
			"holds 1 replica links at the end, but its log attached 2 and lost 0"},
		"a negative RDB age (mutant rdb_log.go:25:4)": {func(in *LogInput) { in.Lines = append(in.Lines, line(9, logRDBAge, -3)) },
			`"RDB age -3 seconds": Redis logs a negative age as 0`},
		"no RDB age after the RDB's version (mutant rdb_log.go:25:4)": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logRDBVersion, "7.0.15"), line(9, "RDB memory usage when created %.2f Mb", 0.87))
		}, `"Loading RDB produced by version 7.0.15", then "RDB memory usage when created 0.87 Mb"`},
		"the RDB's version last": {func(in *LogInput) { in.Lines = append(in.Lines, line(9, logRDBVersion, "7.0.15")) },
			`then nothing`},
		"a backlog freed within repl-backlog-ttl (mutant backlog_ttl.go:25:13)": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logReplicaLost, "n3:6379"), line(11, logBacklogFreed, 3))
		}, "only 2 s of its clock after it started, its last replica left"},
		"an AOF reopen that ignores a write error never logged (mutant aof_start.go:35:16)": {func(in *LogInput) {
			start, created, reopen := line(20, "Server initialized"), line(21, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"), line(21, logReopenWriteErr)
			start.Gen, created.Gen, reopen.Gen = 1, 1, 1
			in.Lines = append(in.Lines, start, created, reopen)
		}, "in a process that logged no AOF write error"},
		"an AOF reopen that ignores an fsync error never logged (mutant aof_start.go:32:5)": {func(in *LogInput) {
			start, created, reopen := line(20, "Server initialized"), line(21, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"), line(21, logReopenFsyncErr)
			start.Gen, created.Gen, reopen.Gen = 1, 1, 1
			start.Proc, created.Proc, reopen.Proc = 1, 1, 1
			in.Lines = append(in.Lines, start, created, reopen)
		}, "startAppendOnly says so only with aof_bio_fsync_status err"},
		"a backlog freed under repl-backlog-ttl 0 (mutant backlog_ttl.go:21:33)": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logReplicaLost, "n3:6379"), line(11, logBacklogFreed, 0))
		}, "repl-backlog-ttl 0 means never"},
		"a backlog freed within repl-backlog-ttl of the process's start (mutant repl.go:102:2)": {func(in *LogInput) {
			start, freed := line(20, "Server initialized"), line(22, logBacklogFreed, 3)
			start.Gen, freed.Gen = 1, 1
			in.Lines = append(in.Lines, start, freed)
		}, "only 2 s of its clock after it started, its last replica left or it became a master"},
		"a request for the next byte refused for lack of backlog (mutant backlog.go:69:31)": {func(in *LogInput) {
			created := line(9, logBacklogCreated, "a", "0")
			refused := line(10, logNoBacklog, "n2:6379", 101)
			refused.ReplOffset = 100
			in.Lines = append(in.Lines, created, refused)
		}, "Redis serves a request for the next byte"},
		"a lagging replica counted in sync (mutant shutdown_wait.go:124:3)": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logLaggingReplica, "n3:6379", 12, 0, "online"), line(9, logInSyncAtShutdown, 2, 2))
		}, "Redis counts in sync the replicas it did not name as lagging"},
		"replica lost twice": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logReplicaLost, "n3:6379"), line(9, logReplicaLost, "n3:6379"))
		}, "more replica links lost (3) than replicas attached (2)"},
		"replica named by an unknown port": {func(in *LogInput) { in.Lines[0] = line(1, logAsksSync, "n2:<unknown-replica-port>") },
			`names replica n2 by port "<unknown-replica-port>"`},
		// Mutant repl_master.go:527:13 named a replica that announced no
		// port by port 0.
		"a portless replica named by port 0": {func(in *LogInput) {
			in.ClientPorts = map[string]int{"p1": 0}
			in.Lines[0] = line(1, logAsksSync, "p1:0")
		}, `names replica p1 by port "0", it announced none`},
		"AOF recovery not logged": {func(in *LogInput) { in.Lines = append(in.Lines[:7], in.Lines[8:]...) },
			"its AOF writes are fine at the end, but its log has 1 write errors and 0 recoveries"},
		"AOF recovery without an error": {func(in *LogInput) { in.Lines = append(in.Lines, line(9, logAOFSolved)) },
			"without an AOF write error before it"},
		"AOF recovery after the AOF was turned off in the same instant": {func(in *LogInput) {
			solved := line(10, logAOFSolved)
			solved.Settings = 1 // logged after the change
			in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
			in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), solved)
			in.Settings = []SettingsChange{{Node: "n1", At: 10e9}}
		}, "without an AOF write error before it"},
		"disk save ends as a socket transfer": {func(in *LogInput) { in.Lines[10] = line(8, logSendPipeDone, 1) },
			"without a transfer to replicas' sockets started (1 started)"},
		"killed disk save reaped as a transfer": {func(in *LogInput) { in.Lines[10] = line(8, logSendBySignal, 10) },
			"without a transfer to replicas' sockets started (1 started)"},
		"a save's success without its child's line": {func(in *LogInput) { in.Lines = append(in.Lines[:9], in.Lines[10]) },
			"without the child's \"DB saved on disk\" since the save started"},
		"killed transfer reaped as a disk save": {func(in *LogInput) { in.Lines[3] = line(2, logSaveBySignal, 10) },
			"without a background save started (0 started)"},
		"socket transfer ends as a disk save": {func(in *LogInput) { in.Lines[3] = line(2, logSaveDone) },
			"without a background save started (0 started)"},
		"connect timeout too early": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(10, logSyncStarted), line(11, logConnTimeout))
		}, "1000 ms after the attempt began"},
		"connect timeout too early without the node's clock": {func(in *LogInput) {
			in.Clocks = nil
			in.Lines = append(in.Lines, line(10, logSyncStarted), line(11, logConnTimeout))
		}, "1000 ms after the attempt began"},
		// The clock went back 5 s at 12 s: it read 7 s then, and the
		// timeout at 71 s (clock 66 s) is 59 s after that.
		"connect timeout too early after the clock went back": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(10, logSyncStarted), line(71, logConnTimeout))
			setClockBack(in, 12, 5)
		}, "56000 ms after the attempt began (\"MASTER <-> REPLICA sync started\"), 59 whole seconds after the earliest time its clock read since"},
		// A clock set back before the attempt began excuses nothing.
		"connect timeout too early, the clock went back before the attempt": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(10, logSyncStarted), line(69, logConnTimeout))
			setClockBack(in, 9, 5)
		}, "59000 ms after the attempt began"},
		"alive after exiting": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logAOFAlwaysExit), line(10, logAsksSync, "n2:6379"))
		},
			"a node that says it exits stops"},
		"running after exiting": {func(in *LogInput) { in.Lines = append(in.Lines, line(9, logAOFAlwaysExit)) },
			"still running at the end"},
		"exit without a reason": {func(in *LogInput) { in.Exits = []LogExit{{Node: "n1", At: 9e9}}; in.Ends[0].Up = false },
			"exited on its own without a line saying why"},
		"dial error not logged": {func(in *LogInput) { in.Expects = []LogExpect{{Node: "n1", At: 9e9, Format: LogDialError}} },
			"no line \"Error condition on socket for SYNC: %v\""},
		"truncated AOF not loaded": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logTruncating, "appendonly.aof.1.incr.aof", 42))
		}, "but not \"AOF %s loaded anyway"},
		"rename error without a fault": {func(in *LogInput) {
			in.Lines = append(in.Lines, line(9, logRenameFailed, "temp-rewriteaof-1.aof", "appendonly.aof.2.base.rdb", "injected"))
		}, "but no rename failed on its disk then"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := healthyLog()
			tc.edit(&in)
			vs := CheckNodeLog(in)
			require.NotEmpty(t, vs)
			assert.Equal(t, "node_log", vs[0].Check)
			assert.Contains(t, vs[0].Detail, tc.want)
		})
	}
}

func TestNodeLogExcuses(t *testing.T) {
	t.Run("recovery of an error the rate limit left unlogged", func(t *testing.T) {
		in := healthyLog()
		in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
		in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), line(10, logAOFSolved), line(12, logAOFSolved))
		vs := CheckNodeLog(in)
		require.NotEmpty(t, vs, "no failed write between the recoveries")
		assert.Contains(t, vs[0].Detail, "without an AOF write error before it")
		in.DiskFaults = append(in.DiskFaults, DiskFault{At: 11e9, Node: "n1", Op: "write", Path: "appendonlydir/appendonly.aof.1.incr.aof", Size: 40, Errno: "EIO"})
		for _, v := range CheckNodeLog(in) {
			assert.NotContains(t, v.Detail, "without an AOF write error before it")
		}
	})
	t.Run("lagging replicas counted", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logLaggingReplica, "n3:6379", 12, 0, "online"), line(9, logInSyncAtShutdown, 1, 2),
			line(10, logInSyncAtShutdown, 2, 2))
		for _, v := range CheckNodeLog(in) {
			assert.NotContains(t, v.Detail, "counts in sync")
		}
	})
	t.Run("lack of backlog: an older offset, or no backlog created", func(t *testing.T) {
		in := healthyLog()
		older := line(10, logNoBacklog, "n2:6379", 50)
		older.ReplOffset = 100
		next := line(11, logNoBacklog, "n2:6379", 101)
		next.ReplOffset = 100
		in.Lines = append(in.Lines, line(9, logBacklogCreated, "a", "0"), older, line(12, logBacklogFreed, 1), next)
		for _, v := range CheckNodeLog(in) { // the sync grammar judges the rest
			assert.NotContains(t, v.Detail, "serves a request for the next byte")
		}
	})
	t.Run("a backlog freed after repl-backlog-ttl", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logReplicaLost, "n3:6379"), line(13, logBacklogFreed, 3))
		for i := range in.Ends {
			in.Ends[i].Replicas = 0
		}
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an RDB whose bits were flipped as it was read", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logRDBVersion, "7.0.15"), line(9, "RDB memory usage when created %.2f Mb", 0.87))
		in.DiskFaults = append(in.DiskFaults, DiskFault{Node: "n1", At: 9e9, Op: "bitflip"})
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("a late connect timeout", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(10, logConnecting, "n2", 6379), line(10, logSyncStarted), line(71, logConnTimeout))
		assert.Empty(t, CheckNodeLog(in))
	})
	// Seed 2010403: the replica's clock went back 2.8 s after its attempt
	// began and a keepalive newline came after that; Redis times out
	// repl-timeout after that newline's reading of the clock
	// (repl_transfer_lastio), which is under repl-timeout after the start's.
	t.Run("a connect timeout after the clock went back", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(10, logConnecting, "n2", 6379), line(10, logSyncStarted), line(73, logConnTimeout))
		setClockBack(&in, 12, 5) // the timeout's clock reads 68 s: 58 s after the start's, 61 s after 12 s's
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an explained exit", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logAOFAlwaysExit))
		in.Exits = []LogExit{{Node: "n1", At: 9e9}}
		in.Ends[0].Up = false
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("restartAOFAfterSYNC's exit", func(t *testing.T) {
		// Mutant aof_start.go:66:3 left its FATAL line out: the exit is
		// then unexplained.
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logLoadingDB))
		for range aofRestartMaxTries {
			in.Lines = append(in.Lines, line(9, logAOFEnableFailed), line(9, logAOFRestartRetry))
		}
		in.Lines = append(in.Lines, line(9, logAOFRestartFatal))
		in.Exits = []LogExit{{Node: "n1", At: 9e9}}
		in.Ends[0].Up = false
		assert.Empty(t, CheckNodeLog(in))
		in.Lines = in.Lines[:len(in.Lines)-1]
		assert.NotEmpty(t, CheckNodeLog(in))
	})
	t.Run("a truncated AOF loaded", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logShortRead, "appendonly.aof.1.incr.aof"), line(9, logTruncating, "appendonly.aof.1.incr.aof", 42),
			line(9, logTruncated, "appendonly.aof.1.incr.aof"))
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("a truncation that failed to write", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logShortRead, "appendonly.aof.1.incr.aof"), line(9, logTruncating, "appendonly.aof.1.incr.aof", 42))
		in.DiskFaults = append(in.DiskFaults, DiskFault{Node: "n1", At: 9e9, Op: "write"})
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("a rename that failed", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(8, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"), line(8, logAOFRWStarted, 7),
			line(9, logAOFRWSuccess), line(9, logRenameFailed, "temp-rewriteaof-1.aof", "appendonly.aof.2.base.rdb", "injected"))
		in.DiskFaults = append(in.DiskFaults, DiskFault{Node: "n1", At: 9e9, Op: "rename"})
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an AOF fsync error forgotten on reopening", func(t *testing.T) {
		in := healthyLog()
		in.Lines = append(in.Lines, line(9, logEverysecFsyncFail, "Input/output error"), line(10, logAOFCreatedOnRW, "appendonly.aof.3.incr.aof"),
			line(10, logReopenFsyncErr))
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an AOF error forgotten on reopening", func(t *testing.T) {
		in := healthyLog()
		in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
		in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), line(10, logAOFCreatedOnRW, "appendonly.aof.3.incr.aof"),
			line(10, logReopenWriteErr))
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an AOF error outlives a rewrite's new incr file (seed 4540)", func(t *testing.T) {
		in := healthyLog()
		in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
		in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), line(10, logAOFCreatedOnRW, "appendonly.aof.3.incr.aof"),
			line(10, logAOFSolved))
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an AOF error forgotten when the AOF is turned off", func(t *testing.T) {
		in := healthyLog()
		in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
		in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), line(11, logSaveStarted, 9), line(12, logDBSaved), line(12, logSaveDone))
		in.Settings = []SettingsChange{{Node: "n1", At: 10e9}}
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("an AOF error solved by SHUTDOWN's flush in the instant the node goes down", func(t *testing.T) {
		in := healthyLog()
		in.DiskFaults = append(in.DiskFaults, enospcWrite(9))
		in.Lines = append(in.Lines, pastRateLimit(line(9, logAOFWriteErr, "No space left on device")), line(10, logAOFSolved))
		in.Settings = []SettingsChange{{Node: "n1", At: 10e9, Down: true}} // recorded after the line
		in.Ends[0].Up = false
		assert.Empty(t, CheckNodeLog(in))
	})
	t.Run("a node down at the end is not counted", func(t *testing.T) {
		in := healthyLog()
		in.Ends[0] = LogEnd{Node: "n1", Up: false}
		in.Lines = append(in.Lines[:5], in.Lines[6:]...)
		assert.Empty(t, CheckNodeLog(in))
	})
}

// fullSyncLines is a replica's full sync at second sec, every line of it
// (the sync grammar, log_sync.go): connect is the line that connects.
func fullSyncLines(sec int64, connect string) []LogLine {
	return []LogLine{
		line(sec, connect, "n2", 6379), line(sec, logSyncStarted), line(sec, logConnectFired), line(sec, logPingReplied),
		line(sec, logNoCached), line(sec, logFullFromMaster, "0123456789012345678901234567890123456789", 0),
		line(sec, logReceivingBytes, 100), line(sec, logFlushingOld), line(sec, logLoadingDB), line(sec, logRDBLoaded, 1, 0), line(sec+1, logFullSyncDone),
	}
}

// withOffset is l written at master_repl_offset off.
func withOffset(l LogLine, off int64) LogLine {
	l.ReplOffset = off
	return l
}

// partialSyncLines is a replica's partial resync at second sec.
func partialSyncLines(sec int64) []LogLine {
	return []LogLine{
		line(sec, logReconnecting, "n2", 6379), line(sec, logSyncStarted), line(sec, logConnectFired), line(sec, logPingReplied),
		withOffset(line(sec, logTryPartial, "0123456789012345678901234567890123456789", 100), 99), line(sec, logPartialSuccess), line(sec, logPartialDone),
	}
}

// replicaLinkLog is a replica that synced in full, lost its link, resynced
// partially, lost it again (REPLICAOF), synced in full, and exited with the
// link up; then a new incarnation synced again.
func replicaLinkLog() LogInput {
	restarted := fullSyncLines(11, logConnecting)
	for i := range restarted {
		restarted[i].Gen = 1
	}
	var lines []LogLine
	lines = append(lines, fullSyncLines(1, logConnecting)...)
	lines = append(lines, line(3, logMasterLost))
	lines = append(lines, partialSyncLines(4)...)
	lines = append(lines, line(5, logMasterLost))
	lines = append(lines, fullSyncLines(6, logConnecting)...)
	lines = append(lines, restarted...)
	return LogInput{
		Lines:  lines,
		Ends:   []LogEnd{{Node: "n1", Gen: 1, Up: true}},
		Clocks: Clocks{"n1": FixedClock(epochMs*1e6, 0)},
	}
}

// indexOf is the index of the first line at second sec of format f.
func indexOf(lines []LogLine, sec int64, f string) int {
	for i, l := range lines {
		if l.At == sec*1e9 && l.Format == f {
			return i
		}
	}
	panic(f)
}

func TestNodeLogMasterLink(t *testing.T) {
	require.Empty(t, CheckNodeLog(replicaLinkLog()))
	cases := map[string]struct {
		edit func(in *LogInput)
		want string
	}{
		// repl_replica.go:136 negated: an established link dropped without
		// the line (nor the cache), the next sync full.
		"established link dropped silently": {func(in *LogInput) {
			i := indexOf(in.Lines, 3, logMasterLost)
			in.Lines = append(in.Lines[:i], in.Lines[i+1:]...)
		},
			`"MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization." while the master link established at 2.000000s`},
		// ... and a link lost during the handshake logged as an established one.
		"handshake link lost as established": {func(in *LogInput) {
			i := indexOf(in.Lines, 6, logConnecting)
			in.Lines = append(in.Lines[:i], append([]LogLine{line(6, logMasterLost)}, in.Lines[i:]...)...)
		}, `"Connection with master lost." without an established master link`},
		"lost twice": {func(in *LogInput) {
			i := indexOf(in.Lines, 3, logMasterLost)
			in.Lines = append(in.Lines[:i], append([]LogLine{line(3, logMasterLost)}, in.Lines[i:]...)...)
		},
			`"Connection with master lost." without an established master link`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := replicaLinkLog()
			tc.edit(&in)
			v := CheckNodeLog(in)
			require.Len(t, v, 1, "%v", v)
			assert.Contains(t, v[0].Detail, tc.want)
		})
	}
}

func TestNodeLogSyncTarget(t *testing.T) {
	diskless := func(l LogLine) LogLine { l.DisklessSync = true; return l }
	in := func(lines ...LogLine) LogInput {
		return LogInput{Lines: lines, Ports: map[string]int{"n1": 6379, "n2": 6379},
			Clocks: Clocks{"n1": FixedClock(epochMs*1e6, 0)}}
	}
	asks := line(1, logAsksSync, "n2:6379")
	forked, sent := line(1, logSaveStarted, 7), line(1, logSendStarted, 7)
	// repl-diskless-sync no: disk; yes: sockets.
	assert.Empty(t, CheckNodeLog(in(asks, line(1, logSyncToDisk), forked)))
	assert.Empty(t, CheckNodeLog(in(diskless(asks), diskless(line(1, "Starting BGSAVE for SYNC with target: replicas sockets")), sent)))
	// A client's own SYNC (no capa eof) may get a disk target.
	assert.Empty(t, CheckNodeLog(in(diskless(line(1, logAsksSync, "10.0.0.9:5000")), diskless(line(1, logSyncToDisk)), forked)))
	// repl_master.go:100 removed (capa eof ignored): a disk sync with
	// repl-diskless-sync yes.
	v := CheckNodeLog(in(diskless(asks), diskless(line(1, logSyncToDisk)), forked))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, `"Starting BGSAVE for SYNC with target: disk" with repl-diskless-sync yes`)
}

func TestNodeLogAOFOpenedOnlyWhenOn(t *testing.T) {
	aof := func(at int64, on bool) SettingsChange {
		c := SettingsChange{At: at * 1e9, Node: "n1"}
		c.AppendOnly = on
		return c
	}
	in := func(settings ...SettingsChange) LogInput {
		return LogInput{Lines: []LogLine{line(3, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof")}, Settings: settings,
			Clocks: Clocks{"n1": FixedClock(epochMs*1e6, 0)}}
	}
	assert.Empty(t, CheckNodeLog(in(aof(0, false), aof(1, true))))
	assert.Empty(t, CheckNodeLog(in(aof(0, false), aof(3, true))), "turned on in the line's instant")
	// aof.go:65 mutated (|| -> &&): a write with the AOF off opens it.
	v := CheckNodeLog(in(aof(0, true), aof(2, false)))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, `"Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite" with appendonly no`)
}

func TestNodeLogReplicaTimeoutAfterOnline(t *testing.T) {
	// The lines of a full sync (log_sync.go) come with each online line:
	// a BGSAVE for SYNC before it, the online line after a socket
	// transfer's.
	in := func(lines ...LogLine) LogInput {
		var all []LogLine
		for _, l := range lines {
			if l.Format == logSyncSucceeded || l.Format == logStreamedRDB {
				all = append(all, line(l.At/1e9, logSyncToDisk), line(l.At/1e9, logSaveStarted, 7))
			}
			all = append(all, l)
			if l.Format == logStreamedRDB {
				all = append(all, line(l.At/1e9, logSyncSucceeded, l.Args[0]))
			}
		}
		return LogInput{Lines: all, Ports: map[string]int{"n2": 6379}}
	}
	asks := line(1, logAsksSync, "n2:6379")
	timedOut := func(sec int64) LogLine { return line(sec, logReplicaTimedOut, "n2:6379") }
	assert.Empty(t, CheckNodeLog(in(asks, line(2, logSyncSucceeded, "n2:6379"), timedOut(63))))
	// repl_master.go:347 mutated: the transfer's end keeps the ACK time of
	// the PSYNC, 60 s ago, and the next cron drops the replica.
	v := CheckNodeLog(in(asks, line(61, logSyncSucceeded, "n2:6379"), timedOut(62)))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, `"Disconnecting timedout replica (streaming sync): n2:6379" 1000 ms (by its clock) after "Synchronization with replica n2:6379 succeeded"`)
	// A diskless transfer puts it online before its ACK; so does a
	// partial resync.
	v = CheckNodeLog(in(asks, line(61, logStreamedRDB, "n2:6379"), timedOut(62)))
	require.Len(t, v, 1, "%v", v)
	v = CheckNodeLog(in(asks, withOffset(line(61, logPartialOK, "n2:6379", 0, 100), 99), timedOut(62)))
	require.Len(t, v, 1, "%v", v)
	// Another replica's online time says nothing.
	assert.Empty(t, CheckNodeLog(in(asks, line(1, logAsksSync, "n3:6379"), line(2, logSyncSucceeded, "n2:6379"), line(61, logSyncSucceeded, "n3:6379"), timedOut(63))))
	// A replica that reconnected while the master still held its old
	// link (its close not arrived, seed 2400001): the line may be about
	// the old link; once the old link is lost, the new one is judged.
	assert.Empty(t, CheckNodeLog(in(asks, line(2, logSyncSucceeded, "n2:6379"), asks, withOffset(line(61, logPartialOK, "n2:6379", 0, 100), 99), timedOut(62))))
	v = CheckNodeLog(in(asks, line(2, logSyncSucceeded, "n2:6379"), line(3, logReplicaLost, "n2:6379"), asks, withOffset(line(61, logPartialOK, "n2:6379", 0, 100), 99), timedOut(62)))
	require.Len(t, v, 1, "%v", v)
	// The clock set back 100 s, then on 115 s (seed 2900324): an ACK
	// meanwhile stamped a time 90 s before the online line, so 33 s after
	// it by the clock is 123 s after that ACK.
	jumped := in(asks, line(2, logSyncSucceeded, "n2:6379"), timedOut(20))
	jumped.Clocks = Clocks{"n1": FixedClock(epochMs*1e6, 0)}
	c := jumped.Clocks["n1"]
	c.Segments = append(c.Segments,
		ClockSegment{From: 10e9, Offset: (epochMs - 100_000) * 1e6},
		ClockSegment{From: 15e9, Offset: (epochMs + 15_000) * 1e6})
	jumped.Clocks["n1"] = c
	jumped.Lines[len(jumped.Lines)-1].ClockMs += 15_000
	assert.Empty(t, CheckNodeLog(jumped))
	jumped.Clocks = nil // without the clock's history the rule bites
	require.Len(t, CheckNodeLog(jumped), 1)

	// Whole seconds (mutant repl_master.go:597:65's >= fired at exactly
	// repl-timeout): online at 2.1 s, timed out at 62.5 s is 60.4 s by
	// the millisecond but 60 whole seconds, not more than repl-timeout.
	online := line(2, logSyncSucceeded, "n2:6379")
	online.ClockMs += 100
	early := timedOut(62)
	early.ClockMs += 500
	v = CheckNodeLog(in(asks, online, early))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "not more whole seconds than repl-timeout (60 s)")
	late := timedOut(63)
	assert.Empty(t, CheckNodeLog(in(asks, online, late)), "61 whole seconds")
}

// A start that failed to load its files shares its Gen with the next
// start, which begins alone again: the backlog TTL counts from the later
// start, whatever the clock read at the failed one (fresh seed 6048617:
// the clock went back 110 s between them).
func TestBacklogFreedCountsFromTheProcessThatStarted(t *testing.T) {
	in := healthyLog()
	failed, start, freed := line(20, "Server initialized"), line(30, "Server initialized"), line(33, logBacklogFreed, 1)
	failed.Gen, failed.Proc = 1, 1
	failed.ClockMs += 110_000
	start.Gen, start.Proc, freed.Gen, freed.Proc = 1, 2, 1, 2
	in.Lines = append(in.Lines, failed, start, freed)
	assert.Empty(t, CheckNodeLog(in))
	start.Proc, freed.Proc = 1, 1
	in = healthyLog()
	in.Lines = append(in.Lines, failed, start, freed)
	assert.NotEmpty(t, CheckNodeLog(in), "one process whose clock went back: judged from its start")
}
