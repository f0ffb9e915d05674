package cluster

import (
	"slices"

	"github.com/replsim/replsim/checker"
)

// What the shutdown-wait check (checker/shutdown_wait.go) needs: for a
// master that leaves by a graceful SHUTDOWN under a non-zero
// shutdown-timeout, when the SHUTDOWN came and when it exited (virtual
// time and the master's clock), its offset then, and which replicas were
// connected to it.

// pendingShutdown is a graceful SHUTDOWN sent to a master, until it exits.
type pendingShutdown struct {
	call, clock, timeoutMs int64
}

// noteShutdownCall remembers a SHUTDOWN about to be sent to s, if s is the
// master and its shutdown-timeout makes it wait for replicas. A SHUTDOWN
// sent while an earlier one waits joins that one and its deadline (Redis's
// prepareForShutdown does nothing then): the earlier call stays the one the
// exit is timed from (seed 1194 exited 2.01 s after its first SHUTDOWN,
// 220 ms after a second one).
func (h *Cluster) noteShutdownCall(s *simNode) {
	if s.node.ShutdownWaiting() {
		return
	}
	s.shutdown = nil
	if s != h.master || s.node.Repl().Role != "master" || s.node.ShutdownTimeoutMs() <= 0 {
		return
	}
	s.shutdown = &pendingShutdown{call: int64(h.w.Now()), clock: s.Now() / 1e6, timeoutMs: s.node.ShutdownTimeoutMs()}
}

// noteGracefulExit records s's exit if it is the end of the SHUTDOWN
// noteShutdownCall remembered (exit calls it while s's state is still
// there to read).
func (h *Cluster) noteGracefulExit(s *simNode) {
	p := s.shutdown
	s.shutdown = nil
	if p == nil || !s.node.ShutDown() {
		return
	}
	st := s.node.Repl()
	e := checker.GracefulExit{Node: s.name, Call: p.call, At: int64(h.w.Now()), ClockCall: p.clock,
		ClockAt: s.Now() / 1e6, TimeoutMs: p.timeoutMs, ReplID: st.ReplID, Offset: st.Offset}
	listed := s.node.ShutdownReplicas()
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
