package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
)

// ReplicaAcked implements tap.AckTap: it records each REPLCONF ACK a
// master takes, by the replica's host.
func (s *simNode) ReplicaAcked(replicaAddr string, offset int64) {
	s.h.rec.acks = append(s.h.rec.acks, checker.AckReceipt{At: int64(s.h.w.Now()), Master: s.name,
		Replica: hostOf(replicaAddr), Offset: offset, Conn: replicaAddr})
}

// steadyLink is a replica's master link as seen at one end of the tail.
type steadyLink struct {
	replica, master string
	conn            uint64
}

// steadyLinks lists the replicas whose master link is up, with the
// connection it runs on; busy nodes (DEBUG SLEEP) and their links are
// left out, and so is a link whose replica-to-master direction a
// blackhole stalled (nothing it sends arrives until repl-timeout drops
// it), or whose master end has closed with the close not delivered (a
// half-open link: sweep seed 4418946, the master freed the link while a
// blackhole stalled its direction to the replica, which ACKs into it
// until its repl-timeout).
func (h *Cluster) steadyLinks() []steadyLink {
	var out []steadyLink
	for _, s := range h.nodes {
		if !s.up || s.paused || s.node.Busy() {
			continue
		}
		r := s.node.Repl()
		m := h.Node(r.MasterHost)
		if r.Role != "slave" || !r.LinkUp || m == nil || !m.up || m.paused || m.node.Busy() {
			continue
		}
		conn := netsim.ConnID(s.node.MasterLinkConn())
		if h.net.Stalled(conn) || !h.net.Alive(h.net.Peer(conn)) {
			continue
		}
		out = append(out, steadyLink{replica: s.name, master: m.name, conn: uint64(conn)})
	}
	return out
}

// StartSteadyTail marks the start of the steady tail (harness/run.go).
func (h *Cluster) StartSteadyTail() {
	h.steady.From = int64(h.w.Now())
	h.steadyAtStart = h.steadyLinks()
	h.startWaitProbe()     // probe_wait.go
	h.startReplconfProbe() // probe_replconf.go
}

// EndSteadyTail marks its end: the links up on the same connection at
// both ends are the tail's steady links.
func (h *Cluster) EndSteadyTail() {
	h.steady.To = int64(h.w.Now())
	// The masters' INFO as the tail ends: a steady link may be replaced
	// right after it (a reset that was waiting for bytes the probes send,
	// seed 200020), and a new link starts with no ACK.
	h.steady.EndInfo = h.ReplInfoInput()
	end := h.steadyLinks()
	for _, a := range h.steadyAtStart {
		for _, b := range end {
			if a == b {
				h.steady.Links = append(h.steady.Links, checker.SteadyLink{Replica: a.replica, Master: a.master})
			}
		}
	}
}

// SteadyInput is what the steady-tail checks read (empty when the run
// had no tail: it did not converge).
func (h *Cluster) SteadyInput() checker.SteadyInput {
	in := h.steady
	in.Acks = h.rec.acks
	return in
}
