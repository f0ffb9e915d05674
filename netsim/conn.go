package netsim

import "github.com/replsim/replsim/sim"

// End states.
const (
	stPending uint8 = iota // acceptor end whose SYN has not arrived
	stDialing              // dialer end waiting for the handshake
	stOpen                 // established
	stDone                 // ended here: closed, reset, EOF seen, crashed or dial failed
)

// end is one end of a connection; out carries the bytes it sends.
type end struct {
	n        *Network
	id       ConnID
	state    uint8
	hostName string
	host     *host // nil for an acceptor end until it is accepted
	peer     *end
	link     *link // hostName -> peer.hostName
	out      pipe
	addr     string // the dialed address, on both ends (trace only)
	port     int
}

// pair holds both ends of a connection in one allocation.
type pair struct{ a, b end }

// Send queues p from c to its peer. The network owns p from now on. Send on
// an ended connection, or towards a peer that has ended, is a no-op; bytes
// sent while dialing flow once the handshake completes.
func (n *Network) Send(c ConnID, p []byte) {
	e := n.end(c)
	if e == nil || len(p) == 0 || (e.state != stOpen && e.state != stDialing) || e.peer.state == stDone {
		return
	}
	pp, l := &e.out, e.link
	if pp.stalled {
		return
	}
	if l.blackhole {
		pp.stalled = true
		return
	}
	at := n.arrival(l, pp, len(p))
	if len(p) > 1 && l.rng.Chance(n.cfg.ChunkProb) {
		pieces := 2 + l.rng.IntN(n.cfg.MaxChunks-1)
		for i := 1; i < pieces && len(p) > 1; i++ {
			cut := 1 + l.rng.IntN(len(p)-1)
			pp.push(seg{at: at, data: p[:cut:cut]})
			at += 1 + l.rng.Int64N(n.cfg.ChunkGap)
			p = p[cut:]
		}
		pp.lastAt = at
	}
	pp.push(seg{at: at, data: p})
	n.arm(e)
}

// Close closes c gracefully: the peer receives what c sent, then
// OnClosed(peer, ErrEOF). c gets no further callbacks.
func (n *Network) Close(c ConnID) {
	e := n.end(c)
	if e == nil || (e.state != stOpen && e.state != stDialing) {
		return
	}
	n.w.Log().S("net close #").U(uint64(c)).End()
	wasDialing := e.state == stDialing
	e.state = stDone
	now := n.w.Now()
	switch e.peer.state {
	case stPending:
		e.peer.state = stDone
		e.out.reset(now)
		return
	case stDone:
		e.out.reset(now)
		return
	}
	if !wasDialing {
		e.peer.out.reset(now) // whatever the peer sends c is discarded
	}
	e.out.push(seg{at: n.arrival(e.link, &e.out, 0), kind: segFin})
	n.arm(e)
}

// Reset aborts c: bytes in flight both ways are dropped and both ends get
// OnClosed(..., ErrReset) after Config.LocalDelay.
func (n *Network) Reset(c ConnID) {
	e := n.end(c)
	if e == nil || (e.state != stOpen && e.state != stDialing) {
		return
	}
	n.traceIDs("net reset #", e).End()
	n.fault("net_reset", connDetail(e))
	n.abort(e)
}

// abort tears down e's connection: both pipes are emptied and each end that
// was live is told after Config.LocalDelay.
func (n *Network) abort(e *end) {
	now := n.w.Now()
	for _, x := range [2]*end{e, e.peer} {
		x.out.reset(now)
		st := x.state
		x.state = stDone
		if st == stOpen || st == stDialing {
			n.notify(x, st == stDialing)
		}
	}
}

// notify tells e, after Config.LocalDelay, that its connection was
// aborted: OnDialed(e, ErrRefused) if it was dialing, else
// OnClosed(e, ErrReset).
func (n *Network) notify(e *end, dialing bool) {
	n.w.After(n.cfg.LocalDelay, &notice{n: n, e: e, dialing: dialing, epoch: e.host.epoch})
}

type notice struct {
	n       *Network
	e       *end
	dialing bool
	epoch   uint64
}

// Fire calls the handler unless the host crashed since.
func (ev *notice) Fire(*sim.World) {
	e := ev.e
	if e.host.epoch != ev.epoch {
		return
	}
	ev.n.w.Log().S("net reset-notify #").U(uint64(e.id)).End()
	h := e.host.h
	if h == nil {
		return
	}
	if ev.dialing {
		h.OnDialed(e.id, ErrRefused)
	} else {
		h.OnClosed(e.id, ErrReset)
	}
}

// traceIDs starts a trace line "<prefix><id>/#<peer id>".
func (n *Network) traceIDs(prefix string, e *end) *sim.Line {
	return n.w.Log().S(prefix).U(uint64(e.id)).S("/#").U(uint64(e.peer.id))
}

// connDetail names a connection for OnFault: "#7/#8 c1->n1".
func connDetail(e *end) string {
	return "#" + utoa(uint64(e.id)) + "/#" + utoa(uint64(e.peer.id)) + " " + e.hostName + "->" + e.peer.hostName
}
