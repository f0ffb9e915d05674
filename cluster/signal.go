package cluster

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/checker"
)

// Redis 7.0.15's signal handler's lines (server.c sigShutdownHandler,
// serverLogFromHandler at LL_WARNING).
const (
	logSigterm = "Received SIGTERM scheduling shutdown..."
	logSigint  = "Received SIGINT scheduling shutdown..."
	logInsist  = "You insist... exiting now."
)

// EventSignal is a signal sent to a node (proc_signal); its detail names
// the signal, and "You insist" when the node exited at once.
const EventSignal = "proc_signal"

// Signal implements fault.Target: SIGINT (sigint) or SIGTERM to a live
// node, as its driver handles one (server/server.go): the handler's line
// goes to the node's log and node.ShutdownSignal schedules the shutdown,
// which the node's next serverCron starts (noteSignalCron records that
// tick); a SIGINT while shutdown_asap is set (node.ShutdownPending) exits
// at once with status 1, an unclean exit like a kill -9 that keeps the
// page cache: no save, no AOF fsync, the replicas not waited for, the
// blocked SHUTDOWN clients left unanswered. Every signal is recorded for
// the shutdown checks (record_shutdown.go), with the flags the harness
// gave the node for it.
//
// Not modelled: a signal to a paused node (SIGSTOP holds it until
// SIGCONT) or one in DEBUG SLEEP (the handler runs at once) is skipped,
// as the operator's commands are; an RDB child a SIGINT exit leaves
// behind dies with it, as after proc_crash (Redis's child would finish
// its save).
func (h *Cluster) Signal(name string, sigint bool) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	if s.exiting || s.node.Down() {
		return fmt.Errorf("node %s has exited", name)
	}
	sig := "SIGTERM"
	if sigint {
		sig = "SIGINT"
	}
	call := h.startShutdownCall(s, []string{sig})
	call.Signal, call.Flags = true, s.signalFlags(sigint)
	if sigint && s.node.ShutdownPending() {
		s.logSignal(logInsist)
		call.Exited = true
		h.endSignalCall(s, call)
		h.Note(EventSignal, name, sig+": "+logInsist)
		h.exit(s) // actions.go
		return nil
	}
	if sigint {
		s.logSignal(logSigint)
	} else {
		s.logSignal(logSigterm)
	}
	s.node.ShutdownSignal(sigint)
	s.signalled, s.lastSigint = true, sigint
	h.endSignalCall(s, call)
	h.Note(EventSignal, name, sig+" (shutdown-on-"+strings.ToLower(sig)+" "+call.Flags+")")
	return nil
}

// logSignal writes line, one of the handler's, to s's log, unless its
// loglevel is nothing (serverLogFromHandler skips a level under the
// verbosity, and the handler logs at LL_WARNING).
func (s *simNode) logSignal(line string) {
	if s.node.Config().LogLevel == "nothing" {
		return
	}
	switch line {
	case logSigterm:
		s.Logf(logSigterm)
	case logSigint:
		s.Logf(logSigint)
	default:
		s.Logf(logInsist)
	}
}

// endSignalCall completes and records a signal's call: the replies the
// blocked SHUTDOWN clients got during it (none: a handler answers
// nobody).
func (h *Cluster) endSignalCall(s *simNode, call *checker.ShutdownCall) {
	s.inShutdownCall = false
	call.During = h.lateShutdownReplies(s)
	h.rec.shutdownCalls = append(h.rec.shutdownCalls, *call)
}

// noteSignalCron records the first serverCron of s after a signal, which
// starts the shutdown the signal requested unless one is under way
// (serverCron: shutdown_asap && !isShutdownInitiated()), with the tick's
// log lines (from logs on), for the shutdown checks; waiting says a
// shutdown waited for the replicas before the tick. A master's shutdown
// that starts there is timed from there for the shutdown-wait check,
// as a SHUTDOWN is from its call; one under way keeps its record.
func (h *Cluster) noteSignalCron(s *simNode, waiting bool, logs int) {
	h.rec.shutdownCalls = append(h.rec.shutdownCalls, checker.ShutdownCall{Node: s.name, Gen: s.gen, At: int64(h.w.Now()),
		Cron: true, TimeoutMs: s.cfg.ShutdownTimeoutSec * 1000, Logs: logs, LogsEnd: len(h.rec.logs),
		Before: h.lateShutdownReplies(s)})
	if waiting {
		return
	}
	sig, now := "SIGTERM", false
	if s.lastSigint {
		sig = "SIGINT"
	}
	for _, f := range strings.Fields(s.signalFlags(s.lastSigint)) {
		now = now || strings.EqualFold(f, "now")
	}
	s.shutdown = h.waitRecord(s, now, sig)
}
