package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// InfoCountersNode is a running node's INFO stats and persistence at the
// end of the run, with the incarnation and CONFIG RESETSTAT count they
// belong to.
type InfoCountersNode struct {
	Node string
	Gen  int
	// Proc is its running process (LogLine.Proc), and StartClockMs the
	// node's clock (Unix ms) as that process started.
	Proc         int
	StartClockMs int64
	StatResets   int
	Info         string
}

// InfoCountersInput is every node's log and, for the running ones, their
// INFO at the end.
type InfoCountersInput struct {
	Lines []LogLine
	Nodes []InfoCountersNode
	// Replies are the operator's BGSAVE and BGREWRITEAOF replies: a
	// BGREWRITEAOF answered "scheduled" zeroes the rewrites' consecutive
	// failures. QuietRewrites are the clients' BGREWRITEAOFs sent with
	// replies off, which may have: the count of a process that got one is
	// not judged.
	Replies       []ChildReply
	QuietRewrites []NodeCall
	// Crons are the nodes' serverCron runs (CheckScheduledRewrites).
	Crons []CronRun
}

// The lines the counters are read from (Redis 7.0.15's texts; a rewrite's
// start line carries the child's pid in Redis, so it is matched by prefix).
const (
	logRewriteStarted  = "Background append only file rewriting started"
	logRewriteForkFail = "Can't rewrite append only file in background: fork: %s"
	logRewriteKilled   = "Killing running AOF rewrite child: %d"
)

// rewriteEnds are the lines that end a rewrite in its done handler
// (backgroundRewriteDoneHandler), where Redis sets aof_last_rewrite_time_sec:
// the child's exit status, or the first failure after it when no line
// reports the exit.
var rewriteEnds = []string{
	"Background AOF rewrite terminated",
	"Background AOF rewrite finished successfully",
	"Error trying to rename the temporary AOF file",
	"Can't persist the AOF manifest after the rewrite",
}

// infoCounts is what one incarnation's log says its counters are.
type infoCounts struct {
	resets                      int
	asks, wrong, accepted, errs int64
	rewrites                    int64
	rewriteStart                *LogLine
	lastRewriteSec              int64
	rewriteStatus               string
	// rwFailures is stat_aofrw_consecutive_failures; rwUnsure says a
	// scheduled BGREWRITEAOF (which zeroes it) came at the instant of a
	// failure, in an order the records do not give.
	rwFailures int64
	rwUnsure   bool
	// bgsaves counts rdbSaveBackground's tries (a BGSAVE, a save point, a
	// sync to disk): rdb_saves counts them and the SAVEs, which the log
	// does not tell from FLUSHALL's and DEBUG RELOAD's saves, so it is a
	// lower bound.
	bgsaves int64
	// rdbStart is the running RDB child's start line; lastBgsaveSec the
	// seconds of its clock the last reaped one took (-1: none), which
	// RESETSTAT keeps.
	rdbStart      *LogLine
	lastBgsaveSec int64
}

// rewriteDoneFailures are backgroundRewriteDoneHandler's failure lines, by
// prefix: the child's error exit, a rename, the manifest's persist (the
// node's own line). Each counts one consecutive failure; a rewrite that
// failed to start, or was killed, counts none.
var rewriteDoneFailures = []string{
	"Background AOF rewrite terminated with error",
	"Error trying to rename the temporary AOF base file ",
	"Error trying to rename the temporary AOF incr file ",
	"Can't persist the AOF manifest after the rewrite",
}

// logRewriteScheduledReply is BGREWRITEAOF's reply when it schedules the
// rewrite, and zeroes the consecutive failures so that it runs at once.
const logRewriteScheduledReply = "+Background append only file rewriting scheduled"

// CheckInfoCounters compares each running node's INFO counters with the
// events its log records since it started, or since its latest CONFIG
// RESETSTAT for what that clears (Redis's resetServerStats):
//   - sync_partial_ok counts "Partial resynchronization request from %s
//     accepted" (Redis skips the line only when writing +CONTINUE to the
//     socket fails at once, which no simulated connection does);
//   - sync_partial_err counts the PSYNCs refused for a replication ID or
//     an offset ("Partial resynchronization not accepted: ...", "Unable to
//     partial resync ... for lack of backlog"), never a "?" one;
//   - sync_full counts every other "Replica %s asks for synchronization",
//     less those with a wrong offset (syncCommand returns before counting);
//   - aof_rewrites counts the rewrites started: the started line, or a
//     failed fork, as rewriteAppendOnlyFileBackground counts before it
//     forks;
//   - aof_last_bgrewrite_status is "ok" from the start (RESETSTAT keeps
//     it), then what the last rewrite that ended or failed to start left
//     (rewriteStatusAfter);
//   - aof_last_rewrite_time_sec is -1 until a rewrite's done handler ran
//     in the process (RESETSTAT keeps it), then the whole seconds of the
//     node's clock from that rewrite's start to its end;
//   - rdb_saves is at least the background saves tried (bgsaves);
//   - aof_rewrites_consecutive_failures counts the done handler's failures
//     (rewriteDoneFailures) since the last success, RESETSTAT or
//     BGREWRITEAOF answered "scheduled" (which zeroes it so the rewrite
//     is not held back by the limit).
func CheckInfoCounters(in InfoCountersInput) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	counts := map[genKey]*infoCounts{}
	scheduled := map[genKey][]int64{}
	for _, r := range in.Replies {
		if r.Reply == logRewriteScheduledReply {
			k := genKey{r.Node, r.Gen}
			scheduled[k] = append(scheduled[k], r.Call)
		}
	}
	quiet := map[string][]NodeCall{}
	for _, q := range in.QuietRewrites {
		quiet[q.Node] = append(quiet[q.Node], q)
	}
	for _, l := range in.Lines {
		k := genKey{l.Node, l.Gen}
		c := counts[k]
		if c == nil {
			c = &infoCounts{lastRewriteSec: -1, rewriteStatus: "ok", lastBgsaveSec: -1}
			counts[k] = c
		}
		for len(quiet[l.Node]) > 0 && quiet[l.Node][0].Call <= l.At {
			// It ran in this process or a later one; either way the
			// count of the process it ran in is unsure.
			c.rwUnsure = true
			quiet[l.Node] = quiet[l.Node][1:]
		}
		if l.StatResets != c.resets {
			c.resets = l.StatResets
			c.asks, c.wrong, c.accepted, c.errs, c.rewrites, c.rwFailures, c.bgsaves = 0, 0, 0, 0, 0, 0, 0
		}
		for len(scheduled[k]) > 0 && scheduled[k][0] <= l.At {
			c.rwUnsure = c.rwUnsure || scheduled[k][0] == l.At
			c.rwFailures = 0
			scheduled[k] = scheduled[k][1:]
		}
		if l.Msg == logRewriteOK {
			c.rwFailures = 0
		}
		for _, p := range rewriteDoneFailures {
			if strings.HasPrefix(l.Msg, p) {
				c.rwFailures++
			}
		}
		c.rewriteStatus = rewriteStatusAfter(c.rewriteStatus, l.Msg)
		switch {
		case l.Format == logAsksSync:
			c.asks++
		case l.Format == logAsksWrong:
			c.wrong++
		case l.Format == logPartialOK:
			c.accepted++
		case l.Format == logNoBacklog || strings.HasPrefix(l.Msg, "Partial resynchronization not accepted: "):
			c.errs++
		case strings.HasPrefix(l.Msg, logRewriteStarted):
			c.rewrites++
			l := l
			c.rewriteStart = &l
		case l.Format == logRewriteForkFail:
			c.rewrites++
		case l.Format == logSaveStarted || l.Format == logForkFailed:
			c.bgsaves++
			if l.Format == logSaveStarted {
				l := l
				c.rdbStart = &l
			}
		case l.Format == logSendStarted:
			l := l
			c.rdbStart = &l
		case c.rdbStart != nil && rdbChildReaped(l.Format):
			c.lastBgsaveSec = floorDiv(l.ClockMs, 1000) - floorDiv(c.rdbStart.ClockMs, 1000)
			c.rdbStart = nil
		case l.Format == logRewriteKilled:
			c.rewriteStart = nil
		case c.rewriteStart != nil && endsRewrite(l.Msg):
			c.lastRewriteSec = floorDiv(l.ClockMs, 1000) - floorDiv(c.rewriteStart.ClockMs, 1000)
			c.rewriteStart = nil
		}
	}
	var out []Violation
	for _, n := range in.Nodes {
		c := counts[genKey{n.Node, n.Gen}]
		if c == nil {
			c = &infoCounts{lastRewriteSec: -1, rewriteStatus: "ok", lastBgsaveSec: -1}
		}
		if n.StatResets != c.resets {
			c.resets = n.StatResets
			c.asks, c.wrong, c.accepted, c.errs, c.rewrites, c.rwFailures, c.bgsaves = 0, 0, 0, 0, 0, 0, 0
		}
		if len(scheduled[genKey{n.Node, n.Gen}]) > 0 {
			c.rwFailures = 0
		}
		if len(quiet[n.Node]) > 0 {
			c.rwUnsure = true // sent after the node's last line
		}
		fields, _ := parseInfo(n.Info)
		want := []struct {
			field string
			n     int64
			from  string
		}{
			{"sync_partial_ok", c.accepted, "partial resyncs accepted"},
			{"sync_partial_err", c.errs, "partial resyncs refused"},
			{"sync_full", c.asks - c.wrong - c.accepted, "requests neither accepted nor with a wrong offset"},
			{"aof_rewrites", c.rewrites, "rewrites started"},
			{"aof_last_rewrite_time_sec", c.lastRewriteSec, "seconds of its clock the last finished rewrite took (-1: none)"},
			{"rdb_last_bgsave_time_sec", c.lastBgsaveSec, "seconds of its clock the last reaped RDB child took, to disk or to sockets (-1: none)"},
			{"aof_rewrites_consecutive_failures", c.rwFailures, "rewrites that failed in their done handler since the last that succeeded or a BGREWRITEAOF that was scheduled"},
		}
		if c.rwUnsure {
			want = want[:len(want)-1]
		}
		for _, w := range want {
			v, ok := fields[w.field]
			if !ok {
				out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): INFO has no %s", n.Node, n.Gen, w.field)})
				continue
			}
			if got, err := strconv.ParseInt(v, 10, 64); err != nil || got != w.n {
				out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): INFO %s:%s, but its log since the start or the last CONFIG RESETSTAT counts %d (%s)",
						n.Node, n.Gen, w.field, v, w.n, w.from)})
			}
		}
		if got, err := strconv.ParseInt(fields["rdb_saves"], 10, 64); err != nil || got < c.bgsaves {
			out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): INFO rdb_saves:%s, but its log since the start or the last CONFIG RESETSTAT shows %d background saves tried (%q or a failed fork), each counted by rdbSaveBackground",
					n.Node, n.Gen, fields["rdb_saves"], c.bgsaves, logSaveStarted)})
		}
		if v := fields["aof_last_bgrewrite_status"]; v != c.rewriteStatus {
			out = append(out, Violation{Check: "info_counters", Nodes: []string{n.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): INFO aof_last_bgrewrite_status:%s, but its log since the start says %s (the last rewrite's end or failure to start)",
					n.Node, n.Gen, v, c.rewriteStatus)})
		}
	}
	return out
}

// endsRewrite is whether a line ends a running rewrite (rewriteEnds).
func endsRewrite(msg string) bool {
	for _, p := range rewriteEnds {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// rdbChildReaped says whether a line is backgroundSaveDoneHandler's for
// an RDB child, to disk or to sockets, whatever its outcome: it sets
// rdb_save_time_last.
func rdbChildReaped(format string) bool {
	switch format {
	case logSaveDone, logSaveError, logSaveBySignal, logSendDone, logSendBySignal:
		return true
	}
	return false
}
