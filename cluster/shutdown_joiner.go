package cluster

import "github.com/replsim/replsim/sim"

// The shutdown joiner: when the operator's SHUTDOWN waits for the
// replicas, half the time a second client sends SHUTDOWN at once, which
// joins the wait (prepareForShutdown: a shutdown is already under way),
// and hangs up at once or 1 to 50 ms later, whatever became of the wait. The node
// must forget that client, and only it: the operator's SHUTDOWN still
// gets its reply when a SHUTDOWN ABORT or a failure cancels the wait
// (checker.CheckShutdownCalls counts it). The joiner is an internal
// session (node.AdminSession), so its SHUTDOWN runs in the same instant
// as the operator's, before any ABORT: over the network it could arrive
// after one and start a shutdown of its own.
func (h *Cluster) joinShutdown(s *simNode) {
	if h.joinRng == nil {
		h.joinRng = h.w.Rand("shutdown-joiner")
	}
	if !h.joinRng.Chance(0.5) {
		return
	}
	hangUp := s.node.AdminSession("SHUTDOWN")
	h.w.Log().S("op ").S(s.name).S(" SHUTDOWN (a second client, joining the wait)").End()
	leave := func() {
		h.w.Log().S("op ").S(s.name).S(" the joining SHUTDOWN client hangs up").End()
		hangUp()
		s.checkExit()
	}
	if h.joinRng.Chance(0.5) {
		leave() // at once, before an ABORT of the same instant
		return
	}
	gen := s.gen
	after := sim.Time(h.joinRng.Between(int64(sim.Millisecond), int64(50*sim.Millisecond)))
	h.w.After(after, sim.EventFunc(func(*sim.World) {
		if s.up && s.gen == gen && !s.node.Down() {
			leave()
		}
	}))
}
