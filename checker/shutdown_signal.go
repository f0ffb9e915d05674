package checker

import (
	"fmt"
	"strings"
)

// Signals and the shutdowns they request (Redis 7.0.15's server.c
// sigShutdownHandler, serverCron, prepareForShutdown, finishShutdown).
const (
	// The handler's lines: a signal schedules a shutdown, or a SIGINT
	// while one is requested exits at once.
	logSigterm = "Received SIGTERM scheduling shutdown..."
	logSigint  = "Received SIGINT scheduling shutdown..."
	logInsist  = "You insist... exiting now."
	// prepareForShutdown's lines: a shutdown starts, and it waits for
	// the replicas.
	logUserShutdown = "User requested shutdown..."
	logWaitReplicas = "Waiting for replicas before shutting down."
	// abortShutdown's line.
	logShutdownAborted = "Shutdown manually aborted."
	// finishShutdown's line for FORCE past the first AOF still being
	// written.
	logWritingInitialAOFForced = "Writing initial AOF. Exit anyway."
)

// shutdownFlags are SHUTDOWN's flags, as shutdown-on-sigterm and
// shutdown-on-sigint hold them.
type shutdownFlags struct{ save, nosave, now, force bool }

// shutdownOnSigFlags reads a shutdown-on-sigterm / -sigint value as Redis
// 7.0.15 does (config.c, a multi-arg enum of shutdown_on_sig_enum): each
// word, in any case, adds its flag; "default" adds none.
func shutdownOnSigFlags(v string) shutdownFlags {
	var f shutdownFlags
	for _, w := range strings.Fields(strings.ToLower(v)) {
		switch w {
		case "save":
			f.save = true
		case "nosave":
			f.nosave = true
		case "now":
			f.now = true
		case "force":
			f.force = true
		}
	}
	return f
}

// ShutdownOnSigValue is what CONFIG GET shows of a shutdown-on-sigterm or
// shutdown-on-sigint value v given in a config file (config.c
// configEnumGetName with bit flags): "default" for no flag, else the flags
// set in shutdown_on_sig_enum's order (save, nosave, now, force), one
// space apart.
func ShutdownOnSigValue(v string) string {
	f := shutdownOnSigFlags(v)
	var names []string
	for _, x := range []struct {
		on   bool
		name string
	}{{f.save, "save"}, {f.nosave, "nosave"}, {f.now, "now"}, {f.force, "force"}} {
		if x.on {
			names = append(names, x.name)
		}
	}
	if len(names) == 0 {
		return "default"
	}
	return strings.Join(names, " ")
}

// shutdownState is what the shutdown checks follow per incarnation of a
// node: the SHUTDOWN clients blocked, Redis's shutdown_asap (a signal's
// request), whether a shutdown waits for the replicas, and the flags of
// the signal that came last (shutdown-on-sigterm or -sigint).
type shutdownState struct {
	blocked       int
	asap, waiting bool
	flags         string
}

// replayShutdowns returns the state of each record's incarnation right
// before the record, replaying the records and the lines of a shutdown's
// course in recording order: a SHUTDOWN that blocks counts, a reply to
// one uncounts it; a signal sets shutdown_asap; a wait starts with its
// line; a failure (its line, or a SHUTDOWN's error) and an ABORT answered
// OK cancel all (cancelShutdown); an exit ends the incarnation.
func replayShutdowns(calls []ShutdownCall, lines []LogLine) []shutdownState {
	states := map[incarnation]*shutdownState{}
	get := func(node string, gen int) *shutdownState {
		k := incarnation{node, gen}
		st := states[k]
		if st == nil {
			st = &shutdownState{}
			states[k] = st
		}
		return st
	}
	out := make([]shutdownState, len(calls))
	cancel := func(st *shutdownState) { st.blocked, st.asap, st.waiting = 0, false, false }
	uncount := func(st *shutdownState, replies []string) { st.blocked = max(0, st.blocked-len(replies)) }
	line := func(l *LogLine) {
		switch l.Msg {
		case logWaitReplicas:
			get(l.Node, l.Gen).waiting = true
		case logShutdownErrors:
			st := get(l.Node, l.Gen)
			st.asap, st.waiting = false, false
		}
	}
	call := func(i int) {
		c := &calls[i]
		st := get(c.Node, c.Gen)
		uncount(st, c.Before)
		out[i] = *st
		abort := false
		for _, a := range c.Args {
			abort = abort || strings.EqualFold(a, "ABORT")
		}
		switch {
		case c.Cron:
		case c.Exit, c.Exited:
			cancel(st)
		case c.Signal:
			st.asap, st.flags = true, c.Flags
		case abort:
			if c.Reply == "+OK" {
				cancel(st)
			}
		case c.Reply == "":
			uncount(st, c.During)
			st.blocked++
		case c.Reply == replyShutdownFailed:
			cancel(st)
		default:
			uncount(st, c.During)
		}
	}
	eachShutdownEvent(calls, lines, line, call)
	return out
}

// CheckSignalShutdowns judges the shutdowns signals request (Redis
// 7.0.15's serverCron, prepareForShutdown, finishShutdown): the node's
// first serverCron after a signal starts the shutdown ("User requested
// shutdown...") exactly when a signal's request stands (no ABORT, no
// failure since) and no shutdown is under way, and that shutdown follows
// the flags of the signal that came last (shutdown-on-sigterm or
// shutdown-on-sigint): with NOW it does not wait for the replicas, with
// SAVE it saves before it exits, with FORCE a failed save or the first
// AOF still being written does not stop it, and without FORCE they do.
// (NOSAVE is CheckShutdownNoSave's.) Its course runs from that line to
// the exit, the failure or the abort, or to the next record of the
// incarnation, which may change it.
func CheckSignalShutdowns(calls []ShutdownCall, lines []LogLine) []Violation {
	states := replayShutdowns(calls, lines)
	var out []Violation
	bad := func(node string, gen int, at int64, format string, a ...any) {
		out = append(out, Violation{Check: PropDurability, At: at, Nodes: []string{node},
			Detail: fmt.Sprintf("%s (incarnation %d): ", node, gen) + fmt.Sprintf(format, a...)})
	}
	for i := range calls {
		c := &calls[i]
		if !c.Cron {
			continue
		}
		st := states[i]
		requested := st.asap && !st.waiting && st.blocked == 0
		start := -1
		for j := c.Logs; j < c.LogsEnd && j < len(lines); j++ {
			if l := &lines[j]; l.Node == c.Node && l.Gen == c.Gen && l.Msg == logUserShutdown {
				start = j
				break
			}
		}
		switch {
		case requested && start < 0:
			bad(c.Node, c.Gen, c.At, "its first serverCron after a signal, at %s, did not start the shutdown the signal requested (%q): Redis's serverCron calls prepareForShutdown when shutdown_asap is set and no shutdown is initiated", seconds(c.At), logUserShutdown)
		case !requested && start >= 0:
			why := "no signal's request stood (aborted or failed since)"
			if st.waiting || st.blocked > 0 {
				why = "a shutdown was already under way"
			}
			bad(c.Node, c.Gen, c.At, "its first serverCron after a signal, at %s, started a shutdown (%q) although %s", seconds(c.At), lines[start].Msg, why)
		}
		if !requested || start < 0 {
			continue
		}
		end := nextCallLogs(calls, i, len(lines))
		judgeSignalCourse(lines[start:max(start, end)], shutdownOnSigFlags(st.flags), st.flags, bad)
	}
	return out
}

// judgeSignalCourse judges the lines of a signal's shutdown from its start
// (course[0], other incarnations' lines among them) against its flags (as
// given: raw).
func judgeSignalCourse(course []LogLine, f shutdownFlags, raw string, bad func(node string, gen int, at int64, format string, a ...any)) {
	first := &course[0]
	saved := false
	for j := range course {
		l := &course[j]
		if l.Node != first.Node || l.Gen != first.Gen {
			continue
		}
		switch l.Msg {
		case logWaitReplicas:
			if f.now {
				bad(l.Node, l.Gen, l.At, "%q in a signal's shutdown with flags %q: with NOW, prepareForShutdown does not wait for the replicas", l.Msg, raw)
			}
		case logFinalSave:
			saved = true
		case logFinalSaveFailed, logWritingInitialAOF:
			if f.force {
				bad(l.Node, l.Gen, l.At, "%q in a signal's shutdown with flags %q: with FORCE, finishShutdown exits anyway", l.Msg, raw)
			}
		case logFinalSaveForced, logWritingInitialAOFForced:
			if !f.force {
				bad(l.Node, l.Gen, l.At, "%q in a signal's shutdown with flags %q: without FORCE, finishShutdown cannot exit then", l.Msg, raw)
			}
		case logReadyToExit:
			if f.save && !saved {
				bad(l.Node, l.Gen, l.At, "%q without %q in a signal's shutdown with flags %q: with SAVE, finishShutdown saves before it exits", l.Msg, logFinalSave, raw)
			}
			return
		case logShutdownErrors, logShutdownAborted:
			return
		}
	}
}

// checkShutdownWaitsEnd flags a shutdown that kept waiting for its
// replicas past its deadline: prepareForShutdown sets shutdown_mstime to
// shutdown-timeout after the wait began ("Waiting for replicas before
// shutting down."), and serverCron calls finishShutdown once mstime
// reaches it, which exits ("bye bye") or fails ("Errors trying to shut
// down the server"); SHUTDOWN ABORT ends it too ("Shutdown manually
// aborted."). A node still running at the end whose last wait began more
// than shutdown-timeout and a second (ten serverCrons) before, by its
// clock, with none of those lines since, did not.
func checkShutdownWaitsEnd(lines []LogLine, ends []LogEnd) []Violation {
	waits := map[incarnation]*LogLine{} // the last wait not ended
	for i := range lines {
		l := &lines[i]
		switch l.Msg {
		case logWaitReplicas:
			waits[incarnationOf(l)] = l
		case logReadyToExit, logShutdownErrors, logShutdownAborted:
			delete(waits, incarnationOf(l))
		}
	}
	var out []Violation
	for _, e := range ends {
		w := waits[incarnation{e.Node, e.Gen}]
		if !e.Up || w == nil || e.ClockMs-w.ClockMs <= e.ShutdownTimeoutMs+1000 {
			continue
		}
		out = append(out, Violation{Check: "node_log", At: w.At, Nodes: []string{e.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): %q at %s, and still running %d ms later by its clock, past shutdown-timeout (%d ms), with no exit, failure or abort of the shutdown since: serverCron finishes the shutdown once its deadline passed",
				e.Node, e.Gen, w.Msg, seconds(w.At), e.ClockMs-w.ClockMs, e.ShutdownTimeoutMs)})
	}
	return out
}

// nextCallLogs is where the log stands at the next call (not an exit) to
// calls[i]'s node incarnation after it: the end of what calls[i]'s
// course wrote; n when there is none.
func nextCallLogs(calls []ShutdownCall, i, n int) int {
	c := &calls[i]
	for _, d := range calls[i+1:] {
		if d.Node == c.Node && d.Gen == c.Gen && !d.Exit {
			return min(n, d.Logs)
		}
	}
	return n
}
