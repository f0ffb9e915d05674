package checker

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// PropChildJobs is CheckChildJobs's property.
const PropChildJobs = "child_jobs"

// ChildReply is a node's reply to BGSAVE or BGREWRITEAOF, for
// CheckChildJobs: Gen is the incarnation that answered (LogLine.Gen), and
// Call..Return the virtual times (ns) around the command (equal for an
// operator's command, which runs at one instant).
type ChildReply struct {
	Node         string
	Gen          int
	Call, Return int64
	Args         []string // the command as sent
	Reply        string   // the reply as RESP text: "+..." or "-ERR ..."
	// InExec says the command ran inside MULTI/EXEC, where Redis
	// schedules rather than forks.
	InExec bool
	// LogFrom and LogTo order the reply among the log lines
	// (ChildJobsInput.Lines): the lines the command itself wrote are
	// Lines[LogFrom:LogTo], those before LogFrom came before it (for
	// CheckScheduledJobs).
	LogFrom, LogTo int
}

// ChildJobsInput is what CheckChildJobs judges: every node's log lines in
// order (LogInput.Lines), the replies to BGSAVE and BGREWRITEAOF, and the
// clients' FLUSHALLs that succeeded.
type ChildJobsInput struct {
	Lines   []LogLine
	Replies []ChildReply
	Flushes []NodeCall
	// Settings is every node's settings over time (LogInput.Settings):
	// whether save points were set.
	Settings []SettingsChange
}

// NodeCall is a client's command to Node, between the virtual times Call
// and Return: a FLUSHALL it answered +OK (ChildJobsInput), a BGREWRITEAOF
// sent with replies off (InfoCountersInput).
type NodeCall struct {
	Node         string
	Call, Return int64
}

// The log lines that start or end a background child (Redis 7.0.15's
// texts; a BGSAVE for SYNC is the RDB child too, to disk or to replicas'
// sockets).
const (
	logAOFRWStarted   = "Background append only file rewriting started by pid %d"
	logAOFRWSuccess   = "Background AOF rewrite terminated with success"
	logAOFRWFinished  = "Background AOF rewrite finished successfully"
	logAOFRWError     = "Background AOF rewrite terminated with error: %v"
	logAOFRWErrorBare = "Background AOF rewrite terminated with error"
	logAOFRWManifest  = "Can't persist the AOF manifest after the rewrite: %v"
	logSaveError      = "Background saving error"
	// SHUTDOWN's kills (server.c finishShutdown) end no child: an RDB
	// child, to disk or to sockets, runs until reaped by the signal line
	// below (the shutdown failed) or the process exits; an AOF rewrite
	// ends with killAppendOnlyChild's line, logRWKillChild.
	logKillRDB = "There is a child saving an .rdb. Killing it!"
	logKillAOF = "There is a child rewriting the AOF. Killing it!"
	// A killed RDB child, reaped (backgroundSaveDoneHandlerDisk /
	// ...Socket after killRDBChild's SIGUSR1), and a diskless transfer
	// whose replicas all dropped.
	logSaveBySignal = "Background saving terminated by signal %d"
	logSendBySignal = "Background transfer terminated by signal %d"
)

// childKey is one incarnation of a node.
type childKey struct {
	node string
	gen  int
}

// childDelta says how a log line changes the number of running children of
// each kind: rdb counts RDB children (BGSAVE, a save rule, a sync's save
// to disk), aof the AOF rewrites, xfer the diskless transfers.
func childDelta(l *LogLine) (rdb, aof, xfer int, start bool) {
	switch l.Format {
	case logSaveStarted:
		return 1, 0, 0, true
	case logSaveDone, logSaveError, logSaveBySignal:
		return -1, 0, 0, false
	case logAOFRWStarted:
		return 0, 1, 0, true
	case logAOFRWFinished, logAOFRWError, logAOFRWErrorBare, logRenameFailed, logRWRenameIncrErr, logAOFRWManifest, logRWKillChild,
		logRWBySignal:
		return 0, -1, 0, false
	case logSendStarted:
		return 0, 0, 1, true
	case logSendDone, logSendBySignal:
		return 0, 0, -1, false
	}
	return 0, 0, 0, false
}

// childClaim says whether reply r claims that a child process is active:
// the refusals and the "scheduled" replies that Redis gives only when one
// is (hasActiveChildProcess) or inside EXEC (rdb.c bgsaveCommand, aof.c
// bgrewriteaofCommand).
func childClaim(r *ChildReply) bool {
	if len(r.Args) == 0 {
		return false
	}
	switch strings.ToUpper(r.Args[0]) {
	case "BGSAVE":
		if strings.Contains(r.Reply, "Another child process is active") ||
			strings.Contains(r.Reply, "Background save already in progress") {
			return true
		}
		return !r.InExec && strings.Contains(r.Reply, "Background saving scheduled")
	case "SAVE":
		return strings.Contains(r.Reply, "Background save already in progress")
	case "BGREWRITEAOF":
		if strings.Contains(r.Reply, "Background append only file rewriting already in progress") {
			return true
		}
		return !r.InExec && strings.Contains(r.Reply, "Background append only file rewriting scheduled")
	}
	return false
}

// CheckChildJobs judges the replies to BGSAVE and BGREWRITEAOF against the
// children the nodes' logs show: a reply that says a child process is
// active (another child, a save or a rewrite already in progress, or a
// save or rewrite scheduled outside EXEC) is a violation when the node
// surely ran none for the whole call. A node surely runs none when, in
// its incarnation (a restart starts with none), every child start line
// before the call was matched by an end line (success, error, or a kill at
// SHUTDOWN) and no start line falls within the call. A child ended without
// a line (killed by FLUSHALL, CONFIG SET appendonly no, a full sync, or a
// sync whose replica went away) leaves its count up: the rest of that
// incarnation is not judged, as is one whose counts ever go negative (a
// line this rule does not know how to pair).
func CheckChildJobs(in ChildJobsInput) []Violation {
	type key = childKey
	byGen := map[key][]int{}
	for i := range in.Lines {
		l := &in.Lines[i]
		k := key{l.Node, l.Gen}
		byGen[k] = append(byGen[k], i)
	}
	agg := newAggregator()
	for ri := range in.Replies {
		r := &in.Replies[ri]
		if strings.HasPrefix(r.Reply, "-ERR syntax error") || strings.HasPrefix(r.Reply, "-ERR wrong number of arguments") {
			// The operator sends only BGSAVE, BGSAVE SCHEDULE and
			// BGREWRITEAOF, which Redis parses.
			agg.addV("child-reply/"+r.Node, Violation{Detail: fmt.Sprintf(
				"%s answered the operator's %s at %s with %q: Redis 7.0.15 accepts that form",
				r.Node, strings.Join(r.Args, " "), seconds(r.Call), r.Reply),
				At: r.Call, Nodes: []string{r.Node}})
			continue
		}
		if !childClaim(r) {
			continue
		}
		rdb, aof, xfer := 0, 0, 0
		sure := true
		for _, li := range byGen[key{r.Node, r.Gen}] {
			l := &in.Lines[li]
			if l.At > r.Return {
				break
			}
			dr, da, dx, start := childDelta(l)
			if l.At >= r.Call {
				if start {
					sure = false // a child started during the call
				}
				continue
			}
			rdb, aof, xfer = rdb+dr, aof+da, xfer+dx
			if rdb < 0 || aof < 0 || xfer < 0 {
				sure = false // an end this rule cannot pair with a start
				break
			}
		}
		if !sure || rdb != 0 || aof != 0 || xfer != 0 {
			continue
		}
		agg.addV("child/"+r.Node, Violation{Detail: fmt.Sprintf(
			"%s answered %s with %q at %s while it ran no background save or AOF rewrite "+
				"(every child its log shows had ended): Redis starts the job (rdb.c bgsaveCommand, aof.c bgrewriteaofCommand)",
			r.Node, strings.Join(r.Args, " "), r.Reply, seconds(r.Call)),
			At: r.Call, Nodes: []string{r.Node}})
	}
	checkOneChild(in, byGen, agg)
	checkFlushallKills(in, byGen, agg)
	checkFlushallSaves(in, byGen, agg)
	checkPendingSyncStarts(in, byGen, agg)
	return agg.violations(PropChildJobs)
}

// checkFlushallKills judges that FLUSHALL kills a running BGSAVE (Redis
// 7.0.15's flushAllDataAndResetRDB calls killRDBChild): an RDB child, to
// disk or to sockets, that surely ran when a FLUSHALL's call began may end
// during the call (on its own before the command ran, or killed), but if
// its end comes after the reply, it is the kill's "terminated by signal"
// line (Redis reaps the killed child at its next cron). An incarnation that
// ends first, or whose counts a line this rule cannot pair sends negative,
// is not judged.
func checkFlushallKills(in ChildJobsInput, byGen map[childKey][]int, agg *aggregator) {
	for _, f := range in.Flushes {
		var gen []int
		for k, idx := range byGen {
			if k.node == f.Node && len(idx) > 0 && in.Lines[idx[0]].At <= f.Call {
				if gen == nil || in.Lines[idx[0]].Gen > in.Lines[gen[0]].Gen {
					gen = idx
				}
			}
		}
		running, sure := 0, true
		var end *LogLine
		for _, li := range gen {
			l := &in.Lines[li]
			dr, _, dx, _ := childDelta(l)
			if l.At < f.Call {
				running += dr + dx
				sure = sure && running >= 0
				continue
			}
			if dr < 0 || dx < 0 {
				end = l
				break
			}
		}
		if !sure || running <= 0 || end == nil || end.At <= f.Return ||
			end.Format == logSaveBySignal || end.Format == logSendBySignal {
			continue
		}
		agg.addV("flushall/"+f.Node, Violation{Detail: fmt.Sprintf(
			"%s answered a FLUSHALL (%s..%s) while a BGSAVE ran, and the BGSAVE ended after the reply with %q: FLUSHALL kills a running BGSAVE (flushAllDataAndResetRDB's killRDBChild), which ends it with %q",
			f.Node, seconds(f.Call), seconds(f.Return), end.Msg, logSaveBySignal),
			At: end.At, Nodes: []string{f.Node}})
	}
}

// syncDecisionNeeds says what syncCommand's decision line f needs of the
// children running (rdb saves to disk, aof rewrites, xfer transfers to
// sockets), or "" when they allow it: attaching to or waiting for the
// current BGSAVE needs one to disk (CASE 1), the socket-target wait one to
// sockets (CASE 2), the diskless delay no RDB child (CASE 3), and "another
// BG operation" a child that is not an RDB one.
func syncDecisionNeeds(f string, rdb, aof, xfer int) string {
	switch f {
	case logWaitBgsaveEnd, logCantAttach:
		if rdb <= 0 {
			return "no BGSAVE to disk ran"
		}
	case logSocketBgsave:
		if xfer <= 0 {
			return "no BGSAVE to replicas' sockets ran"
		}
	case logDelayDiskless:
		if rdb > 0 || xfer > 0 {
			return "a BGSAVE ran"
		}
	case logOtherChild:
		if rdb > 0 || xfer > 0 || aof <= 0 {
			return "no child but an RDB one ran"
		}
	}
	return ""
}

// shutdownKillNeeds says what SHUTDOWN's kill line f needs of the children
// running, or "" when they allow it: an RDB child (a save to disk or a
// transfer to sockets) for "There is a child saving an .rdb", an AOF
// rewrite for "There is a child rewriting the AOF".
func shutdownKillNeeds(f string, rdb, aof, xfer int) string {
	switch f {
	case logKillRDB:
		if rdb <= 0 && xfer <= 0 {
			return "no RDB child ran"
		}
	case logKillAOF:
		if aof <= 0 {
			return "no AOF rewrite ran"
		}
	}
	return ""
}

// syncRequestLine are the lines right before syncCommand's decision for
// a full sync: the request (SYNC), the PSYNC refusal, the backlog's creation.
var syncRequestLine = map[string]bool{
	logAsksSync: true, logFullRequested: true, logNotAcceptedID: true, logNotAcceptedOff: true,
	logNoBacklog: true, logOffsetAhead: true, logBacklogCreated: true,
}

// childStarted says whether reply r says a child started at once, or
// that starting a rewrite failed: with a child running, Redis tries
// neither (bgrewriteaofCommand schedules the rewrite).
func childStarted(r *ChildReply) bool {
	return r.Reply == "+Background saving started" ||
		r.Reply == "+Background append only file rewriting started" ||
		strings.HasPrefix(r.Reply, "-ERR Can't execute an AOF background rewriting")
}

// sortedChildKeys lists byGen's incarnations by node, then incarnation:
// the rules report in an order that does not depend on the map's.
func sortedChildKeys(byGen map[childKey][]int) []childKey {
	return slices.SortedFunc(maps.Keys(byGen), func(a, b childKey) int {
		return cmp.Or(strings.Compare(a.node, b.node), cmp.Compare(a.gen, b.gen))
	})
}

// checkOneChild judges that a node runs at most one child process at a
// time (Redis 7.0.15's server.child_type, hasActiveChildProcess: a BGSAVE,
// whether for the user, a save rule or a replica's sync, to disk or to
// sockets, or an AOF rewrite), and that SHUTDOWN's kill line names a
// child of a type that runs (shutdownKillNeeds): a start line while another child of the
// incarnation surely runs is a violation, and so is a reply that a BGSAVE
// or rewrite started when a child surely ran for the whole call. A child
// surely runs from its start line to its end line; an incarnation whose
// counts ever go negative (an end this rule cannot pair) is not judged
// from there on.
func checkOneChild(in ChildJobsInput, byGen map[childKey][]int, agg *aggregator) {
	for _, k := range sortedChildKeys(byGen) {
		running, rdb, aof, xfer := 0, 0, 0, 0
		var first, prev *LogLine
		waiting := 0 // full syncs told to wait for a BGSAVE for SYNC, not served since
		for _, li := range byGen[k] {
			l := &in.Lines[li]
			switch l.Format {
			case logDelayDiskless, logCantAttach, logSocketBgsave, logOtherChild:
				waiting++
			case logSyncToDisk, logSyncToSockets:
				if (prev == nil || !syncRequestLine[prev.Format]) && waiting == 0 {
					agg.addV("sync_pending/"+l.Node, Violation{Detail: fmt.Sprintf(
						"%s logged %q at %s, neither right after a replica's full sync request nor with one waiting for a BGSAVE for SYNC to start: "+
							"replication.c shouldStartChildReplication starts one only for replicas in WAIT_BGSAVE_START",
						l.Node, l.Msg, seconds(l.At)),
						At: l.At, Nodes: []string{l.Node}})
				}
				waiting = 0 // startBgsaveForReplication takes every waiting replica
			}
			prev = l
			if want := syncDecisionNeeds(l.Format, rdb, aof, xfer); want != "" {
				agg.addV("sync_decision/"+l.Node, Violation{Detail: fmt.Sprintf(
					"%s logged %q at %s, but %s (children running: %d RDB saves to disk, %d transfers to sockets, %d AOF rewrites): "+
						"replication.c syncCommand decides by the child that runs",
					l.Node, l.Msg, seconds(l.At), want, rdb, xfer, aof),
					At: l.At, Nodes: []string{l.Node}})
			}
			if want := shutdownKillNeeds(l.Format, rdb, aof, xfer); want != "" {
				agg.addV("shutdown_kill/"+l.Node, Violation{Detail: fmt.Sprintf(
					"%s logged %q at %s, but %s (children running: %d RDB saves to disk, %d transfers to sockets, %d AOF rewrites): "+
						"server.c finishShutdown kills the child of the type that runs",
					l.Node, l.Msg, seconds(l.At), want, rdb, xfer, aof),
					At: l.At, Nodes: []string{l.Node}})
			}
			if l.Format == logEnabledKillRW && aof <= 0 {
				agg.addV("enable_kill/"+l.Node, Violation{Detail: fmt.Sprintf(
					"%s logged %q at %s with no AOF rewrite running (children running: %d RDB saves to disk, %d transfers to sockets): "+
						"aof.c startAppendOnly stops a rewrite only when one runs (server.child_type == CHILD_TYPE_AOF)",
					l.Node, l.Msg, seconds(l.At), rdb, xfer),
					At: l.At, Nodes: []string{l.Node}})
			}
			dr, da, dx, start := childDelta(l)
			rdb, aof, xfer = rdb+dr, aof+da, xfer+dx
			if start && running > 0 {
				agg.addV("one_child/"+l.Node, Violation{Detail: fmt.Sprintf(
					"%s logged %q at %s while its child started at %s (%q) still ran: Redis runs one child process at a time "+
						"(server.c hasActiveChildProcess; replication.c syncCommand waits for or attaches to the running BGSAVE)",
					l.Node, l.Msg, seconds(l.At), seconds(first.At), first.Msg),
					At: l.At, Nodes: []string{l.Node}})
			}
			running += dr + da + dx
			if rdb < 0 || aof < 0 || xfer < 0 {
				break
			}
			if start && running == 1 {
				first = l
			}
		}
	}
	for ri := range in.Replies {
		r := &in.Replies[ri]
		if !childStarted(r) {
			continue
		}
		running := 0
		sure := true
		var first *LogLine
		for _, li := range byGen[childKey{r.Node, r.Gen}] {
			l := &in.Lines[li]
			if l.At > r.Return {
				break
			}
			dr, da, dx, start := childDelta(l)
			if l.At >= r.Call {
				if dr+da+dx < 0 {
					sure = false // a child ended during the call
				}
				continue
			}
			running += dr + da + dx
			if running < 0 {
				sure = false
				break
			}
			if start && running == 1 {
				first = l
			}
		}
		if !sure || running <= 0 {
			continue
		}
		agg.addV("one_child_reply/"+r.Node, Violation{Detail: fmt.Sprintf(
			"%s answered %s with %q at %s while its child started at %s (%q) still ran: Redis answers "+
				"\"Background save already in progress\", \"Another child process is active\" or schedules the job (rdb.c bgsaveCommand, aof.c bgrewriteaofCommand)",
			r.Node, strings.Join(r.Args, " "), r.Reply, seconds(r.Call), seconds(first.At), first.Msg),
			At: r.Call, Nodes: []string{r.Node}})
	}
}
