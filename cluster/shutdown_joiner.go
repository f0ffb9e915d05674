package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

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
	if h.joinRng.Chance(1.0 / 3) {
		h.joinPipelined(s)
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

// joinedRequests is what the pipelined joiner sends in one write.
var joinedRequests = append(resp.AppendCommandStrings(nil, "SHUTDOWN"), resp.AppendCommandStrings(nil, "PING")...)

// joinPipelined is the joiner that pipelines a PING behind its SHUTDOWN
// and stays: the PING waits in its input while the SHUTDOWN waits, and
// must run as soon as a SHUTDOWN ABORT answers the SHUTDOWN (Redis's
// unblocked client processes its pending input), which abortJoined
// judges.
func (h *Cluster) joinPipelined(s *simNode) {
	p := s.node.AdminPipeline(joinedRequests)
	h.w.Log().S("op ").S(s.name).S(" SHUTDOWN and PING in one write (a second client, joining the wait)").End()
	if got := string(p.Replies()); got != "" || s.node.Down() {
		// Its SHUTDOWN did not join a wait (answered, or the node went
		// down): nothing to judge, unless the PING was answered first,
		// which no client of Redis sees (a SHUTDOWN that joins a wait
		// blocks its client, and the PING waits in its input).
		if strings.HasPrefix(got, "+PONG") {
			h.rec.operatorExpects = append(h.rec.operatorExpects, checker.OperatorExpect{Node: s.name, At: int64(h.w.Now()),
				Args: []string{"SHUTDOWN", "+", "PING", "(one write, joining a SHUTDOWN that waits)"},
				Want: "the SHUTDOWN's reply first", Got: got})
		}
		p.HangUp()
		return
	}
	s.joined, s.joinedGen = p, s.gen
}

// abortJoined judges, right after a SHUTDOWN ABORT that cancelled the
// wait, the pipelined joiner's replies: the SHUTDOWN's error, then its
// PING's reply. The joiner then hangs up.
func (h *Cluster) abortJoined(s *simNode) {
	p := s.joined
	s.joined = nil
	if p == nil || s.joinedGen != s.gen || !s.up || s.node.Down() {
		return
	}
	if s.node.Busy() {
		// The node is in a busy spell (DEBUG SLEEP, the AOF's flush
		// sleep): like Redis, it runs nothing until it ends, and the PING
		// runs then. Not judged.
		p.HangUp()
		return
	}
	got := string(p.Replies())
	const shutdownErr = "-ERR Errors trying to SHUTDOWN. Check logs.\r\n"
	ping := "+PONG\r\n"
	if rest, ok := strings.CutPrefix(got, shutdownErr); ok && pingRefusedForDisk(rest) {
		// After the failed save (seed 5291).
		ping = rest
	}
	h.rec.operatorExpects = append(h.rec.operatorExpects, checker.OperatorExpect{Node: s.name, At: int64(h.w.Now()),
		Args: []string{"SHUTDOWN", "+", "PING", "(one write, answered after SHUTDOWN ABORT)"},
		Want: shutdownErr + ping, Got: got})
	p.HangUp()
}
