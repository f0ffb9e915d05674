package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// LogLine is one line a node wrote to its log: the format it was written
// with (Redis 7.0.15's text) and the line itself.
type LogLine struct {
	Node string
	// Gen numbers the node's process incarnations: a restart starts a new
	// one, with a fresh log state.
	Gen int
	// Proc numbers the node's processes: every start, one that failed to
	// load its files included (its lines share Gen with the next start's).
	Proc int
	At   int64 // virtual time, ns
	// Seq orders the line among the run's recorded events (Event.Seq):
	// a disk fault in the same instant came before it if its Seq is
	// lower.
	Seq int
	// Call numbers the harness's calls into the node (an event it
	// delivered, a tick, an operator's command): lines with the same Call
	// came from one of them.
	Call int
	// ClockMs is the node's own clock (Unix ms) when it wrote the line:
	// what the node's timers compare.
	ClockMs int64
	// ReplTimeoutMs is the node's repl-timeout when it wrote the line.
	ReplTimeoutMs int64
	// DisklessSync is the node's repl-diskless-sync when it wrote the
	// line.
	DisklessSync bool
	// DisklessDelaySec and DisklessMaxReplicas are the node's
	// repl-diskless-sync-delay and repl-diskless-sync-max-replicas when it
	// wrote the line.
	DisklessDelaySec, DisklessMaxReplicas int64
	// Settings is how many settings changes (LogInput.Settings, all
	// nodes) were recorded before the line: it orders the line among the
	// changes of its instant (a SHUTDOWN logs, then the node goes down).
	Settings int
	// StatResets is how many CONFIG RESETSTATs the incarnation had run
	// before the line: INFO's counters count the lines after the latest.
	StatResets int
	// ReplOffset is the node's master_repl_offset when it wrote the line.
	ReplOffset int64
	Format     string
	Args       []string
	Msg        string
}

// LogEnd is what a node reports of itself at the end of the run, for the
// rules that compare the log with the state it should have led to.
type LogEnd struct {
	Node string
	Gen  int
	// Up is false for a node that is not running (crashed, exited, or
	// shutting down): its last incarnation is not judged at the end.
	Up bool
	// Replicas is how many replica links it holds (INFO's
	// connected_slaves).
	Replicas int
	// AOFWriteOK is INFO persistence's aof_last_write_status:ok.
	AOFWriteOK bool
	// ClockMs is the node's clock at the end (Unix ms), and
	// ShutdownTimeoutMs the shutdown-timeout the harness gave it.
	ClockMs, ShutdownTimeoutMs int64
}

// LogExpect is a line a node must have logged at virtual time At, for an
// event the harness saw it handle (a failed dial to its master).
type LogExpect struct {
	Node   string
	Gen    int
	At     int64
	Format string
}

// LogExit is a node that shut itself down (the harness saw it exit
// without a crash or a kill).
type LogExit struct {
	Node string
	Gen  int
	At   int64
}

// LogInput is what CheckNodeLog judges: every node's log lines in order,
// the lines events require, the nodes' own exits, each node's end state,
// and the cluster's nodes' addresses (name -> listening port).
type LogInput struct {
	Lines   []LogLine
	Expects []LogExpect
	Exits   []LogExit
	Ends    []LogEnd
	Ports   map[string]int
	// ClientPorts are the listening ports the replication clients (no
	// cluster nodes) announce, by name: 0 for one that announces none.
	ClientPorts map[string]int
	// Settings are the nodes' settings over time, in time order: turning
	// the AOF off clears its write error without a line.
	Settings []SettingsChange
	// DiskFaults are the injected disk errors: a line reporting a failed
	// rename needs one.
	DiskFaults []DiskFault
	// Clocks are the nodes' clocks over the run: a clock that went back
	// during a connection attempt lets it time out sooner after its start.
	Clocks Clocks
	// LocalWritesFrom is when the first client write that may have run on
	// a writable replica was sent (math.MaxInt64: none); from then on a
	// replica may hold values its master's commands fail on.
	LocalWritesFrom int64
	// AOFStarts are the AOFs the nodes' processes found as they started
	// (CheckAOFTails, CheckAOFLoadErrors).
	AOFStarts []AOFStart
	// RDBStarts are the RDB files processes started from (the key
	// counts, the replication histories replicas' files held:
	// checkRDBStartKeys, checkRestartPsync).
	RDBStarts []RDBStart
	// MasterReads are what the harness saw a replica read from its master
	// before each "MASTER timeout" line (checkMasterTimeouts).
	MasterReads []MasterRead
}

// LogDialError is the line a replica logs when its connection to its
// master fails (Redis's connectWithMaster / syncWithMaster).
const LogDialError = "Error condition on socket for SYNC: %v"

// The log lines CheckNodeLog pairs with events (Redis 7.0.15's texts).
const (
	logLaggingReplica   = "Lagging replica %s reported offset %d behind master, lag=%d, state=%s."
	logInSyncAtShutdown = "%d of %d replicas are in sync when shutting down."
	logRDBVersion       = "Loading RDB produced by version %s"
	logRDBAge           = "RDB age %d seconds"
	logAsksSync         = "Replica %s asks for synchronization"
	logAsksWrong        = "Replica %s asks for synchronization but with a wrong offset"
	logReplicaLost      = "Connection with replica %s lost."
	logPartialOK        = "Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from offset %d."
	logFullRequested    = "Full resync requested by replica %s"
	logStreamedRDB      = "Streamed RDB transfer with replica %s succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming"
	logSyncSucceeded    = "Synchronization with replica %s succeeded"
	logNoBacklog        = "Unable to partial resync with replica %s for lack of backlog (Replica request was: %d)."
	logSyncStarted      = "MASTER <-> REPLICA sync started"
	logConnTimeout      = "Timeout connecting to the MASTER..."
	logAOFWriteErr      = "Error writing to the AOF file: %s"
	logAOFSolved        = "AOF write error looks solved, Redis can write again."
	logAOFOpened        = "Opening AOF incr file %s on server start"
	logRenameFailed     = "Error trying to rename the temporary AOF base file %s into %s: %s"
	logTruncating       = "!!! Truncating the AOF %s at offset %d !!!"
	logTruncated        = "AOF %s loaded anyway because aof-load-truncated is enabled"
	logAOFAlwaysExit    = "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting..."
	logFsyncExit        = "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting..."
	logSaveStarted      = "Background saving started by pid %d"
	logSaveDone         = "Background saving terminated with success"
	logSendStarted      = "Background RDB transfer started by pid %d"
	logSendDone         = "Background RDB transfer terminated with success"
	logSendPipeDone     = "Diskless rdb transfer, done reading from pipe, %d replicas still up."
	logMasterLost       = "Connection with master lost."
	logFullSyncDone     = "MASTER <-> REPLICA sync: Finished with success"
	logPartialDone      = "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization."
	logSyncToDisk       = "Starting BGSAVE for SYNC with target: disk"
	logReplicaTimedOut  = "Disconnecting timedout replica (streaming sync): %s"
)

// replicaNamed are the lines whose first argument names a replica as
// Redis does (replicationGetSlaveName): its IP and listening port.
var replicaNamed = map[string]bool{
	logAsksSync: true, logAsksWrong: true, logReplicaLost: true, logPartialOK: true,
	logFullRequested: true, logStreamedRDB: true, logSyncSucceeded: true, logNoBacklog: true,
}

// logGen is the log state of one incarnation of a node.
type logGen struct {
	// proc is the process whose lines came last (LogLine.Proc).
	proc int
	// lagging counts the "Lagging replica" lines right before
	// finishShutdown's count of replicas in sync.
	lagging int
	// backlog says the log created a backlog ("Replication backlog
	// created") that it has not freed since.
	backlog bool
	// alone is the node's clock (ms) at its last line that left it with
	// no replicas (a replica lost, REPLICAOF NO ONE), when hasAlone.
	alone             int64
	hasAlone          bool
	attached, lost    int
	links             map[string]int // per replica name: its links that asked for a sync and are not lost yet
	writeErrs, solved int
	// writeErrLogged: the incarnation logged an AOF write error; a later
	// error may then go unlogged (the 30 s rate limit), its recovery not.
	// solvedAt is when the last recovery was logged; hiddenUsed counts
	// the failed writes (aofWriteFaults) taken as unlogged errors.
	writeErrLogged bool
	// fsyncErrLogged: a "Fail to fsync the AOF file" line since the
	// process started or its last "AOF reopen, just ignore the AOF fsync
	// error in bio job" (a bio fsync failure logs it first).
	fsyncErrLogged      bool
	solvedAt            int64
	fsyncProc           int
	hiddenUsed          int
	saveStart, saveDone int
	// childSaved says the running BGSAVE's child logged "DB saved on
	// disk" (rdbSave, before it exits).
	childSaved           bool
	sendStart, sendDone  int
	pipeDone             int
	foreignAsker         bool    // a replica that is no cluster node (a client's SYNC) asked for a sync
	masterLink           LogLine // the line that established the master link; Format "" when none is up
	syncStart            LogLine // "MASTER <-> REPLICA sync started"; ClockMs -1 before one
	exiting              bool
	exitLine             LogLine
	judgedExitViolations bool
	// truncating is the "Truncating the AOF" line whose outcome is due.
	truncating *LogLine
	// online is, by replica name, the line of the replica's latest put
	// online (replicaPutOnline sets its repl_ack_time) or partial resync.
	online map[string]LogLine
}

// CheckNodeLog judges every node's log against the events it records:
// each line Redis writes for an event must be there when the event
// happened, and not when it did not. Per incarnation:
//   - a replica link the master dropped logs "Connection with replica %s
//     lost.": never more such lines than replicas attached (asked for
//     synchronization), and at the end the attached minus the lost are the
//     replicas the master still holds;
//   - a line naming a replica names a cluster node by the port it listens
//     on;
//   - "Timeout connecting to the MASTER..." comes more than repl-timeout
//     after the connection attempt began ("MASTER <-> REPLICA sync
//     started"), by the node's own clock: after the earliest time that
//     clock read since (a clock that went back);
//   - an AOF write error ("Error writing to the AOF file" or "Short write
//     while writing to the AOF file") and its recovery ("AOF write error
//     looks solved") alternate, but for errors the 30 s rate limit hides
//     after a first one, and a node whose AOF writes are fine at the end
//     logged the recovery of every error;
//   - a background job's success line follows its own start line (an RDB
//     to disk: "Background saving ...", to replicas' sockets: "Background
//     RDB transfer ...");
//   - a node that logs that it exits ("... Exiting...", or a SIGINT's
//     "You insist... exiting now.") logs nothing after it and is not
//     running at the end; a node that exits on its own logged why;
//   - an AOF truncated at load (aof-load-truncated) is loaded anyway,
//     unless a disk write failed as the node cut it;
//   - a failed rename of a rewritten AOF is logged only when a rename
//     failed on the node's disk then;
//   - a replica whose dial to its master failed logs "Error condition on
//     socket for SYNC" then;
//   - a replica's master link is established by a sync ("MASTER <->
//     REPLICA sync: Finished with success" or "... Master accepted a
//     Partial Resynchronization.") and ends with "Connection with master
//     lost.", which only an established link logs: Redis logs it in
//     freeClient for server.master, which exists from the end of a sync
//     until the link closes (the link dropped, timed out, killed, or
//     REPLICAOF), and it caches that link for a partial resync. Only the
//     process's exit ends a link without the line;
//   - a master times out a replica ("Disconnecting timedout replica
//     (streaming sync)") only more than repl-timeout after its last
//     ACK, so more than repl-timeout after it put the replica online
//     ("Synchronization with replica %s succeeded", or "Streamed RDB
//     transfer ... succeeded" with a diskless sync: replicaPutOnline sets
//     repl_ack_time then) or accepted its partial resync, by its own
//     clock;
//   - a master with repl-diskless-sync yes starts a full sync for cluster
//     nodes with target "replicas sockets", never "disk": every replica
//     (a Redis 7.0.15) announces REPLCONF capa eof, and
//     startBgsaveForReplication picks the socket target when
//     repl-diskless-sync is on and every waiting replica can read an EOF
//     transfer;
//   - a node opens its AOF ("Opening AOF incr file") only with appendonly
//     yes (Redis opens it at start or in startAppendOnly, with AOF_ON, and
//     feeds no AOF while it is off); a change of the node's settings at
//     the line's instant may have turned it on;
//   - a background AOF rewrite ends with an error only after a disk fault
//     on its node (log_aof_rewrite_error.go), and an incarnation that
//     loaded its AOF creates no base at start (log_aof_base_at_start.go).
func CheckNodeLog(in LogInput) []Violation {
	var out []Violation
	gens := map[string]*logGen{}
	key := func(node string, gen int) string { return node + "#" + strconv.Itoa(gen) }
	bad := func(l LogLine, format string, args ...any) {
		out = append(out, lineViolation(&l, format, args...))
	}
	renames := map[[2]any]bool{}
	diskFault := map[[2]any]bool{} // a failed write, fsync or rename: a node, an instant
	for _, f := range in.DiskFaults {
		if f.Op == "rename" {
			renames[[2]any{f.Node, f.At}] = true
		}
		if f.Op != "bitflip" {
			diskFault[[2]any{f.Node, f.At}] = true
		}
	}
	truncateDone := func(g *logGen) {
		if t := g.truncating; t != nil {
			g.truncating = nil
			if !diskFault[[2]any{t.Node, t.At}] {
				bad(*t, "%q, but not %q, and no disk write failed then", t.Msg, logTruncated)
			}
		}
	}
	current := map[string]*logGen{}
	// rdbVersion is, per node, its last "Loading RDB produced by version"
	// while the line after it is awaited: rdbSaveInfoAuxFields writes
	// redis-ver, redis-bits (which logs nothing), then ctime, so
	// rdbLoadRio's "RDB age" comes next, unless a flipped bit changed the
	// file (flipped[node, instant]).
	rdbVersion := map[string]*LogLine{}
	flipped := map[[2]any]bool{}
	for _, f := range in.DiskFaults {
		if f.Op == "bitflip" {
			flipped[[2]any{f.Node, f.At}] = true
		}
	}
	rdbAgeAfter := func(v *LogLine, next string) {
		if !flipped[[2]any{v.Node, v.At}] {
			bad(*v, "%q, then %s: an RDB's AUX fields are redis-ver, redis-bits, ctime, so Redis logs %q right after it", v.Msg, next, logRDBAge)
		}
	}
	settings := in.Settings
	applied := 0 // settings changes before the current line
	aofOn := map[string]bool{}
	changedAt := map[[2]any]bool{} // a node's settings changed at an instant
	for _, c := range in.Settings {
		changedAt[[2]any{c.Node, c.At}] = true
	}
	writeFaults := aofWriteFaults(in.DiskFaults)
	for _, l := range in.Lines {
		for len(settings) > 0 && (settings[0].At < l.At || settings[0].At == l.At && applied < l.Settings) {
			if g := current[settings[0].Node]; g != nil && !settings[0].AppendOnly {
				g.writeErrs = g.solved // the AOF is closed, its error forgotten (or reopened fresh)
			}
			aofOn[settings[0].Node] = settings[0].AppendOnly && !settings[0].Down
			settings = settings[1:]
			applied++
		}
		if l.Format != logLaggingReplica && l.Format != logInSyncAtShutdown {
			if g := current[l.Node]; g != nil && g.lagging > 0 {
				g.lagging = 0
			}
		}
		if v := rdbVersion[l.Node]; v != nil {
			delete(rdbVersion, l.Node)
			if l.Format != logRDBAge {
				rdbAgeAfter(v, fmt.Sprintf("%q", l.Msg))
			}
		}
		if l.Format == logRDBVersion {
			l := l
			rdbVersion[l.Node] = &l
		}
		k := key(l.Node, l.Gen)
		g := gens[k]
		if g == nil {
			// A process starts with no replicas (repl_no_slaves_since is
			// its start).
			g = &logGen{syncStart: LogLine{ClockMs: -1}, alone: l.ClockMs, hasAlone: true, proc: l.Proc}
			gens[k] = g
		}
		if l.Proc != g.proc {
			// A start that failed to load its files shares its Gen with
			// the next one, which starts alone again (fresh seed 6048617:
			// a clock jump between them).
			g.proc, g.alone, g.hasAlone = l.Proc, l.ClockMs, true
		}
		current[l.Node] = g
		// startAppendOnly forgets a write error, and says so; a rewrite's
		// new incr file (openNewIncrAofForAppend) does not: its recovery
		// may follow (seed 4540).
		if l.Format == logReopenWriteErr || aofOpenFormats[l.Format] && l.Format != logAOFCreatedOnRW {
			g.writeErrs = g.solved
		}
		if l.Proc != g.fsyncProc {
			g.fsyncProc, g.fsyncErrLogged = l.Proc, false
		}
		switch l.Format {
		case logEverysecFsyncFail:
			g.fsyncErrLogged = true
		case logReopenFsyncErr:
			if !g.fsyncErrLogged {
				bad(l, "%q with no %q since the process started or its last reopen: startAppendOnly says so only with aof_bio_fsync_status err, which a failed bio fsync sets as it logs that line", l.Msg, logEverysecFsyncFail)
			}
			g.fsyncErrLogged = false
		}
		if l.Format == logReopenWriteErr && !g.writeErrLogged {
			// The first AOF write error of a process is always logged
			// (the 30 s rate limit starts then).
			bad(l, "%q in a process that logged no AOF write error: startAppendOnly says so only with aof_last_write_status err", l.Msg)
		}
		if aofOpenFormats[l.Format] {
			if len(in.Settings) > 0 && !aofOn[l.Node] && !changedAt[[2]any{l.Node, l.At}] {
				bad(l, "%q with appendonly no", l.Msg)
			}
		}
		// The node finishes the event it decided to exit in (a SHUTDOWN's
		// fsync after an fsync error under always, seed 4990): lines of that
		// instant are not judged, later ones are.
		if g.exiting && !g.judgedExitViolations && l.At > g.exitLine.At {
			g.judgedExitViolations = true
			bad(l, "logged %q after %q: a node that says it exits stops", l.Msg, g.exitLine.Msg)
		}
		if replicaNamed[l.Format] && len(l.Args) > 0 {
			if msg, ok := badReplicaName(l.Args[0], in.Ports, in.ClientPorts); !ok {
				bad(l, "%q: %s", l.Msg, msg)
			}
		}
		switch l.Format {
		case logTruncating:
			truncateDone(g)
			l := l
			g.truncating = &l
		case logTruncated:
			g.truncating = nil
		case logRDBAge:
			// rdbLoadRio clamps the age of an RDB whose ctime is ahead of
			// the clock (a clock that jumped back since the save) at 0.
			if len(l.Args) > 0 && strings.HasPrefix(l.Args[0], "-") {
				bad(l, "%q: Redis logs a negative age as 0 (rdbLoadRio: if (age < 0) age = 0)", l.Msg)
			}
		case logAsksSync:
			g.attached++
			g.addLink(l.Args, 1)
			if len(l.Args) > 0 {
				if _, node := in.Ports[l.Args[0][:max(strings.LastIndexByte(l.Args[0], ':'), 0)]]; !node {
					g.foreignAsker = true
				}
			}
		case logSyncToDisk:
			if l.DisklessSync && !g.foreignAsker {
				bad(l, "%q with repl-diskless-sync yes, for replicas that all announced capa eof", l.Msg)
			}
		case logAsksWrong:
			g.attached-- // its "asks for synchronization" came first; it never attached
			g.addLink(l.Args, -1)
		case logLaggingReplica:
			g.lagging++
		case logInSyncAtShutdown:
			// finishShutdown logs one line per lagging replica, then
			// how many of them all are in sync.
			inSync, err1 := strconv.Atoi(argAt(l, 0))
			all, err2 := strconv.Atoi(argAt(l, 1))
			if err1 == nil && err2 == nil && inSync != all-g.lagging {
				bad(l, "%q right after %d lines %q: Redis counts in sync the replicas it did not name as lagging", l.Msg, g.lagging, logLaggingReplica)
			}
			g.lagging = 0
		case logBacklogCreated:
			g.backlog = true
		case logNoBacklog:
			// masterTryPartialResynchronization serves every offset from
			// the backlog's first byte to master_repl_offset + 1 (the
			// next byte: nothing to send); a replica that has it all asks
			// for exactly that.
			if req, err := strconv.ParseInt(argAt(l, 1), 10, 64); err == nil && g.backlog && req == l.ReplOffset+1 {
				bad(l, "%q with master_repl_offset %d: Redis serves a request for the next byte from any backlog (psync_offset <= backlog offset + histlen)", l.Msg, l.ReplOffset)
			}
		case logMasterMode, logSecondaryID:
			g.alone, g.hasAlone = l.ClockMs, true
		case logBacklogFreed:
			g.backlog = false
			// replicationCron frees it only once more than
			// repl-backlog-ttl whole seconds of its clock passed since
			// its last replica left, its start or its promotion
			// (repl_no_slaves_since).
			var ttl int64 = -1
			if len(l.Args) > 0 {
				ttl, _ = strconv.ParseInt(l.Args[0], 10, 64)
			}
			if ttl == 0 {
				bad(l, "%q: repl-backlog-ttl 0 means never: replicationCron frees the backlog only with a non-zero repl_backlog_time_limit", l.Msg)
			}
			if ttl >= 0 && g.hasAlone && l.ClockMs/1000-g.alone/1000 <= ttl {
				bad(l, "%q only %d s of its clock after it started, its last replica left or it became a master: Redis frees the backlog once more than repl-backlog-ttl (%d) seconds passed",
					l.Msg, l.ClockMs/1000-g.alone/1000, ttl)
			}
		case logReplicaLost:
			g.alone, g.hasAlone = l.ClockMs, true
			g.lost++
			g.addLink(l.Args, -1)
			if g.lost > g.attached {
				bad(l, "%q: more replica links lost (%d) than replicas attached (%d)", l.Msg, g.lost, g.attached)
			}
		case logSyncStarted:
			g.syncStart = l
		case logSyncSucceeded, logStreamedRDB, logPartialOK:
			if g.online == nil {
				g.online = map[string]LogLine{}
			}
			if len(l.Args) > 0 {
				g.online[l.Args[0]] = l
			}
		case logReplicaTimedOut:
			if len(l.Args) > 0 {
				// With an older link of the same replica still open (its
				// close not arrived), the line may be about that link.
				// An ACK after a clock set back stamps an earlier time
				// than the online line's (seed 2900324): measured from the
				// earliest reading since.
				// Whole seconds: server.unixtime - repl_ack_time > repl-timeout.
				if on, ok := g.online[l.Args[0]]; ok && g.links[l.Args[0]] <= 1 && secondsBetween(earliestReadMs(in.Clocks, on, l), l.ClockMs) <= l.ReplTimeoutMs/1000 {
					bad(l, "%q %d ms (by its clock) after %q: not more whole seconds than repl-timeout (%d s) after the ACK time that set (server.unixtime - repl_ack_time > repl_timeout)",
						l.Msg, l.ClockMs-on.ClockMs, on.Msg, l.ReplTimeoutMs/1000)
				}
			}
		case logFullSyncDone, logPartialDone:
			if g.masterLink.Format != "" {
				bad(l, "%q while the master link established at %s (%q) is still up: that link ended without %q",
					l.Msg, seconds(g.masterLink.At), g.masterLink.Msg, logMasterLost)
			}
			g.masterLink = l
		case logMasterLost:
			if g.masterLink.Format == "" {
				bad(l, "%q without an established master link (no %q or %q since the last loss)",
					l.Msg, logFullSyncDone, logPartialDone)
			}
			g.masterLink = LogLine{}
		case logAOFWriteErr, logAOFShortWrite:
			// Redis logs an unsolved write error again at most every 30 s
			// (AOF_WRITE_LOG_ERROR_RATE): a repeat is the same error.
			if g.writeErrs == g.solved {
				g.writeErrs++
			}
			g.writeErrLogged = true
			// The failed write this line reports is no hidden error (the
			// first at its instant: later writes in the same instant may
			// fail unlogged).
			g.takeHiddenError(writeFaults[l.Node], l.At, l.At)
		case logAOFSolved:
			if g.solved >= g.writeErrs {
				// The rate limit hides an error that starts within 30 s
				// of the last one logged, never its recovery: after a
				// logged error, a failed write on the incr AOF since the
				// last recovery may be it.
				if !g.writeErrLogged || !g.takeHiddenError(writeFaults[l.Node], g.solvedAt, l.At) {
					bad(l, "%q without an AOF write error before it", l.Msg)
				}
				g.writeErrs = g.solved + 1
			}
			g.solved++
			g.solvedAt = l.At
		case logAOFAlwaysExit, logFsyncExit, logInsist:
			g.exiting, g.exitLine = true, l
		case logSaveStarted:
			g.saveStart++
			g.childSaved = false
		case logDBSaved:
			g.childSaved = true
		case logSaveDone, logSaveBySignal:
			// A killed child's reap ends its save as an end does.
			g.saveDone++
			if l.Format == logSaveDone && g.saveDone <= g.saveStart && !g.childSaved {
				bad(l, "%q without the child's %q since the save started: the child's rdbSave logs it before it exits with success", l.Msg, logDBSaved)
			}
			g.childSaved = false
			if g.saveDone > g.saveStart {
				bad(l, "%q without a background save started (%d started)", l.Msg, g.saveStart)
			}
		case logSendStarted:
			g.sendStart++
		case logSendDone, logSendBySignal:
			g.sendDone++
			if g.sendDone > g.sendStart {
				bad(l, "%q without a transfer to replicas' sockets started (%d started)", l.Msg, g.sendStart)
			}
		case logSendPipeDone:
			g.pipeDone++
			if g.pipeDone > g.sendStart {
				bad(l, "%q without a transfer to replicas' sockets started (%d started)", l.Msg, g.sendStart)
			}
		}
		if l.Format == logRenameFailed && !renames[[2]any{l.Node, l.At}] {
			bad(l, "%q but no rename failed on its disk then", l.Msg)
		}
		if l.Msg == logConnTimeout && g.syncStart.ClockMs >= 0 {
			// Whole seconds: time(NULL) - repl_transfer_lastio > repl-timeout.
			if since := secondsBetween(earliestReadMs(in.Clocks, g.syncStart, l), l.ClockMs); since <= l.ReplTimeoutMs/1000 {
				bad(l, "%q %d ms after the attempt began (%q), %d whole seconds after the earliest time its clock read since, not more than repl-timeout %d s",
					l.Msg, l.ClockMs-g.syncStart.ClockMs, logSyncStarted, since, l.ReplTimeoutMs/1000)
			}
		}
	}
	seen := map[LogExpect]bool{}
	explained := map[string]bool{}
	for _, l := range in.Lines {
		seen[LogExpect{Node: l.Node, Gen: l.Gen, At: l.At, Format: l.Format}] = true
		if exitExplained(l) {
			explained[key(l.Node, l.Gen)] = true
		}
	}
	for _, e := range in.Expects {
		if !seen[e] {
			bad(LogLine{Node: e.Node, Gen: e.Gen, At: e.At}, "no line %q for the event the harness saw it handle", e.Format)
		}
	}
	for _, x := range in.Exits {
		if !explained[key(x.Node, x.Gen)] {
			bad(LogLine{Node: x.Node, Gen: x.Gen, At: x.At}, "exited on its own without a line saying why (\"... Exiting...\", \"... bye bye...\")")
		}
	}
	for _, g := range gens {
		truncateDone(g)
	}
	out = append(out, aofOpenedAtStart(in.Lines, diskFault)...)
	out = append(out, disklessDelayKept(in.Lines)...)
	out = append(out, aofRestartTriesKept(in.Lines)...)
	out = append(out, rdbLoadsDone(in.Lines)...)
	out = append(out, cachedMasterDiscarded(in.Lines)...)
	out = append(out, masterTurnedReplicaSynthesizes(in.Lines, in.Settings)...)
	out = append(out, fatalLinesLast(in.Lines)...)
	out = append(out, manifestFaultsLogged(in.Lines, in.DiskFaults)...)
	out = append(out, offsetAheadWarned(in.Lines)...)
	out = append(out, backlogHeld(in.Lines, in.Settings)...)
	out = append(out, childPidsNamed(in.Lines)...)
	out = append(out, rewriteLimitHeld(in.Lines)...)
	out = append(out, rewriteLimitDelays(in.Lines)...)
	out = append(out, aofRestartFailuresExplained(in.Lines)...)
	out = append(out, pipeDoneCounts(in.Lines)...)
	out = append(out, aofLoadTotals(in.Lines)...)
	out = append(out, replicaofNoReconnect(in.Lines)...)
	out = append(out, aofTxErrors(in.Lines)...)
	out = append(out, alwaysExitsUnderAlways(in.Lines, in.Settings)...)
	out = append(out, reopenForgetsWriteError(in.Lines, in.Settings)...)
	out = append(out, fileErrorsFaulted(in.Lines, in.DiskFaults)...)
	out = append(out, rdbWriteCalls(in.Lines, in.DiskFaults)...)
	out = append(out, rdbReadFaultsReported(in.Lines, in.DiskFaults)...)
	out = append(out, aofDirSyncsReported(in.Lines, in.DiskFaults)...)
	out = append(out, aofWritesFaulted(in.Lines, in.DiskFaults)...)
	out = append(out, aofWriteErrorsRated(in.Lines)...)
	out = append(out, bgsaveAttached(in.Lines, in.Ports)...)
	out = append(out, baseSeqsFollow(in.Lines)...)
	out = append(out, dirSyncsReported(in.Lines, in.DiskFaults)...)
	out = append(out, historyRemoved(in.Lines)...)
	out = append(out, killedSavesStayKilled(in.Lines)...)
	out = append(out, shutdownKillsRDBChild(in.Lines)...)
	out = append(out, reconnectsAfterFailure(in.Lines)...)
	out = append(out, checksumValuesFit(in.Lines, in.DiskFaults)...)
	out = append(out, checksumFlipsReported(in.Lines, in.DiskFaults)...)
	out = append(out, logOffsetsAgree(in.Lines)...)
	out = append(out, errorRepliesToMaster(in.Lines, in.LocalWritesFrom)...)
	out = append(out, checkAOFLog(in)...)
	out = append(out, rewriteErrorsFaulted(in)...)
	out = append(out, baseAtStartAfterLoad(in.Lines)...)
	out = append(out, CheckAOFTails(in.AOFStarts, in.Lines, in.DiskFaults)...)
	out = append(out, CheckAOFStartOpens(in.AOFStarts, in.Lines, in.DiskFaults)...)
	out = append(out, CheckAOFLoadedFiles(in.AOFStarts, in.Lines, in.DiskFaults)...)
	for _, node := range sortedKeys(rdbVersion) {
		rdbAgeAfter(rdbVersion[node], "nothing")
	}
	out = append(out, CheckAOFLoadErrors(in.AOFStarts, in.Lines, in.DiskFaults)...)
	out = append(out, CheckAOFClientErrorsOwnCommand(in.Lines)...)
	out = append(out, checkSyncLog(in)...)
	out = append(out, checkRestartPsync(in)...)
	out = append(out, checkRDBStartKeys(in)...)
	out = append(out, checkMasterTimeouts(in)...)
	out = append(out, checkShutdownSave(in.Lines)...)
	out = append(out, checkSaveOutcomes(in.Lines)...)
	out = append(out, checkNextLines(in.Lines)...)
	out = append(out, checkRDBIsBase(in.Lines)...)
	out = append(out, checkChecksumFlipAux(in.Lines, in.DiskFaults)...)
	out = append(out, syncFailuresLogged(in.Lines)...)
	out = append(out, checkSecondIDRefusals(in.Lines)...)
	out = append(out, checkInitialAOFShutdowns(in.Lines, in.Settings)...)
	out = append(out, checkStartBasesWritten(in.Lines, in.DiskFaults)...)
	out = append(out, checkBacklogTTLZero(in.Lines)...)
	out = append(out, checkRDBAgeBound(in.Lines, in.Clocks)...)
	out = append(out, checkSavePointTiming(in.Lines)...)
	out = append(out, checkWaitingRewriteRenamesIncr(in.Lines)...)
	out = append(out, checkEnabledOtherChild(in.Lines)...)
	out = append(out, checkAOFRDBPartAnnounced(in.Lines)...)
	out = append(out, checkAOFFileKinds(in.Lines)...)
	out = append(out, checkShutdownLagLines(in.Lines)...)
	out = append(out, checkShutdownWaitsEnd(in.Lines, in.Ends)...)
	for _, c := range settings {
		if g := current[c.Node]; g != nil && !c.AppendOnly {
			g.writeErrs = g.solved
		}
	}
	for _, e := range in.Ends {
		g := gens[key(e.Node, e.Gen)]
		if g == nil {
			continue
		}
		end := LogLine{Node: e.Node, Gen: e.Gen}
		if g.exiting && e.Up {
			bad(end, "still running at the end after logging %q", g.exitLine.Msg)
			continue
		}
		if !e.Up {
			continue
		}
		if held := g.attached - g.lost; held != e.Replicas {
			bad(end, "holds %d replica links at the end, but its log attached %d and lost %d (%q)",
				e.Replicas, g.attached, g.lost, logReplicaLost)
		}
		if e.AOFWriteOK && g.solved < g.writeErrs {
			bad(end, "its AOF writes are fine at the end, but its log has %d write errors and %d recoveries (%q)",
				g.writeErrs, g.solved, logAOFSolved)
		}
	}
	return out
}

// lineViolation is a node_log violation about line l: its node and
// incarnation, then the detail.
func lineViolation(l *LogLine, format string, args ...any) Violation {
	return Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
		Detail: fmt.Sprintf("%s (incarnation %d): ", l.Node, l.Gen) + fmt.Sprintf(format, args...)}
}

// earliestReadMs is the earliest time (Unix ms) node l.Node's clock read
// from line start to line l. Redis times a connection attempt out when
// time(NULL) - repl_transfer_lastio > repl-timeout (replication.c
// replicationCron), and repl_transfer_lastio is the clock read at the
// attempt's start (connectWithMaster) or at any reply of the handshake
// since (receiveSynchronousResponse, keepalive newlines included): after a
// clock jump backwards that can be earlier than the start's reading.
// Without the node's clock, the start's reading.
func earliestReadMs(clocks Clocks, start, l LogLine) int64 {
	c, ok := clocks[l.Node]
	if !ok || !c.Known() || start.At > l.At {
		return start.ClockMs
	}
	lo, _ := c.Range(start.At, l.At)
	return min(start.ClockMs, lo/1_000_000) // Unix ns, positive: / floors
}

// badReplicaName checks a replica's name in a log line: "host:port" with
// port the listening port host announced (REPLCONF listening-port: a
// node's in ports, a replication client's in clients), or
// "<unknown-replica-port>" for a client that announces none (port 0:
// replicationGetSlaveName's form). A name whose host is in neither is not
// judged.
func badReplicaName(name string, ports, clients map[string]int) (string, bool) {
	i := strings.LastIndexByte(name, ':')
	if i < 0 {
		return "not host:port", false
	}
	host, port := name[:i], name[i+1:]
	want, ok := ports[host]
	if !ok {
		want, ok = clients[host]
	}
	if !ok {
		return "", true
	}
	if want == 0 {
		if port != "<unknown-replica-port>" {
			return fmt.Sprintf("names replica %s by port %q, it announced none (\"<unknown-replica-port>\")", host, port), false
		}
		return "", true
	}
	if port != strconv.Itoa(want) {
		return fmt.Sprintf("names replica %s by port %q, it listens on %d", host, port, want), false
	}
	return "", true
}

// exitExplained is whether line l says why its node exits: Redis's lines
// for a fatal persistence error, for SHUTDOWN and for a SIGINT that
// insists, or an AOF load error (DEBUG LOADAOF exits on one, after
// logging it).
func exitExplained(l LogLine) bool {
	return strings.HasSuffix(l.Msg, "Exiting...") || strings.HasSuffix(l.Msg, "bye bye...") || l.Msg == logInsist || l.Msg == logAOFRestartFatal || l.Format == "%s" ||
		strings.HasPrefix(l.Msg, "AOF file ") || strings.HasPrefix(l.Msg, "Fatal error: ")
}

// addLink counts a replica's link (args[0] names it) in or out.
func (g *logGen) addLink(args []string, d int) {
	if len(args) == 0 {
		return
	}
	if g.links == nil {
		g.links = map[string]int{}
	}
	g.links[args[0]] += d
}

// logAOFLoaded starts loadDataFromDisk's line after a start loaded the
// AOF ("DB loaded from append only file: %.3f seconds"); DEBUG LOADAOF
// logs logLoadedByDebug instead.
const logAOFLoaded = "DB loaded from append only file"

// aofOpenedAtStart checks that a node that loads its AOF as it starts
// opens it for appending in the same instant, before it serves anything
// (Redis's loadDataFromDisk, then aofOpenIfNeededOnServerStart, in main):
// the start is the instant of its incarnation's first line. A disk fault
// then (the open failed) excuses it.
func aofOpenedAtStart(lines []LogLine, diskFault map[[2]any]bool) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	start := map[genKey]int64{}
	loaded := map[genKey]LogLine{}
	opened := map[genKey]bool{}
	var order []genKey
	for _, l := range lines {
		k := genKey{l.Node, l.Gen}
		t, ok := start[k]
		if !ok {
			start[k], t = l.At, l.At
			order = append(order, k)
		}
		if l.At != t {
			continue
		}
		switch {
		case strings.HasPrefix(l.Msg, logAOFLoaded):
			if _, ok := loaded[k]; !ok {
				loaded[k] = l
			}
		case l.Format == logAOFOpened || l.Format == logAOFCreatedAtStart:
			opened[k] = true
		}
	}
	var out []Violation
	for _, k := range order {
		l, ok := loaded[k]
		if !ok || opened[k] || diskFault[[2]any{k.node, start[k]}] {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{k.node},
			Detail: fmt.Sprintf("%s (incarnation %d): %q at its start, but no %q then: Redis opens the AOF it loaded before it serves anything",
				k.node, k.gen, l.Msg, logAOFOpened)})
	}
	return out
}

// argAt is l's argument i, or "".
func argAt(l LogLine, i int) string {
	if i < len(l.Args) {
		return l.Args[i]
	}
	return ""
}

// aofWriteFaults are, by node, the failed writes on its incr AOF files.
func aofWriteFaults(faults []DiskFault) map[string][]DiskFault {
	out := map[string][]DiskFault{}
	for _, f := range faults {
		if f.Op == "write" && IsIncrAOF(f.Path) {
			out[f.Node] = append(out[f.Node], f)
		}
	}
	return out
}

// takeHiddenError takes the first failed write of faults (the node's, in
// order) not taken yet and not before from, if it came by to: the error
// an unlogged failure started. Each recovery takes its own, several may
// come in one instant.
func (g *logGen) takeHiddenError(faults []DiskFault, from, to int64) bool {
	for g.hiddenUsed < len(faults) && faults[g.hiddenUsed].At < from {
		g.hiddenUsed++
	}
	if g.hiddenUsed < len(faults) && faults[g.hiddenUsed].At <= to {
		g.hiddenUsed++
		return true
	}
	return false
}

// secondsBetween is the whole seconds of a clock (Unix ms) from fromMs to
// toMs, as Redis subtracts two second readings (server.unixtime).
func secondsBetween(fromMs, toMs int64) int64 { return floorDiv(toMs, 1000) - floorDiv(fromMs, 1000) }
