package checker

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The grammar of Redis 7.0.15's log lines for one replication sync, both
// sides (src/replication.c). checkSyncLog judges it over every node's log.

// Replica side (connectWithMaster, syncWithMaster,
// slaveTryPartialResynchronization, readSyncBulkPayload).
const (
	logConnecting      = "Connecting to MASTER %s:%d"
	logReconnecting    = "Reconnecting to MASTER %s:%d"
	logReconnectFailed = "Reconnecting to MASTER %s:%d after failure"
	logConnectFired    = "Non blocking connect for SYNC fired the event."
	logPingReplied     = "Master replied to PING, replication can continue..."
	logTryPartial      = "Trying a partial resynchronization (request %s:%d)."
	logNoCached        = "Partial resynchronization not possible (no cached master)"
	logFullFromMaster  = "Full resync from master: %s:%d"
	logBadFullResync   = "Master replied with wrong +FULLRESYNC syntax."
	logNoPsyncSupport  = "Master does not support PSYNC or is in error state (reply: %s)"
	logUnexpectedPsync = "Unexpected reply to PSYNC from master: %s"
	logRetrySync       = "Retrying with SYNC..."
	logReceivingEOF    = "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"
	logReceivingBytes  = "MASTER <-> REPLICA sync: receiving %d bytes from master to disk"
	logDiscardCached   = "Discarding previously cached master state."
	logFlushingOld     = "MASTER <-> REPLICA sync: Flushing old data"
	logLoadingDB       = "MASTER <-> REPLICA sync: Loading DB in memory"
	logPartialSuccess  = "Successful partial resynchronization with master."
	logReplidChanged   = "Master replication ID changed to %s"
	logReadFailed      = "Failed to read response from the server: %s"
	logNoPsyncReply    = "Master did not reply to PSYNC, will try later"
	logNoHandshakeRepl = "Master did not respond to command during SYNC handshake"
	logIOErrorSync     = "I/O error trying to sync with MASTER: connection lost"
	logPsyncLater      = "Master is currently unable to PSYNC but should be in the future: %s"
	logMasterMode      = "MASTER MODE enabled (user request from '%s')"
	logCachingMaster   = "Caching the disconnected master state."
	logRDBLoaded       = "Done loading RDB, keys loaded: %d, keys expired: %d."
	logReplicaOfOn     = "REPLICAOF %s:%d enabled (user request from '%s')"
)

// attemptFailed are the lines of a replica's attempt that failed: the
// next one may begin. The node logs some through a "%s" format
// (attemptFailedMsg).
var attemptFailed = map[string]bool{
	LogDialError: true, logReadFailed: true, logNoPsyncReply: true, logNoHandshakeRepl: true, logIOErrorSync: true,
	logPsyncLater: true, logMasterMode: true,
}

// attemptFailedMsg are the beginnings of the other lines of a failed
// attempt (syncWithMaster, readSyncBulkPayload, replicationCron).
var attemptFailedMsg = []string{
	"Error reply to PING from master: ", "Unable to AUTH to MASTER: ", "MASTER aborted replication with an error: ",
	"Bad protocol from MASTER, ", "Failed trying to load the MASTER synchronization DB",
	"Timeout connecting to the MASTER...", "Timeout receiving bulk data from MASTER...",
	// A transfer loaded from disk: its temp file, and its fsync and rename
	// over dbfilename (readSyncBulkPayload, syncWithMaster).
	"Opening the temp file needed for MASTER <-> REPLICA synchronization: ",
	"Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ",
	"Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ",
	"Failed trying to rename the temp DB into ", "Failed trying to sync DB directory ",
}

// attemptEnded is whether l ends a replica's attempt without success.
func attemptEnded(l LogLine) bool {
	if attemptFailed[l.Format] {
		return true
	}
	if l.Format != "%s" && l.Format != "" {
		return false
	}
	for _, p := range attemptFailedMsg {
		if strings.HasPrefix(l.Msg, p) {
			return true
		}
	}
	return false
}

// Master side (syncCommand, masterTryPartialResynchronization,
// startBgsaveForReplication, updateSlavesWaitingBgsave, replicaPutOnline).
const (
	logNotAcceptedID     = "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '%s', my replication IDs are '%s' and '%s')"
	logNotAcceptedOff    = "Partial resynchronization not accepted: Requested offset for second ID was %d, but I can reply up to %d"
	logOffsetAhead       = "Warning: replica %s tried to PSYNC with an offset that is greater than the master replication offset."
	logBacklogCreated    = "Replication backlog created, my new replication IDs are '%s' and '%s'"
	logDelayDiskless     = "Delay next BGSAVE for diskless SYNC"
	logSyncToSockets     = "Starting BGSAVE for SYNC with target: replicas sockets"
	logWaitBgsaveEnd     = "Waiting for end of BGSAVE for SYNC"
	logCantAttach        = "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC"
	logSocketBgsave      = "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC"
	logOtherChild        = "No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed"
	logForkFailed        = "Can't save in background: fork: %s"
	logReplInfoMissing   = "BGSAVE for replication: replication information not available, can't generate the RDB file right now. Try later."
	logReplBgsaveFailed  = "BGSAVE for replication failed"
	logSyncBgsaveStarted = "Starting BGSAVE for SYNC with target: %s" // the real server's format, both targets
)

// syncStep is one line of a sequence: any of alts, or nothing when opt.
type syncStep struct {
	alts []string
	opt  bool
}

func one(f ...string) syncStep   { return syncStep{alts: f} }
func maybe(f ...string) syncStep { return syncStep{alts: f, opt: true} }

// syncSeq is what a replica must have logged, in order, since its attempt
// began (logSyncStarted, the first step) when it logs close: every line
// Redis writes unconditionally on that path. Lines of the grammar's
// alphabet (replicaAlphabet) that are no step are not allowed in between.
type syncSeq struct {
	close string
	steps []syncStep
}

// The handshake every attempt goes through (syncWithMaster): the connect
// fires, PING is answered, then PSYNC is offered with or without a cached
// master.
func handshake(offer string) []syncStep {
	return []syncStep{one(logSyncStarted), one(logConnectFired), one(logPingReplied), one(offer)}
}

// fullSync is a full sync after the handshake offered PSYNC with offer
// (a cached master or none) and the master answered +FULLRESYNC, or -ERR
// and the replica retried with SYNC (viaSync). With repl-diskless-load
// disabled (the only mode the node has) readSyncBulkPayload logs the
// transfer, then replicationAttachToNewMaster discards the cached master
// (which exists exactly when the handshake offered it: nothing caches or
// frees one during an attempt), then it flushes and loads.
func fullSync(offer string, viaSync bool) syncSeq {
	steps := handshake(offer)
	if viaSync {
		steps = append(steps, one(logNoPsyncSupport, logUnexpectedPsync), one(logRetrySync))
	} else {
		steps = append(steps, one(logFullFromMaster, logBadFullResync))
	}
	steps = append(steps, one(logReceivingEOF, logReceivingBytes))
	if offer == logTryPartial {
		steps = append(steps, one(logDiscardCached))
	}
	return syncSeq{close: logFullSyncDone, steps: append(steps, one(logFlushingOld), one(logLoadingDB))}
}

// replicaSeqs are the paths to a replica's successful sync: a closing
// line must follow one of its sequences.
var replicaSeqs = []syncSeq{
	{close: logPartialDone, steps: append(handshake(logTryPartial), one(logPartialSuccess), maybe(logReplidChanged))},
	fullSync(logTryPartial, false), fullSync(logNoCached, false),
	fullSync(logTryPartial, true), fullSync(logNoCached, true),
}

// replicaAlphabet is every format of the replica sequences.
var replicaAlphabet = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range replicaSeqs {
		m[s.close] = true
		for _, st := range s.steps {
			for _, f := range st.alts {
				m[f] = true
			}
		}
	}
	return m
}()

// syncNext says which line must come right after a line (the node's next
// line, the same instant): code Redis runs in one go. Master side: the
// PSYNC decision follows the request, the start of the sync job (or why it
// waits) follows a full resync's decision, the fork's line follows the job's
// start, a replica put online by a socket transfer is online at once
// (updateSlavesWaitingBgsave, replicaPutOnline). Replica side: the attempt
// starts right after the line that connects (connectWithMaster).
var syncNext = map[string][]string{
	logFullRequested:  fullResyncNext,
	logNotAcceptedID:  fullResyncNext,
	logNotAcceptedOff: fullResyncNext,
	logNoBacklog:      append([]string{logOffsetAhead}, fullResyncNext...),
	logOffsetAhead:    fullResyncNext,
	logBacklogCreated: bgsaveDecision,
	logSyncToDisk:     {logSaveStarted, logForkFailed, logReplInfoMissing, logReplBgsaveFailed},
	logSyncToSockets:  {logSendStarted, logForkFailed, logReplInfoMissing, logReplBgsaveFailed},
	logStreamedRDB:    {logSyncSucceeded, logRDBOnlyDone},
	// receiveSynchronousResponse's callers give the attempt up at once.
	logReadFailed: {logNoPsyncReply, logNoHandshakeRepl},
	// replicationCacheMaster's caller goes on at once: a replica that lost
	// its link reconnects (replicationHandleMasterDisconnection), REPLICAOF
	// NO ONE discards the cached master (replicationUnsetMaster), REPLICAOF
	// host port connects to the new master (replicationSetMaster).
	logCachingMaster: {logReconnecting, logDiscardCached, logConnecting},
}

// logRDBOnlyDone is replicaPutOnline's line for a replica that asked for
// the RDB only (redis-cli --rdb), instead of putting it online.
const logRDBOnlyDone = "RDB transfer completed, rdb only replica (%s) should be disconnected asap"

// psyncDecision are masterTryPartialResynchronization's lines, one of
// which follows every PSYNC's "asks for synchronization" (a SYNC gets
// none).
var psyncDecision = []string{logPartialOK, logFullRequested, logNotAcceptedID, logNotAcceptedOff, logNoBacklog, logAsksWrong}

// unnamed is whether a replica's name in a line is Redis's fallback for a
// connection whose peer address is gone (replicationGetSlaveName): it
// cannot be paired with the replica's other lines.
func unnamed(name string) bool { return strings.HasPrefix(name, "client id #") }

// bgsaveDecision are syncCommand's last lines for a full resync: how the
// replica will get its RDB.
var bgsaveDecision = []string{logWaitBgsaveEnd, logCantAttach, logSocketBgsave, logDelayDiskless, logSyncToDisk, logSyncToSockets, logOtherChild}

var fullResyncNext = append([]string{logBacklogCreated}, bgsaveDecision...)

// syncPrev says which line must come right before a line. The PSYNC
// decision answers the request it follows (named lines name the same
// replica); the attempt begins right after the line that connects.
var syncPrev = map[string][]string{
	logPartialOK:      {logAsksSync},
	logFullRequested:  {logAsksSync},
	logNoBacklog:      {logAsksSync},
	logNotAcceptedID:  {logAsksSync},
	logNotAcceptedOff: {logAsksSync},
	logOffsetAhead:    {logNoBacklog},
	logAsksWrong:      {logAsksSync},
	logSyncStarted:    {logConnecting, logReconnecting, logReconnectFailed},
}

// sameReplica are the lines whose first argument must name the replica
// the line before names.
var sameReplica = map[string]bool{logPartialOK: true, logFullRequested: true, logNoBacklog: true, logOffsetAhead: true, logAsksWrong: true}

// syncGen is one incarnation's sync state.
type syncGen struct {
	prev    *LogLine
	attempt []LogLine // the replica's attempt since its logSyncStarted; nil when none is open
	// unclosed is an attempt that began while the previous one was open
	// (no success nor failure line): only a REPLICAOF switches masters
	// silently, and its line comes right after the new attempt's start.
	unclosed     *LogLine
	unclosedFrom LogLine // the open attempt's start
	master       string  // "host:port" of the replica's latest connect line
	// loadingAt and loadedAt are the indexes+1 of the incarnation's
	// latest "Loading DB in memory" and "Done loading RDB" lines: rdbLoad
	// logs the second before the sync's success (readSyncBulkPayload).
	loadingAt, loadedAt int
	// Master side, per replica name: the request (asks) it is in, and
	// how many BGSAVEs for SYNC had started at it.
	asks       map[string]int // index+1 of the request's line among all lines; 0: none
	accepted   map[string]bool
	bgsaveAt   map[string]int
	bgsaveSeen int
	// BGSAVEs for SYNC to disk (or a wait for one) and to sockets so far,
	// and their counts at each replica's request.
	diskSeen, socketSeen int
	diskAt, socketAt     map[string]int
	// decisionDue is the request whose decision must be the next line:
	// a PSYNC, from a cluster node that offered PSYNC in its log and
	// never fell back to SYNC.
	decisionDue *LogLine
}

// checkSyncLog judges Redis 7.0.15's grammar of sync lines over the
// nodes' logs (see checkSyncLines); the cluster's nodes are addressed by
// their name and listening port.
func checkSyncLog(in LogInput) []Violation {
	addrs := map[string]string{}
	for name, port := range in.Ports {
		addrs[name+":"+strconv.Itoa(port)] = name
	}
	return checkSyncLines(in.Lines, addrs, 0)
}

// checkSyncLines judges the sync lines of every node's log, per
// incarnation:
//   - a replica's sync that succeeds ("MASTER <-> REPLICA sync: Finished
//     with success", "... Master accepted a Partial Resynchronization.")
//     logged, in order, every line Redis writes unconditionally on that
//     path since the attempt began ("MASTER <-> REPLICA sync started"),
//     and no line of another path (replicaSeqs);
//   - lines Redis writes in one go follow each other (syncNext, syncPrev),
//     the ones syncNext names within goSlack ns of each other (0 in a
//     simulation, where one event is one instant; a real process takes
//     its time, a fork's for one):
//     a PSYNC's decision follows the request and names the same replica,
//     a full resync's decision is followed by how the RDB will be made,
//     a BGSAVE for SYNC by its fork, a socket transfer's end by the
//     replica put online, an attempt's start by the connect line;
//   - a master puts a replica online ("Synchronization with replica %s
//     succeeded", "Streamed RDB transfer ...") only after it asked for a
//     sync, was not accepted for a partial one, and a BGSAVE for SYNC
//     started or it waited for one ("Waiting for end of BGSAVE");
//   - across nodes: a replica whose partial resync its master accepted
//     (the master of its latest connect line, a node of addrs) follows as
//     many "Partial resynchronization request from <replica> accepted"
//     lines of that master, at or before it; a replica's "Full resync
//     from master" follows as many requests ("Replica <replica> asks for
//     synchronization") the master did not accept. The fake master and
//     the hand-made replica client write no log: a master not in addrs is
//     not judged.
func checkSyncLines(lines []LogLine, addrs map[string]string, goSlack int64) []Violation {
	var out []Violation
	bad := func(l LogLine, format string, args ...any) {
		out = append(out, lineViolation(&l, format, args...))
	}
	gens := map[string]*syncGen{}
	// Cross-node counts, by master node and replica name.
	type pair struct{ master, replica string }
	accepted := map[pair]int{}  // "Partial resynchronization request from R accepted"
	fullAsked := map[pair]int{} // requests not accepted (asks minus accepted minus wrong offset)
	partialDone := map[pair]int{}
	fullDone := map[pair]int{}
	online := map[pair]int{}          // "Synchronization with replica R succeeded"
	diskDone := map[pair]int{}        // full syncs of R from a disk transfer (a length announced)
	usedSync := map[string]bool{}     // replicas that fell back to SYNC
	offeredPsync := map[string]bool{} // replicas that offered PSYNC (their handshake's lines)
	nameOf := map[string]string{}     // node -> its name in a master's lines
	for addr, node := range addrs {
		nameOf[node] = addr
	}
	for i := range lines {
		l := lines[i]
		k := l.Node + "#" + strconv.Itoa(l.Gen)
		g := gens[k]
		if g == nil {
			g = &syncGen{asks: map[string]int{}, accepted: map[string]bool{}, bgsaveAt: map[string]int{},
				diskAt: map[string]int{}, socketAt: map[string]int{}}
			gens[k] = g
		}
		arg0 := ""
		if len(l.Args) > 0 {
			arg0 = l.Args[0]
		}
		if p := g.prev; p != nil {
			if want, ok := syncNext[p.Format]; ok {
				switch {
				case !formatIn(l.Format, want):
					bad(l, "%q right after %q: Redis logs one of %q next", l.Msg, p.Msg, want)
				case l.At-p.At > goSlack:
					bad(l, "%q at %s, after %q at %s: Redis logs it in the same go", l.Msg, seconds(l.At), p.Msg, seconds(p.At))
				}
			}
		}
		if want, ok := syncPrev[l.Format]; ok {
			switch {
			case g.prev == nil || !formatIn(g.prev.Format, want):
				prev := "nothing"
				if g.prev != nil {
					prev = strconv.Quote(g.prev.Msg)
				}
				bad(l, "%q after %s: Redis logs it right after one of %q", l.Msg, prev, want)
			case sameReplica[l.Format] && len(g.prev.Args) > 0 && g.prev.Args[0] != arg0 && !unnamed(arg0) && !unnamed(g.prev.Args[0]):
				bad(l, "%q right after %q: a different replica", l.Msg, g.prev.Msg)
			}
		}
		if l.Format == logSyncSucceeded && g.prev != nil && g.prev.Format == logStreamedRDB && len(g.prev.Args) > 0 && g.prev.Args[0] != arg0 &&
			!unnamed(arg0) && !unnamed(g.prev.Args[0]) {
			bad(l, "%q right after %q: a different replica", l.Msg, g.prev.Msg)
		}
		if d := g.decisionDue; d != nil {
			g.decisionDue = nil
			if !formatIn(l.Format, psyncDecision) {
				bad(l, "%q right after %q, a PSYNC (the replica never fell back to SYNC): Redis decides it first, one of %q",
					l.Msg, d.Msg, psyncDecision)
			}
		}
		// Replica side.
		if u := g.unclosed; u != nil {
			g.unclosed = nil
			if l.Format != logReplicaOfOn {
				bad(*u, "%q while the attempt begun at %s was open: neither its success nor its failure logged, and no REPLICAOF",
					u.Msg, seconds(g.unclosedFrom.At))
			}
		}
		if attemptEnded(l) {
			g.attempt = nil
		}
		switch l.Format {
		case logConnecting, logReconnecting, logReconnectFailed:
			if len(l.Args) >= 2 {
				g.master = l.Args[0] + ":" + l.Args[1]
			}
		case logSyncStarted:
			if g.attempt != nil {
				g.unclosed, g.unclosedFrom = &lines[i], g.attempt[0]
			}
			g.attempt = []LogLine{l}
		case logRetrySync:
			usedSync[l.Node] = true
		case logTryPartial, logNoCached:
			offeredPsync[l.Node] = true
		case logLoadingDB:
			g.loadingAt = i + 1
		case logRDBLoaded:
			g.loadedAt = i + 1
		case logPartialDone, logFullSyncDone:
			if l.Format == logFullSyncDone && g.loadingAt > 0 && g.loadedAt < g.loadingAt {
				bad(l, "%q with no %q since %q: rdbLoad logs it as it ends", l.Msg, logRDBLoaded, logLoadingDB)
			}
			if m, ok := addrs[g.master]; ok && nameOf[l.Node] != "" && l.Format == logFullSyncDone && attemptHas(g.attempt, logReceivingBytes) {
				// The master logs a disk transfer's replica online as it
				// writes the last byte (sendBulkToSlave, replicaPutOnline):
				// before the replica can have read it.
				p := pair{m, nameOf[l.Node]}
				diskDone[p]++
				if diskDone[p] > online[p] {
					bad(l, "%q after an RDB transfer from disk, but its master %s logged only %d lines %q by then",
						l.Msg, m, online[p], fmt.Sprintf(logSyncSucceeded, p.replica))
				}
			}
			var why []string
			for _, s := range replicaSeqs {
				if s.close != l.Format {
					continue
				}
				msg := matchSeq(g.attempt, s.steps)
				if msg == "" {
					why = nil
					break
				}
				why = append(why, msg)
			}
			if len(why) > 0 {
				bad(l, "%q, but since the attempt began, %s", l.Msg, strings.Join(why, "; or "))
			}
			g.attempt = nil
			if m, ok := addrs[g.master]; ok && nameOf[l.Node] != "" {
				p := pair{m, nameOf[l.Node]}
				if l.Format == logPartialDone {
					partialDone[p]++
					if partialDone[p] > accepted[p] {
						bad(l, "%q, but its master %s logged only %d lines \"Partial resynchronization request from %s accepted...\" by then",
							l.Msg, m, accepted[p], p.replica)
					}
				}
			}
		case logFullFromMaster:
			if m, ok := addrs[g.master]; ok && nameOf[l.Node] != "" {
				p := pair{m, nameOf[l.Node]}
				fullDone[p]++
				if fullDone[p] > fullAsked[p] {
					bad(l, "%q, but its master %s logged only %d requests of it (%q) it did not accept by then",
						l.Msg, m, fullAsked[p], fmt.Sprintf(logAsksSync, p.replica))
				}
			}
		}
		if g.attempt != nil && replicaAlphabet[l.Format] && l.Format != logSyncStarted {
			g.attempt = append(g.attempt, l)
		}
		// Master side.
		switch l.Format {
		case logAsksSync:
			g.asks[arg0] = i + 1
			g.accepted[arg0] = false
			g.bgsaveAt[arg0] = g.bgsaveSeen
			g.diskAt[arg0], g.socketAt[arg0] = g.diskSeen, g.socketSeen
			fullAsked[pair{l.Node, arg0}]++
			if r, ok := addrs[arg0]; ok && offeredPsync[r] && !usedSync[r] {
				g.decisionDue = &lines[i]
			}
		case logAsksWrong:
			fullAsked[pair{l.Node, arg0}]--
			g.asks[arg0] = 0
		case logPartialOK:
			g.accepted[arg0] = true
			accepted[pair{l.Node, arg0}]++
			fullAsked[pair{l.Node, arg0}]--
		case logSyncToDisk, logSyncToSockets, logWaitBgsaveEnd:
			g.bgsaveSeen++
			if l.Format == logSyncToSockets {
				g.socketSeen++
			} else {
				g.diskSeen++
			}
		case logSyncSucceeded, logStreamedRDB:
			if l.Format == logSyncSucceeded {
				online[pair{l.Node, arg0}]++
			}
			switch {
			case unnamed(arg0):
			case l.Format == logSyncSucceeded && g.socketSeen > g.socketAt[arg0] && g.diskSeen == g.diskAt[arg0] &&
				(g.prev == nil || g.prev.Format != logStreamedRDB):
				// Only BGSAVEs to sockets since it asked: its RDB was
				// streamed (updateSlavesWaitingBgsave logs that first).
				bad(l, "%q, but only BGSAVEs to replicas' sockets started since it asked, and the line before is not %q",
					l.Msg, fmt.Sprintf(logStreamedRDB, arg0))
			case g.asks[arg0] == 0:
				bad(l, "%q, but the replica did not ask for a sync (%q) in this incarnation", l.Msg, fmt.Sprintf(logAsksSync, arg0))
			case g.accepted[arg0]:
				bad(l, "%q after its partial resync was accepted: only a full sync puts it online", l.Msg)
			case g.bgsaveSeen == g.bgsaveAt[arg0]:
				bad(l, "%q, but no BGSAVE for SYNC started (%q) since it asked for a sync", l.Msg, logSyncBgsaveStarted)
			}
		}
		g.prev = &lines[i]
	}
	// A line whose successor Redis writes in the same go ends no log: the
	// node finishes the event it writes it in.
	keys := make([]string, 0, len(gens))
	for k := range gens {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if u := gens[k].unclosed; u != nil {
			bad(*u, "%q while the attempt begun at %s was open: neither its success nor its failure logged, and no REPLICAOF",
				u.Msg, seconds(gens[k].unclosedFrom.At))
		}
		if p := gens[k].prev; p != nil {
			if want, ok := syncNext[p.Format]; ok {
				bad(*p, "%q is its last line: Redis logs one of %q right after it", p.Msg, want)
			}
		}
	}
	return out
}

// formatIn is whether f is one of fs.
func formatIn(f string, fs []string) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// matchSeq matches an attempt's lines against steps; "" when they match,
// else what is wrong.
func matchSeq(got []LogLine, steps []syncStep) string {
	if len(got) == 0 {
		return fmt.Sprintf("no %q before it", logSyncStarted)
	}
	i := 0
	for _, st := range steps {
		if i < len(got) && formatIn(got[i].Format, st.alts) {
			i++
			continue
		}
		if st.opt {
			continue
		}
		if i < len(got) {
			return fmt.Sprintf("%q came where Redis logs one of %q", got[i].Msg, st.alts)
		}
		return fmt.Sprintf("no line of %q", st.alts)
	}
	if i < len(got) {
		return fmt.Sprintf("%q came after the path's lines", got[i].Msg)
	}
	return ""
}

// attemptHas is whether an attempt's lines hold one of format f.
func attemptHas(lines []LogLine, f string) bool {
	for _, l := range lines {
		if l.Format == f {
			return true
		}
	}
	return false
}
