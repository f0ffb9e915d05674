package checker

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// PropScheduledJobs is CheckScheduledJobs's property.
const PropScheduledJobs = "scheduled_jobs"

// CronRun is one serverCron run of a node (a tick it was neither down nor
// busy for), for CheckScheduledJobs.
type CronRun struct {
	Node string
	Gen  int
	At   int64 // virtual ns
	// ClockMs is the node's clock (Unix ms) as the run began: what
	// server.unixtime compares with lastbgsave_try.
	ClockMs int64
	// LogFrom and LogTo bound the log lines (ScheduledJobsInput.Lines)
	// the run wrote: Lines[LogFrom:LogTo]; those before LogFrom came
	// before it.
	LogFrom, LogTo int
	// Replies is how many operator replies (ScheduledJobsInput.Replies)
	// were recorded before the run began.
	Replies int
	// PersistRan says the run reached serverCron's persistence part (a
	// pending SYNC fork, a scheduled rewrite or BGSAVE, the save points),
	// whose lines are Lines[PersistFrom:LogTo]: the lines before it come
	// from events the node held while busy and the shutdown's cron.
	PersistRan  bool
	PersistFrom int
	// AppendOnly is the node's appendonly as the run began.
	AppendOnly bool
	// Partial says the run may not have reached serverCron's persistence
	// part: the node went down in it.
	Partial bool
	// AOFUnsynced says, as the run ended (after the tick's flush), the
	// incr AOF file the process appends to (AOFPath) held bytes the
	// process wrote that no fsync had made durable (CheckEverysecIdleFsync).
	AOFUnsynced bool
	AOFPath     string
	// Busy says the node was busy as the run ended: its flush waited.
	Busy bool
	// Save are the node's save points as the run began.
	Save []SavePoint
	// Proc numbers the process that ran it (LogLine.Proc).
	Proc int
}

// ProcessStart is a node's process starting: its number (LogLine.Proc)
// and the node's clock (Unix ms) as it started, initServer's
// server.lastsave ("At startup we consider the DB saved").
type ProcessStart struct {
	Node    string
	Proc    int
	ClockMs int64
}

// SavePoint is one save point of a node's config: Changes changes in
// Seconds seconds.
type SavePoint struct{ Seconds, Changes int64 }

// ScheduledJobsInput is what CheckScheduledJobs judges: every node's log
// lines in order, the replies to the operator's BGSAVE and BGREWRITEAOF,
// and the nodes' serverCron runs, each in the order they happened.
type ScheduledJobsInput struct {
	Lines   []LogLine
	Replies []ChildReply
	Crons   []CronRun
	// QuietRewrites are the clients' BGREWRITEAOFs sent with their reply
	// switched off (a quiet operation's REWRITE mode): each may have
	// scheduled a rewrite unseen. Return is 0 when no reply came after it.
	QuietRewrites []NodeCall
	// Ops and Roles are the clients' operations and the nodes' roles,
	// for the changes a save point counts (dirtyIncrements).
	Ops   []Op
	Roles []RoleChange
	// Starts are the nodes' process starts.
	Starts []ProcessStart
}

// The lines that schedule, start or fail to start a background job, beyond
// the ones named elsewhere (Redis 7.0.15's texts).
const (
	// rewriteAppendOnlyFileBackground's failures to start: appenddirname,
	// the new incr file (openNewIncrAofForAppend) or its manifest, the
	// fork.
	logRWDirFailed      = "Can't open or create append-only dir %s: %s"
	logRWIncrFailed     = "Can't open the append-only file %s: %s"
	logRWManifestFailed = "Can't persist the AOF manifest: %v"
	// startAppendOnly's failure: the AOF is off again, nothing scheduled.
	logAOFEnableFailed = "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error."
)

// rewriteStartFailed says whether l is rewriteAppendOnlyFileBackground
// refusing to start (aof_rewrite_scheduled stays set: serverCron tries
// again at its next run).
func rewriteStartFailed(l *LogLine) bool {
	switch l.Format {
	case logRWDirFailed, logRWIncrFailed, logRWManifestFailed, logRewriteForkFail:
		return true
	}
	return false
}

// bgsaveRetryDelaySec is CONFIG_BGSAVE_RETRY_DELAY: after a failed
// background save, serverCron starts a scheduled one only once more than
// this many seconds passed since the last try.
const bgsaveRetryDelaySec = 5

// The replies of rdb.c bgsaveCommand and aof.c bgrewriteaofCommand.
const (
	replySaveStarted   = "+Background saving started"
	replySaveScheduled = "+Background saving scheduled"
	replySaveRunning   = "-ERR Background save already in progress"
	replySaveOtherKid  = "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."
	replySaveFailed    = "-ERR"
	replySyntax        = "-ERR syntax error"
	replyRWStarted     = "+Background append only file rewriting started"
	replyRWScheduled   = "+Background append only file rewriting scheduled"
	replyRWRunning     = "-ERR Background append only file rewriting already in progress"
	replyRWFailed      = "-ERR Can't execute an AOF background rewriting. Please check the server logs for more information."
)

// bgsaveReplies and rewriteReplies are every reply the commands themselves
// give; anything else is processCommand's refusal (MASTERDOWN, ...), which
// CheckScheduledJobs does not judge.
var (
	bgsaveReplies  = map[string]bool{replySaveStarted: true, replySaveScheduled: true, replySaveRunning: true, replySaveOtherKid: true, replySaveFailed: true, replySyntax: true}
	rewriteReplies = map[string]bool{replyRWStarted: true, replyRWScheduled: true, replyRWRunning: true, replyRWFailed: true}
)

// expectedChildReply is what Redis answers BGSAVE [SCHEDULE],
// BGREWRITEAOF or SAVE (args) given the children that run as it is called (rdb
// saves to disk, aof rewrites, xfer transfers to sockets), as alternatives,
// or nil when the reply is not the command's own (judged elsewhere).
func expectedChildReply(args []string, inExec bool, rdb, aof, xfer int) []string {
	switch strings.ToUpper(args[0]) {
	case "BGSAVE":
		if len(args) > 2 || len(args) == 2 && !strings.EqualFold(args[1], "SCHEDULE") {
			return []string{replySyntax}
		}
		switch {
		case rdb > 0 || xfer > 0: // child_type RDB, to disk or to sockets
			return []string{replySaveRunning}
		case aof > 0 || inExec:
			if len(args) == 2 || inExec {
				return []string{replySaveScheduled}
			}
			return []string{replySaveOtherKid}
		}
		return []string{replySaveStarted, replySaveFailed}
	case "BGREWRITEAOF":
		switch {
		case aof > 0:
			return []string{replyRWRunning}
		case rdb > 0 || xfer > 0 || inExec:
			return []string{replyRWScheduled}
		}
		return []string{replyRWStarted, replyRWFailed}
	case "SAVE":
		// saveCommand refuses only while an RDB child runs (child_type
		// RDB); an AOF rewrite does not stop it.
		if inExec || len(args) != 1 {
			return nil
		}
		if rdb > 0 || xfer > 0 {
			return []string{replySaveRunning}
		}
		return []string{"+OK", replySaveFailed}
	}
	return nil
}

// schedState is where one incarnation's scheduled jobs stand, by its log
// and the replies it gave so far.
type schedState struct {
	rdb, aof, xfer int
	// unsure: a line ended a child this rule cannot pair with a start;
	// nothing more of the incarnation is judged.
	unsure bool
	// rewrite is what scheduled the AOF rewrite that is pending
	// (server.aof_rewrite_scheduled), nil when none is.
	rewrite *schedCause
	// rewriteStartAt is when the incarnation last started a rewrite (0:
	// never).
	rewriteStartAt int64
	// save is what scheduled the BGSAVE that is pending
	// (server.rdb_bgsave_scheduled), nil when none is.
	save *schedCause
	// rwFailures is stat_aofrw_consecutive_failures; resets the CONFIG
	// RESETSTATs seen.
	rwFailures int64
	resets     int
	// limited is the incarnation's latest aofRewriteLimited line, nil
	// before the first; streakFrom is when rwFailures last went from 0
	// to 1.
	limited    *LogLine
	streakFrom int64
	// saveFailed is lastbgsave_status == C_ERR; triedSec is
	// lastbgsave_try (0 before the first try: initServer).
	saveFailed bool
	triedSec   int64
	// lastSaveSec is server.lastsave (the process's start, then each
	// successful save's end, on its clock); proc the process it is of.
	lastSaveSec int64
	proc        int
	started     bool
	// unknownStart: the process's start is not on record, so lastsave
	// is not known until its first save.
	unknownStart bool
}

// schedCause is what scheduled a job: a log line or a reply, and when.
type schedCause struct {
	what string
	at   int64
}

// startProcess takes process proc as the one the state follows from now
// on, if it is not already: its last save is its start (initServer: "At
// startup we consider the DB saved"), on its clock as it started (starts,
// by process; not the clock of its first line or run, which a clock jump
// may have moved: seed 15314, a wiped start that logged nothing, then a
// 72 s jump back).
func (s *schedState) startProcess(proc int, starts map[int]int64) {
	if s.started && proc == s.proc {
		return
	}
	s.started, s.proc, s.unknownStart = true, proc, false
	ms, ok := starts[proc]
	if !ok {
		s.unknownStart = true
	}
	s.lastSaveSec = floorDiv(ms, 1000)
}

// line applies log line l of the incarnation.
func (s *schedState) line(l *LogLine, starts map[int]int64) {
	s.startProcess(l.Proc, starts)
	if l.Msg == logDBSaved || l.Format == logSaveDone {
		s.lastSaveSec = floorDiv(l.ClockMs, 1000) // rdbSave, backgroundSaveDoneHandlerDisk
		s.unknownStart = false
	}
	dr, da, dx, _ := childDelta(l)
	s.rdb, s.aof, s.xfer = s.rdb+dr, s.aof+da, s.xfer+dx
	if s.rdb < 0 || s.aof < 0 || s.xfer < 0 {
		s.unsure = true
	}
	if l.StatResets != s.resets {
		s.resets, s.rwFailures = l.StatResets, 0
	}
	switch l.Format {
	case logAOFRWStarted:
		s.rewriteStartAt = l.At
		s.rewrite = nil // rewriteAppendOnlyFileBackground clears the flag
	case logEnabledOtherChild, logEnabledInExec:
		s.rewrite = &schedCause{what: fmt.Sprintf("the line %q", l.Msg), at: l.At}
	case logTempIncrGone:
		// backgroundRewriteDoneHandler's cleanup after a rewrite that
		// was to turn the AOF on failed (aofDelTempIncrAofFile): with
		// aof_state still AOF_WAIT_REWRITE, it schedules another.
		s.rewrite = &schedCause{what: fmt.Sprintf("the failed rewrite that was to turn the AOF on (%q)", l.Msg), at: l.At}
	case logAOFEnableFailed, logFlushingOld, logLoadingDB:
		// startAppendOnly failed with the AOF off, or a replica's full
		// sync stopped the AOF before its load (readSyncBulkPayload's
		// stopAppendOnly): nothing is scheduled.
		s.rewrite = nil
	case logRewriteLimited:
		s.limited = l
	case logSaveStarted:
		s.triedSec = floorDiv(l.ClockMs, 1000)
	case logForkFailed:
		s.triedSec = floorDiv(l.ClockMs, 1000)
	}
	if l.Msg == logRewriteOK {
		s.rwFailures = 0
	}
	for _, p := range rewriteDoneFailures {
		if strings.HasPrefix(l.Msg, p) {
			if s.rwFailures == 0 {
				s.streakFrom = l.At
			}
			s.rwFailures++
		}
	}
	switch misconfStatus(l) {
	case 1:
		s.saveFailed = false
	case -1:
		s.saveFailed = true
	}
}

// reply applies the operator's reply r: a scheduled rewrite (which zeroes
// the consecutive failures, bgrewriteaofCommand) or BGSAVE.
func (s *schedState) reply(r *ChildReply) {
	switch r.Reply {
	case replyRWScheduled:
		s.rewrite = &schedCause{what: fmt.Sprintf("the reply %q to %s", r.Reply, strings.Join(r.Args, " ")), at: r.Call}
		s.rwFailures = 0
	case replySaveScheduled:
		s.save = &schedCause{what: fmt.Sprintf("the reply %q to %s", r.Reply, strings.Join(r.Args, " ")), at: r.Call}
	}
}

// CheckScheduledJobs judges the jobs Redis schedules against the nodes'
// serverCron runs:
//   - a rewrite is scheduled by BGREWRITEAOF answered "scheduled", by
//     startAppendOnly's "AOF was enabled but there is already another
//     background operation" / "AOF was enabled during a transaction"
//     lines, and by the failure of the rewrite that was to turn the AOF
//     on (its cleanup's "Removing the temp incr aof file"); a BGSAVE by
//     the reply "Background saving scheduled".
//     rewriteAppendOnlyFileBackground's start clears a scheduled rewrite
//     (whoever calls it); stopAppendOnly (appendonly turned off, a
//     replica's full sync before its load) and a restart forget it. A
//     scheduled BGSAVE is cleared only by serverCron starting it.
//   - at every serverCron run that begins with no child running (every
//     child start line of the incarnation matched by an end line) and
//     with a job scheduled, Redis tries to start it (server.c
//     serverCron): the rewrite first, unless aofRewriteLimited holds it
//     back (three consecutive failures or more, counted as CheckInfoCounters
//     does); the BGSAVE after replicationCron, unless the last background
//     save failed and CONFIG_BGSAVE_RETRY_DELAY seconds have not passed
//     since the last try (lastbgsave_try, on the node's clock). So the
//     run's own lines must start a child or log the attempt's failure: for
//     a rewrite, its start or failure, or the BGSAVE for SYNC of replicas
//     that waited for the child that ended (checkChildrenDone starts it
//     first); for a BGSAVE, any child's start. A BGSAVE started with no
//     save point's or SYNC's line right before it in a run is the
//     scheduled one. A run the node went down in is not judged. A run
//     the node was busy up to runs the events it held first, in the same
//     tick (Node.wakeIfDue): the child they start is the run's first, and
//     one they end or a job they schedule is seen from the next run.
//   - the other way round, serverCron's persistence part starts a job only
//     for a cause (checkCronStartCauses).
//   - the operator's BGSAVE [SCHEDULE] and BGREWRITEAOF get the reply
//     bgsaveCommand / bgrewriteaofCommand give for the children that run
//     as they are called (expectedChildReply).
//
// An incarnation whose child counts go negative (an end this rule cannot
// pair with a start) is not judged from there on.
func CheckScheduledJobs(in ScheduledJobsInput) []Violation {
	lines := map[incarnation][]int{}
	for i := range in.Lines {
		k := incarnationOf(&in.Lines[i])
		lines[k] = append(lines[k], i)
	}
	replies := map[incarnation][]int{}
	for i := range in.Replies {
		r := &in.Replies[i]
		k := incarnation{r.Node, r.Gen}
		replies[k] = append(replies[k], i)
	}
	crons := map[incarnation][]int{}
	for i := range in.Crons {
		c := &in.Crons[i]
		k := incarnation{c.Node, c.Gen}
		crons[k] = append(crons[k], i)
	}
	keys := make([]incarnation, 0, len(lines)+len(replies))
	seen := map[incarnation]bool{}
	for _, m := range []map[incarnation][]int{lines, replies, crons} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].node != keys[j].node {
			return keys[i].node < keys[j].node
		}
		return keys[i].gen < keys[j].gen
	})
	changers := changersByNode(in.Ops)
	agg := newAggregator()
	for _, k := range keys {
		checkIncarnationJobs(in, k, lines[k], replies[k], crons[k], changers[k.node], agg)
	}
	return agg.violations(PropScheduledJobs)
}

// checkIncarnationJobs runs CheckScheduledJobs over one incarnation: its
// lines, replies and cron runs (indexes into in), merged in the order they
// happened.
func checkIncarnationJobs(in ScheduledJobsInput, k incarnation, lines, replies, crons []int, changers []*Op, agg *aggregator) {
	s := &schedState{}
	starts := map[int]int64{}
	for _, st := range in.Starts {
		if st.Node == k.node {
			starts[st.Proc] = st.ClockMs
		}
	}
	own := make([]*LogLine, len(lines))
	for i, x := range lines {
		own[i] = &in.Lines[x]
	}
	var dirty dirtyBound // its lower bound (lowKnown, lowAnchor)
	li := 0
	upTo := func(end int) {
		for li < len(lines) && lines[li] < end {
			l := own[li]
			s.line(l, starts)
			if li == 0 || l.Proc != dirty.proc {
				dirty = dirtyBound{proc: l.Proc, start: l.At, nonneg: true, lowKnown: true, lowAnchor: l.At}
			}
			dirty.apply(own, li)
			li++
		}
	}
	ri := 0
	applyReplies := func(before int) {
		for ri < len(replies) && replies[ri] < before {
			r := &in.Replies[replies[ri]]
			ri++
			upTo(r.LogFrom)
			if !s.unsure && len(r.Args) > 0 {
				if want := expectedChildReply(r.Args, r.InExec, s.rdb, s.aof, s.xfer); want != nil && !slices.Contains(want, r.Reply) &&
					(bgsaveReplies[r.Reply] || rewriteReplies[r.Reply]) {
					agg.addV("reply/"+r.Node, Violation{Detail: fmt.Sprintf(
						"%s answered %s with %q at %s while it ran %d BGSAVEs to disk, %d transfers to sockets and %d AOF rewrites (by its log): "+
							"Redis 7.0.15 answers %s (rdb.c bgsaveCommand, aof.c bgrewriteaofCommand)",
						r.Node, strings.Join(r.Args, " "), r.Reply, seconds(r.Call), s.rdb, s.xfer, s.aof, quoteAll(want)),
						At: r.Call, Nodes: []string{r.Node}})
				}
			}
			upTo(r.LogTo)
			s.reply(r)
		}
	}
	for _, ci := range crons {
		c := &in.Crons[ci]
		applyReplies(c.Replies)
		upTo(c.LogFrom)
		s.startProcess(c.Proc, starts)
		if !c.AppendOnly {
			s.rewrite = nil // stopAppendOnly ran since
		}
		if s.unsure {
			return
		}
		if c.Partial {
			continue
		}
		first, forSync, plainSave := cronStarts(in.Lines, c, k)
		idle := s.rdb+s.aof+s.xfer == 0
		rewrite := idle && s.rewrite != nil && s.rwFailures < aofRewriteLimitThreshold
		save := idle && s.save != nil && (!s.saveFailed || floorDiv(c.ClockMs, 1000)-s.triedSec > bgsaveRetryDelaySec)
		switch {
		case rewrite:
			if first == nil || first.Format != logAOFRWStarted && !rewriteStartFailed(first) && !forSync {
				agg.addV("rewrite/"+c.Node, Violation{Detail: fmt.Sprintf(
					"%s (incarnation %d): an AOF rewrite was scheduled (%s at %s), no child ran and the rewrite was not held back (%d consecutive failures), "+
						"but its serverCron run at %s %s: serverCron starts a scheduled rewrite at its first run with no child active (server.c, aof_rewrite_scheduled)",
					c.Node, c.Gen, s.rewrite.what, seconds(s.rewrite.at), s.rwFailures, seconds(c.At), startedInstead(first)),
					At: c.At, Nodes: []string{c.Node}})
				s.rewrite = nil // one report per schedule
			}
		case save && first == nil:
			agg.addV("bgsave/"+c.Node, Violation{Detail: fmt.Sprintf(
				"%s (incarnation %d): a BGSAVE was scheduled (%s at %s), no child ran and its last background save %s, "+
					"but its serverCron run at %s started no child: serverCron starts a scheduled BGSAVE at its first run with no child active (server.c, rdb_bgsave_scheduled)",
				c.Node, c.Gen, s.save.what, seconds(s.save.at), saveStatus(s, c), seconds(c.At)),
				At: c.At, Nodes: []string{c.Node}})
			s.save = nil
		case idle && first == nil && c.PersistRan && len(c.Save) > 0:
			checkSavePointDue(in, c, s, &dirty, changers, agg)
		}
		if c.PersistRan {
			upTo(c.PersistFrom)
			if s.unsure {
				return
			}
			checkCronStartCauses(in, c, k, s, agg)
		}
		if plainSave {
			// The scheduled BGSAVE itself, even in a run whose start saw
			// a child that events the node held ended first.
			s.save = nil
		}
	}
	applyReplies(len(in.Replies))
}

// cronStarts reads cron run c's lines (of incarnation k): the first that
// starts a child or reports a failure to start one, whether that one is a
// BGSAVE for SYNC (its "Starting BGSAVE for SYNC" line right before it),
// and whether the run started a BGSAVE that is neither a save point's nor
// one for SYNC (neither line right before it): the scheduled one.
func cronStarts(lines []LogLine, c *CronRun, k incarnation) (first *LogLine, forSync, plainSave bool) {
	var prev *LogLine
	for i := c.LogFrom; i < c.LogTo && i < len(lines); i++ {
		l := &lines[i]
		if incarnationOf(l) != k {
			continue
		}
		sync := prev != nil && (prev.Format == logSyncToDisk || prev.Format == logSyncToSockets || prev.Format == logSyncBgsaveStarted)
		if _, _, _, start := childDelta(l); first == nil && (start || rewriteStartFailed(l) || l.Format == logForkFailed) {
			first, forSync = l, sync
		}
		if l.Format == logSaveStarted && !sync && (prev == nil || prev.Format != logSavePoint) {
			plainSave = true
		}
		prev = l
	}
	return first, forSync, plainSave
}

// checkCronStartCauses judges the children cron run c's persistence part
// started (its lines from PersistFrom, with s the incarnation's state as
// that part began): serverCron starts an AOF rewrite only when one is
// scheduled (aof_rewrite_scheduled; this node has no automatic rewrite on
// growth), and a BGSAVE only for a save point (its "changes in seconds.
// Saving..." line right before), for replicas waiting to SYNC (its
// "Starting BGSAVE for SYNC" line right before), or when one is scheduled
// (rdb_bgsave_scheduled) and the last background save did not fail or
// failed more than CONFIG_BGSAVE_RETRY_DELAY seconds ago; each schedule
// starts one job, as starting it clears the flag.
func checkCronStartCauses(in ScheduledJobsInput, c *CronRun, k incarnation, s *schedState, agg *aggregator) {
	lines := in.Lines
	save := s.save != nil && (!s.saveFailed || floorDiv(c.ClockMs, 1000)-s.triedSec > bgsaveRetryDelaySec)
	rewrite := s.rewrite != nil || quietRewritePending(in.QuietRewrites, c, s.rewriteStartAt)
	var prev *LogLine
	for i := c.PersistFrom; i < c.LogTo && i < len(lines); i++ {
		l := &lines[i]
		if incarnationOf(l) != k {
			continue
		}
		sync := prev != nil && (prev.Format == logSyncToDisk || prev.Format == logSyncToSockets || prev.Format == logSyncBgsaveStarted)
		switch {
		case l.Format == logSavePoint && s.saveFailed && floorDiv(c.ClockMs, 1000)-s.triedSec <= bgsaveRetryDelaySec:
			agg.addV("savepoint-retry/"+c.Node, Violation{Detail: fmt.Sprintf(
				"%s (incarnation %d): its serverCron run at %s fired a save point (%q) though its last background save failed, last tried %d s before (not more than CONFIG_BGSAVE_RETRY_DELAY, %d s): "+
					"serverCron's save points wait for that delay after a failure (server.c)",
				c.Node, c.Gen, seconds(c.At), l.Msg, floorDiv(c.ClockMs, 1000)-s.triedSec, bgsaveRetryDelaySec),
				At: c.At, Nodes: []string{c.Node}})
		case l.Format == logSaveStarted && !sync && (prev == nil || prev.Format != logSavePoint):
			if !save {
				agg.addV("bgsave-cause/"+c.Node, Violation{Detail: fmt.Sprintf(
					"%s (incarnation %d): its serverCron run at %s started a BGSAVE (%q) with no save point's or SYNC's line before it and %s: "+
						"serverCron starts a BGSAVE only for a save point, replicas waiting to SYNC, or a pending BGSAVE SCHEDULE (server.c, rdb_bgsave_scheduled)",
					c.Node, c.Gen, seconds(c.At), l.Msg, pendingSave(s, c)),
					At: c.At, Nodes: []string{c.Node}})
			}
			save = false
		case l.Format == logAOFRWStarted:
			if !rewrite {
				agg.addV("rewrite-cause/"+c.Node, Violation{Detail: fmt.Sprintf(
					"%s (incarnation %d): its serverCron run at %s started an AOF rewrite (%q) with none scheduled: "+
						"serverCron starts a rewrite only when aof_rewrite_scheduled is set (server.c), and this node has no automatic rewrite",
					c.Node, c.Gen, seconds(c.At), l.Msg),
					At: c.At, Nodes: []string{c.Node}})
			}
			// A CONFIG RESETSTAT since the last line zeroed the failures.
			// A client's BGREWRITEAOF with its reply off may have zeroed
			// them at a time the records do not give.
			if s.rwFailures >= aofRewriteLimitThreshold && l.StatResets == s.resets && !quietRewritePending(in.QuietRewrites, c, s.streakFrom) {
				if why := rewriteNotDue(s, c); why != "" {
					agg.addV("rewrite-limit/"+c.Node, Violation{Detail: fmt.Sprintf(
						"%s (incarnation %d): its serverCron run at %s started an AOF rewrite (%q) after %d consecutive failures, %s: "+
							"from %d failures on, aofRewriteLimited holds the cron's rewrite back until the time its line announced (aof.c)",
						c.Node, c.Gen, seconds(c.At), l.Msg, s.rwFailures, why, aofRewriteLimitThreshold),
						At: c.At, Nodes: []string{c.Node}})
				}
			}
			rewrite = false
		}
		prev = l
	}
}

// logRewriteLimited is aofRewriteLimited's line when it starts to hold
// the cron's rewrites back.
const logRewriteLimited = "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d minutes"

// rewriteNotDue says why aofRewriteLimited would have held back a rewrite
// at cron run c, with the consecutive failures at the threshold or more:
// no limit line in the incarnation yet (the first call logs one and
// holds), or its retry time not reached on the node's clock (a second of
// slack for the cached unixtime); "" when the rewrite may start.
func rewriteNotDue(s *schedState, c *CronRun) string {
	if s.limited == nil {
		return fmt.Sprintf("with no line %q before it", logRewriteLimited)
	}
	if len(s.limited.Args) < 1 {
		return ""
	}
	minutes, err := strconv.ParseInt(s.limited.Args[0], 10, 64)
	if err != nil {
		return ""
	}
	due := floorDiv(s.limited.ClockMs, 1000) + minutes*60
	if now := floorDiv(c.ClockMs, 1000); now < due-1 {
		return fmt.Sprintf("%d s before the retry time of its line %q at %s", due-now, s.limited.Msg, seconds(s.limited.At))
	}
	return ""
}

// quietRewritePending says whether a client's BGREWRITEAOF with its reply
// off may have scheduled a rewrite still pending at cron run c: one sent
// to the node before the run that may have run after the incarnation's
// last rewrite start (at lastStart; 0 for none): its reply came after
// that start, or none came.
func quietRewritePending(quiet []NodeCall, c *CronRun, lastStart int64) bool {
	for _, q := range quiet {
		if q.Node == c.Node && q.Call < c.At && (q.Return == 0 || q.Return > lastStart) {
			return true
		}
	}
	return false
}

// pendingSave describes the scheduled BGSAVE at cron run c, for a BGSAVE
// the run should not have started.
func pendingSave(s *schedState, c *CronRun) string {
	if s.save == nil {
		return "none scheduled"
	}
	return fmt.Sprintf("the one scheduled (%s at %s) held back: its last background save failed, last tried %d s before the run (not more than CONFIG_BGSAVE_RETRY_DELAY, %d s)",
		s.save.what, seconds(s.save.at), floorDiv(c.ClockMs, 1000)-s.triedSec, bgsaveRetryDelaySec)
}

// startedInstead says what a cron run did instead of starting a
// scheduled rewrite.
func startedInstead(first *LogLine) string {
	if first == nil {
		return "neither started it nor logged a failure to start it"
	}
	return fmt.Sprintf("started another child first (%q)", first.Msg)
}

// saveStatus describes lastbgsave_status and lastbgsave_try at cron run c.
func saveStatus(s *schedState, c *CronRun) string {
	if !s.saveFailed {
		return "had not failed"
	}
	return fmt.Sprintf("failed, last tried %d s before the run (more than CONFIG_BGSAVE_RETRY_DELAY, %d s)",
		floorDiv(c.ClockMs, 1000)-s.triedSec, bgsaveRetryDelaySec)
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, " or ")
}

// checkSavePointDue judges cron run c (no child active, none started) by
// its save points: serverCron fires the first one with server.dirty >=
// changes and server.unixtime - lastsave > seconds, unless the last
// background save failed no more than CONFIG_BGSAVE_RETRY_DELAY seconds
// ago. server.dirty is known from below (dirtyIncrements: the changes
// clients' replies show since the count was last zeroed, on a node that
// stayed a master), lastsave from the log (a second of slack: rdbSave
// reads time(NULL), the cron its cached unixtime).
func checkSavePointDue(in ScheduledJobsInput, c *CronRun, s *schedState, d *dirtyBound, changers []*Op, agg *aggregator) {
	if !d.lowKnown || !masterThroughout(in.Roles, c.Node, d.lowAnchor, c.At) {
		return
	}
	now := floorDiv(c.ClockMs, 1000)
	if s.unknownStart || s.saveFailed && now-s.triedSec <= bgsaveRetryDelaySec {
		return
	}
	due := false // a save point whose seconds have passed (most have not: counting is the cost)
	for _, sp := range c.Save {
		due = due || now-s.lastSaveSec > sp.Seconds+1
	}
	if !due {
		return
	}
	var dirty int64
	for _, op := range changers {
		if op.Call > d.lowAnchor && op.Return < c.At {
			dirty += dirtyIncrements(op)
		}
	}
	for _, sp := range c.Save {
		if dirty >= sp.Changes && now-s.lastSaveSec > sp.Seconds+1 {
			agg.addV("savepoint-due/"+c.Node, Violation{Detail: fmt.Sprintf(
				"%s (incarnation %d): its serverCron run at %s (clock %d s) started no child, though no child ran and its save point %d changes in %d s was due: at least %d changes since %s (clients' replies say so) and its last save at clock %d s; serverCron fires the first save point due (server.c)",
				c.Node, c.Gen, seconds(c.At), now, sp.Changes, sp.Seconds, dirty, seconds(d.lowAnchor), s.lastSaveSec),
				At: c.At, Nodes: []string{c.Node}})
			return
		}
	}
}
