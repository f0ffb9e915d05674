package checker

import (
	"fmt"
	"strings"
)

// GracefulExit is a master leaving by a graceful SHUTDOWN (not NOW, not a
// crash) under a non-zero shutdown-timeout.
type GracefulExit struct {
	Node string
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
		out = append(out, Violation{Check: PropDurability, At: e.At, Nodes: append([]string{e.Node}, e.Replicas...),
			Detail: fmt.Sprintf("master %s shut down gracefully (SHUTDOWN at %s, shutdown-timeout %d s) and exited at %s, %d ms later on its clock, at offset %d of %s without waiting for its connected replicas: %s",
				e.Node, seconds(e.Call), e.TimeoutMs/1000, seconds(e.At), e.ClockAt-e.ClockCall, e.Offset, e.ReplID, strings.Join(behind, ", "))})
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
// with Exit, a shutdown finishing from one of its ticks), as the
// operator's clients saw it.
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
}

// Redis 7.0.15's replies around SHUTDOWN (db.c shutdownCommand,
// server.c replyToClientsblockedOnShutdown).
const (
	replyShutdownFailed = "-ERR Errors trying to SHUTDOWN. Check logs."
	replyNoShutdown     = "-ERR No shutdown in progress."
)

// CheckShutdownCalls judges the operator's SHUTDOWNs against what Redis
// 7.0.15 does (db.c shutdownCommand, server.c prepareForShutdown,
// abortShutdown, finishShutdown), counting, per incarnation of a node, the
// SHUTDOWN clients left blocked (unanswered, the node up):
//   - a SHUTDOWN either exits, blocks (it waits for the replicas, or joins
//     a wait under way) or fails with "ERR Errors trying to SHUTDOWN.
//     Check logs."; it blocks only if a wait is under way or it has no
//     NOW and shutdown-timeout is not 0;
//   - SHUTDOWN ABORT answers OK exactly when SHUTDOWNs are blocked, each
//     of which then gets "ERR Errors trying to SHUTDOWN. Check logs.", and
//     the node serves on; else "ERR No shutdown in progress.";
//   - a blocked SHUTDOWN is answered only by that error (a failure), and
//     a shutdown finishes from a tick only while one is blocked;
//   - a SHUTDOWN with FORCE never fails by itself (a failed save, or the
//     AOF's first rewrite under way, do not stop it).
func CheckShutdownCalls(calls []ShutdownCall) []Violation {
	type key struct {
		node string
		gen  int
	}
	blocked := map[key]int{}
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
	answered := func(c *ShutdownCall, k key, replies []string) {
		for _, r := range replies {
			switch {
			case blocked[k] == 0:
				bad(c, "a reply %q reached a SHUTDOWN client when none was blocked", r)
			case r != replyShutdownFailed:
				bad(c, "a blocked SHUTDOWN was answered %q; Redis answers it only %q (the node exits otherwise)", r, replyShutdownFailed)
				blocked[k]--
			default:
				blocked[k]--
			}
		}
	}
	for i := range calls {
		c := &calls[i]
		k := key{c.Node, c.Gen}
		answered(c, k, c.Before)
		if c.Exit {
			if blocked[k] == 0 {
				bad(c, "the node shut down from a tick while no SHUTDOWN was waiting (an aborted or failed one must not exit later)")
			}
			blocked[k] = 0
			continue
		}
		abort, now, force := false, false, false
		for _, a := range c.Args[1:] {
			abort = abort || strings.EqualFold(a, "ABORT")
			now = now || strings.EqualFold(a, "NOW")
			force = force || strings.EqualFold(a, "FORCE")
		}
		if abort {
			if n := blocked[k]; n > 0 {
				if c.Reply != "+OK" || c.Exited {
					bad(c, "%d SHUTDOWN(s) were waiting, yet it answered %q (exited: %v); Redis cancels the wait and answers OK", n, c.Reply, c.Exited)
				}
				if len(c.During) != n {
					bad(c, "%d SHUTDOWN(s) were waiting and %d got a reply as it cancelled them (%q)", n, len(c.During), c.During)
				}
				for _, r := range c.During {
					if r != replyShutdownFailed {
						bad(c, "a cancelled SHUTDOWN got %q, not %q", r, replyShutdownFailed)
					}
				}
				blocked[k] = 0
				continue
			}
			if c.Reply != replyNoShutdown {
				bad(c, "no SHUTDOWN was waiting, yet it answered %q, not %q", c.Reply, replyNoShutdown)
			}
			answered(c, k, c.During)
			continue
		}
		if c.Exited {
			blocked[k] = 0 // every blocked client goes with the node
			continue
		}
		answered(c, k, c.During)
		switch {
		case c.Reply == "":
			if blocked[k] == 0 && (now || c.TimeoutMs == 0) {
				bad(c, "it blocked with no shutdown under way although %s; Redis exits at once (prepareForShutdown)",
					map[bool]string{true: "NOW was given", false: "shutdown-timeout is 0"}[now])
			}
			blocked[k]++
		case c.Reply != replyShutdownFailed:
			bad(c, "it answered %q and the node is up; Redis exits, blocks, or answers %q", c.Reply, replyShutdownFailed)
		case force:
			bad(c, "it answered %q: with FORCE, prepareForShutdown goes on past a failed save or an AOF still being written, and Redis exits", c.Reply)
		}
	}
	return out
}
