package cluster

import (
	"slices"
	"sort"
	"strings"

	"github.com/replsim/replsim/node/resp"

	"github.com/replsim/replsim/checker"
)

// What the shutdown-wait check (checker/shutdown_wait.go) needs: for a
// master that leaves by a graceful SHUTDOWN under a non-zero
// shutdown-timeout, when the SHUTDOWN came and when it exited (virtual
// time and the master's clock), its offset then, and which replicas were
// connected to it.

// pendingShutdown is a graceful SHUTDOWN sent to a master (or the
// serverCron that started a signal's shutdown), until it exits.
type pendingShutdown struct {
	call, clock, timeoutMs int64
	// by is what started it: "SHUTDOWN", "SIGTERM" or "SIGINT".
	by string
}

// noteShutdownCall remembers a SHUTDOWN about to be sent to s, if s is the
// master and its shutdown-timeout makes it wait for replicas. A SHUTDOWN
// sent while an earlier one waits joins that one and its deadline (Redis's
// prepareForShutdown does nothing then): the earlier call stays the one the
// exit is timed from (seed 1194 exited 2.01 s after its first SHUTDOWN,
// 220 ms after a second one).
//
// A SHUTDOWN with NOW does not wait (prepareForShutdown): not recorded.
func (h *Cluster) noteShutdownCall(s *simNode, args []string) {
	if s.node.ShutdownWaiting() {
		return
	}
	now := false
	for _, a := range args[1:] {
		now = now || strings.EqualFold(a, "NOW")
	}
	s.shutdown = h.waitRecord(s, now, "SHUTDOWN")
}

// waitRecord is the record of a shutdown starting now on s, started by by,
// that the shutdown-wait check judges, or nil: only a master's, under a
// non-zero shutdown-timeout, without NOW waits (prepareForShutdown).
func (h *Cluster) waitRecord(s *simNode, now bool, by string) *pendingShutdown {
	if now || s != h.master || s.node.Repl().Role != "master" || s.node.ShutdownTimeoutMs() <= 0 {
		return nil
	}
	return &pendingShutdown{call: int64(h.w.Now()), clock: s.Now() / 1e6, timeoutMs: s.node.ShutdownTimeoutMs(), by: by}
}

// noteGracefulExit records s's exit if it is the end of the SHUTDOWN
// noteShutdownCall remembered (exit calls it while s's state is still
// there to read).
func (h *Cluster) noteGracefulExit(s *simNode) {
	if s.exitedByShutdown() && !s.inShutdownCall {
		// A shutdown finishing from a tick: the check wants a SHUTDOWN
		// still waiting then.
		h.rec.shutdownCalls = append(h.rec.shutdownCalls, checker.ShutdownCall{Node: s.name, Gen: s.gen,
			At: int64(h.w.Now()), Exit: true, Before: h.lateShutdownReplies(s), Logs: len(h.rec.logs)})
	}
	p := s.shutdown
	s.shutdown = nil
	if p == nil || !s.exitedByShutdown() {
		return
	}
	st := s.node.Repl()
	e := checker.GracefulExit{Node: s.name, By: p.by, Call: p.call, At: int64(h.w.Now()), ClockCall: p.clock,
		ClockAt: s.Now() / 1e6, TimeoutMs: p.timeoutMs, ReplID: st.ReplID, Offset: st.Offset}
	listed := s.exitReplicas
	if p := h.replClient; p != nil && slices.Contains(listed, p.name) {
		e.AckZero = append(e.AckZero, p.name)
	}
	for _, o := range h.nodes {
		if o == s || !o.up || !slices.Contains(listed, o.name) {
			continue
		}
		if r := o.node.Repl(); r.Role == "slave" && r.MasterHost == s.name && r.LinkUp {
			e.Replicas = append(e.Replicas, o.name)
		}
	}
	h.rec.exits = append(h.rec.exits, e)
}

// ShutdownWaitInput is what the shutdown-wait check reads: the masters'
// graceful shutdowns under a shutdown-timeout, and what every replica
// applied (stream, full syncs, restarts).
func (h *Cluster) ShutdownWaitInput() ([]checker.GracefulExit, []checker.StreamChunk, []checker.FullSync, []checker.Restart) {
	return h.rec.exits, h.rec.chunks, h.rec.syncs, h.rec.restarts
}

// startShutdownCall begins the record of the operator's SHUTDOWN (or
// SHUTDOWN ABORT) on s: the replies its blocked SHUTDOWN clients got
// since the last call, and the shutdown-timeout the harness gave s.
func (h *Cluster) startShutdownCall(s *simNode, args []string) *checker.ShutdownCall {
	s.inShutdownCall = true
	return &checker.ShutdownCall{Node: s.name, Gen: s.gen, At: int64(h.w.Now()),
		Args: append([]string(nil), args...), TimeoutMs: s.cfg.ShutdownTimeoutSec * 1000,
		Before: h.lateShutdownReplies(s), Logs: len(h.rec.logs)}
}

// endShutdownCall completes and records call: its reply (none if it
// blocked or the node exited), whether the node exited during it, and the
// replies the earlier blocked SHUTDOWN clients got during it.
func (h *Cluster) endShutdownCall(s *simNode, call *checker.ShutdownCall, v resp.Value, err error) {
	s.inShutdownCall = false
	if err == nil {
		switch v.Kind {
		case resp.SimpleString:
			call.Reply = "+" + string(v.Str)
		case resp.Error:
			call.Reply = "-" + string(v.Str)
		default:
			call.Reply = v.String()
		}
	}
	call.Exited = s.node.Down()
	call.During = h.lateShutdownReplies(s)
	h.rec.shutdownCalls = append(h.rec.shutdownCalls, *call)
}

// lateShutdownReplies are the replies s's operator clients blocked in
// SHUTDOWN got since the last look, as "-ERR ..." / "+..." texts.
func (h *Cluster) lateShutdownReplies(s *simNode) []string {
	raw := s.node.TakeAdminReplies()
	var out []string
	for len(raw) > 0 {
		v, k, err := resp.ParseValue(raw)
		if err != nil || k == 0 {
			out = append(out, "unparsable: "+string(raw))
			break
		}
		raw = raw[k:]
		switch v.Kind {
		case resp.SimpleString:
			out = append(out, "+"+string(v.Str))
		case resp.Error:
			out = append(out, "-"+string(v.Str))
		default:
			out = append(out, v.String())
		}
	}
	return out
}

// ShutdownCallsInput is every operator SHUTDOWN and SHUTDOWN ABORT and
// every shutdown finishing from a tick, for checker.CheckShutdownCalls.
func (h *Cluster) ShutdownCallsInput() []checker.ShutdownCall { return h.rec.shutdownCalls }

// logReadyToExit is finishShutdown's last line before the process exits.
const logReadyToExit = "Redis is now ready to exit, bye bye..."

// exitedByShutdown says s's process went down as a shutdown finished: its
// last line says it is ready to exit. The harness reads the log, not the
// node's own flag, so a node that loses track of how it left is judged
// all the same.
func (s *simNode) exitedByShutdown() bool {
	return s.node.Down() && s.lastMsg == logReadyToExit
}

// The master's lines that attach and lose a replica link, by the
// replica's name (as checker.CheckNodeLog counts them).
const (
	logAsksSync  = "Replica %s asks for synchronization"
	logAsksWrong = "Replica %s asks for synchronization but with a wrong offset"
)

// noteReplicaLinks counts the replica links line l attaches or loses, and
// as the process says it exits, keeps the hosts of those it holds: the
// replicas a graceful exit's check judges, read from the log rather than
// from the node's own list.
func (s *simNode) noteReplicaLinks(l *checker.LogLine) {
	if s.replicaLinks == nil {
		s.replicaLinks = map[string]int{}
	}
	switch {
	case l.Format == logAsksSync && len(l.Args) > 0:
		s.replicaLinks[l.Args[0]]++
	case (l.Format == logAsksWrong || l.Format == logReplicaLost) && len(l.Args) > 0:
		s.replicaLinks[l.Args[0]]--
	case l.Msg == logReadyToExit:
		s.exitReplicas = s.exitReplicas[:0]
		for name, k := range s.replicaLinks {
			if k > 0 {
				s.exitReplicas = append(s.exitReplicas, name[:max(strings.LastIndexByte(name, ':'), 0)])
			}
		}
		sort.Strings(s.exitReplicas)
	}
}
