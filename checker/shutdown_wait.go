package checker

import (
	"fmt"
	"strings"
)

// GracefulExit is a master leaving by a graceful SHUTDOWN, or a signal's
// graceful shutdown (not NOW, not a crash), under a non-zero
// shutdown-timeout.
type GracefulExit struct {
	Node string
	// By is what started the shutdown: "SHUTDOWN" ("" in older records),
	// or the signal ("SIGTERM", "SIGINT") whose serverCron started it at
	// Call.
	By string
	// Call and At are the virtual times (ns) of the SHUTDOWN and of the
	// exit; ClockCall and ClockAt the master's own clock then (Unix ms),
	// which its deadline is counted on.
	Call, At           int64
	ClockCall, ClockAt int64
	TimeoutMs          int64
	// ReplID and Offset are the master's history at the exit.
	ReplID string
	Offset int64
	// Replicas are the nodes connected to the master at the exit, seen
	// from both ends: the master lists them and their own link to it is
	// up.
	Replicas []string
	// AckZero are the replication clients (cluster/replclient.go) the
	// master still listed as replicas at the exit: they never acknowledge
	// past offset 0, so a master past offset 0 waits for them until the
	// timeout runs out.
	AckZero []string
}

// CheckShutdownWaits checks what Redis 7.0 promises of a graceful
// shutdown: the master waits up to shutdown-timeout for its replicas to
// acknowledge its offset, so unless that time ran out, every replica
// connected at the exit has applied the master's whole stream (every write
// acknowledged before the SHUTDOWN with it) by then. A replica's applied
// offset is read from the stream it applied (chunks), the full syncs it
// loaded and the files it restarted from, not from what either node says.
func CheckShutdownWaits(exits []GracefulExit, chunks []StreamChunk, syncs []FullSync, restarts []Restart) []Violation {
	var out []Violation
	for _, e := range exits {
		if e.ClockAt-e.ClockCall >= e.TimeoutMs {
			continue // the timeout elapsed: Redis exits and logs the laggards
		}
		var behind []string
		for _, r := range e.Replicas {
			applied := int64(-1)
			for i := range chunks {
				c := &chunks[i]
				if c.Node == r && c.Replica && c.ReplID == e.ReplID && c.At <= e.At {
					applied = max(applied, c.End())
				}
			}
			for _, f := range syncs {
				if f.Node == r && f.ReplID == e.ReplID && f.At <= e.At {
					applied = max(applied, f.Offset)
				}
			}
			for _, x := range restarts {
				if x.Node == r && x.Repl.ReplID == e.ReplID && x.RestartAt <= e.At {
					applied = max(applied, x.Repl.Offset)
				}
			}
			// A replica on none of the recorded history (it resumed under
			// the master's secondary ID and applied nothing since, seed
			// 6447) cannot be placed: not judged.
			if applied >= 0 && applied < e.Offset {
				behind = append(behind, fmt.Sprintf("%s at offset %s", r, showOffset(applied)))
			}
		}
		if e.Offset > 0 {
			for _, r := range e.AckZero {
				behind = append(behind, r+" (a replication client) at offset 0")
			}
		}
		if len(behind) == 0 {
			continue
		}
		by := "SHUTDOWN at " + seconds(e.Call)
		if e.By != "" && e.By != "SHUTDOWN" {
			by = fmt.Sprintf("a %s's shutdown, started by its serverCron at %s", e.By, seconds(e.Call))
		}
		out = append(out, Violation{Check: PropDurability, At: e.At, Nodes: append([]string{e.Node}, e.Replicas...),
			Detail: fmt.Sprintf("master %s shut down gracefully (%s, shutdown-timeout %d s) and exited at %s, %d ms later on its clock, at offset %d of %s without waiting for its connected replicas: %s",
				e.Node, by, e.TimeoutMs/1000, seconds(e.At), e.ClockAt-e.ClockCall, e.Offset, e.ReplID, strings.Join(behind, ", "))})
	}
	return out
}

func showOffset(o int64) string {
	if o < 0 {
		return "none of its history"
	}
	return fmt.Sprint(o)
}

// ShutdownCall is the operator's SHUTDOWN or SHUTDOWN ABORT on a node (or,
// with Exit, a shutdown finishing from one of its ticks; with Signal, a
// signal sent to it; with Cron, its first serverCron after a signal), as
// the operator's clients saw it.
type ShutdownCall struct {
	Node string
	Gen  int // the node's incarnation
	At   int64
	// Args is the command; TimeoutMs the shutdown-timeout the harness
	// gave the node.
	Args      []string
	TimeoutMs int64
	// Exit marks a shutdown finishing between calls (no command).
	Exit bool
	// Before are the replies the operator's SHUTDOWN clients blocked
	// earlier got since the previous record, During those they got
	// during this call ("-ERR ..." texts).
	Before, During []string
	// Reply is the call's own reply, "" when it got none (it blocked, or
	// the node exited); Exited says the node exited during the call.
	Reply  string
	Exited bool
	// Signal marks a signal sent to the node (Args[0] is "SIGTERM" or
	// "SIGINT"); Flags is the shutdown-on-sigterm or -sigint value the
	// harness gave the node, in its words ("default", "save now", "NOW
	// nosave"...): the flags of the shutdown the signal requests.
	Signal bool
	Flags  string
	// Cron marks the node's first serverCron after a signal, which
	// starts the shutdown the signal requested unless none is requested
	// any more or one is under way (serverCron: shutdown_asap &&
	// !isShutdownInitiated()); its lines are those from Logs to LogsEnd.
	Cron bool
	// Logs is how many log lines (of every node, LogInput.Lines) were
	// recorded before the record: it places the record among them.
	Logs, LogsEnd int
}

// Redis 7.0.15's replies around SHUTDOWN (db.c shutdownCommand,
// server.c replyToClientsblockedOnShutdown).
const (
	replyShutdownFailed = "-ERR Errors trying to SHUTDOWN. Check logs."
	replyNoShutdown     = "-ERR No shutdown in progress."
)

// CheckShutdownCalls judges the operator's SHUTDOWNs, and the signals the
// nodes were sent, against what Redis 7.0.15 does (db.c shutdownCommand,
// server.c sigShutdownHandler, serverCron, prepareForShutdown,
// abortShutdown, finishShutdown), counting, per incarnation of a node, the
// SHUTDOWN clients left blocked (unanswered, the node up), and following
// shutdown_asap (a signal's request, which cancelShutdown and
// abortShutdown clear) and whether a shutdown waits for the replicas
// (from the lines, which place a failure's cancelShutdown and a wait's
// start among the calls):
//   - a SHUTDOWN either exits, blocks (it waits for the replicas, or joins
//     a wait under way) or fails with "ERR Errors trying to SHUTDOWN.
//     Check logs."; it blocks only if a wait is under way or it has no
//     NOW and shutdown-timeout is not 0;
//   - SHUTDOWN ABORT answers OK exactly when SHUTDOWNs are blocked or a
//     signal's shutdown is requested, each blocked SHUTDOWN then getting
//     "ERR Errors trying to SHUTDOWN. Check logs.", and the node serves
//     on; else "ERR No shutdown in progress.";
//   - a blocked SHUTDOWN is answered only by that error (a failure), and
//     a shutdown finishes from a tick only while one is blocked or a
//     signal requested it;
//   - a SHUTDOWN with FORCE never fails by itself (a failed save, or the
//     AOF's first rewrite under way, do not stop it);
//   - a signal's handler only schedules the shutdown, except a SIGINT
//     while shutdown_asap is set, which exits at once ("You insist...
//     exiting now.").
func CheckShutdownCalls(calls []ShutdownCall, lines []LogLine) []Violation {
	type key struct {
		node string
		gen  int
	}
	type state struct {
		blocked       int
		asap, waiting bool
	}
	states := map[key]*state{}
	get := func(k key) *state {
		st := states[k]
		if st == nil {
			st = &state{}
			states[k] = st
		}
		return st
	}
	var out []Violation
	bad := func(c *ShutdownCall, format string, a ...any) {
		what := "a shutdown finishing"
		if !c.Exit {
			what = strings.Join(c.Args, " ")
		}
		out = append(out, Violation{Check: PropDurability, At: c.At, Nodes: []string{c.Node},
			Detail: fmt.Sprintf("%s at %s (%s): ", c.Node, seconds(c.At), what) + fmt.Sprintf(format, a...)})
	}
	// answered takes late replies to the blocked SHUTDOWNs off the count.
	answered := func(c *ShutdownCall, st *state, replies []string) {
		for _, r := range replies {
			switch {
			case st.blocked == 0:
				bad(c, "a reply %q reached a SHUTDOWN client when none was blocked", r)
			case r != replyShutdownFailed:
				bad(c, "a blocked SHUTDOWN was answered %q; Redis answers it only %q (the node exits otherwise)", r, replyShutdownFailed)
				st.blocked--
			default:
				st.blocked--
			}
		}
	}
	line := func(l *LogLine) {
		switch l.Msg {
		case logWaitReplicas:
			get(key{l.Node, l.Gen}).waiting = true
		case logShutdownErrors:
			// finishShutdown's error path: cancelShutdown clears
			// shutdown_asap and the wait.
			st := get(key{l.Node, l.Gen})
			st.asap, st.waiting = false, false
		}
	}
	call := func(i int) {
		c := &calls[i]
		st := get(key{c.Node, c.Gen})
		answered(c, st, c.Before)
		switch {
		case c.Cron:
			return // judged by CheckSignalShutdowns
		case c.Exit:
			if st.blocked == 0 && !st.asap {
				bad(c, "the node shut down from a tick while no SHUTDOWN was waiting and no signal had requested a shutdown (an aborted or failed one must not exit later)")
			}
			*st = state{}
			return
		case c.Signal:
			judgeSignal(c, st.asap, bad)
			if c.Exited {
				*st = state{}
				return
			}
			st.asap = true
			answered(c, st, c.During)
			return
		}
		abort, now, force := false, false, false
		for _, a := range c.Args[1:] {
			abort = abort || strings.EqualFold(a, "ABORT")
			now = now || strings.EqualFold(a, "NOW")
			force = force || strings.EqualFold(a, "FORCE")
		}
		if abort {
			if n := st.blocked; n > 0 || st.asap {
				what := fmt.Sprintf("%d SHUTDOWN(s) were waiting", n)
				if n == 0 {
					what = "a signal had requested a shutdown (shutdown_asap)"
				}
				if c.Reply != "+OK" || c.Exited {
					bad(c, "%s, yet it answered %q (exited: %v); Redis cancels the shutdown and answers OK", what, c.Reply, c.Exited)
				}
				if len(c.During) != n {
					bad(c, "%d SHUTDOWN(s) were waiting and %d got a reply as it cancelled them (%q)", n, len(c.During), c.During)
				}
				for _, r := range c.During {
					if r != replyShutdownFailed {
						bad(c, "a cancelled SHUTDOWN got %q, not %q", r, replyShutdownFailed)
					}
				}
				*st = state{}
				return
			}
			if c.Reply != replyNoShutdown {
				bad(c, "no SHUTDOWN was waiting and no signal had requested a shutdown, yet it answered %q, not %q", c.Reply, replyNoShutdown)
			}
			answered(c, st, c.During)
			return
		}
		if c.Exited {
			*st = state{} // every blocked client goes with the node
			return
		}
		answered(c, st, c.During)
		switch {
		case c.Reply == "":
			if st.blocked == 0 && !st.waiting && (now || c.TimeoutMs == 0) {
				bad(c, "it blocked with no shutdown under way although %s; Redis exits at once (prepareForShutdown)",
					map[bool]string{true: "NOW was given", false: "shutdown-timeout is 0"}[now])
			}
			st.blocked++
		case c.Reply != replyShutdownFailed:
			bad(c, "it answered %q and the node is up; Redis exits, blocks, or answers %q", c.Reply, replyShutdownFailed)
		case force:
			bad(c, "it answered %q: with FORCE, prepareForShutdown goes on past a failed save or an AOF still being written, and Redis exits", c.Reply)
		default:
			st.asap, st.waiting = false, false // cancelShutdown
		}
	}
	eachShutdownEvent(calls, lines, line, call)
	return out
}

// judgeSignal judges what a signal's handler did with shutdown_asap as
// asap (sigShutdownHandler): a SIGINT while it is set exits at once, any
// other signal only schedules the shutdown.
func judgeSignal(c *ShutdownCall, asap bool, bad func(c *ShutdownCall, format string, a ...any)) {
	sigint := len(c.Args) > 0 && c.Args[0] == "SIGINT"
	switch {
	case sigint && asap && !c.Exited:
		bad(c, "a SIGINT while a signal's shutdown was requested (shutdown_asap) did not exit at once; Redis's handler logs %q and exits", logInsist)
	case c.Exited && !(sigint && asap):
		bad(c, "the node exited at the signal; Redis's handler only schedules the shutdown (shutdown_asap was %v), except for a SIGINT while it is set", asap)
	}
}

// eachShutdownEvent walks calls and lines in the order they were recorded
// (ShutdownCall.Logs places a record among the lines): line for each line,
// call for each record, by index.
func eachShutdownEvent(calls []ShutdownCall, lines []LogLine, line func(*LogLine), call func(int)) {
	j := 0
	for i := range calls {
		for ; j < len(lines) && j < calls[i].Logs; j++ {
			line(&lines[j])
		}
		call(i)
	}
	for ; j < len(lines); j++ {
		line(&lines[j])
	}
}
