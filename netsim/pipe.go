package netsim

import "github.com/replsim/replsim/sim"

const (
	segData   uint8 = iota
	segSynAck       // completes the dialer's handshake
	segFin          // graceful close
	segRst          // the sender crashed
)

type seg struct {
	at   sim.Time
	data []byte
	kind uint8
}

// pipe carries one direction of a connection: the segments from its end to
// the peer, in order. At most one delivery event is queued per pipe, for its
// head segment; it is the end itself (see deliverer), so delivery allocates
// nothing.
type pipe struct {
	segs   []seg
	head   int
	lastAt sim.Time // arrival time of the last segment queued

	armed   bool // a delivery event is queued
	gated   bool // the dialer's handshake is not complete
	held    bool // the head met a cut link; waiting for heal
	listed  bool // the end is in Network.held
	stalled bool // a blackhole ate bytes; everything after is dropped
	tripped bool // the ResetAfter budget is spent; reset pending

	limited bool  // ResetAfter is set
	limit   int64 // bytes left before the ResetAfter reset
	holdGen uint64
}

func (p *pipe) empty() bool { return p.head >= len(p.segs) }

func (p *pipe) push(s seg) {
	if p.head > 0 && len(p.segs) == cap(p.segs) {
		k := copy(p.segs, p.segs[p.head:])
		clear(p.segs[k:])
		p.segs = p.segs[:k]
		p.head = 0
	}
	p.segs = append(p.segs, s)
}

func (p *pipe) pop() {
	p.segs[p.head] = seg{}
	p.head++
	if p.head == len(p.segs) {
		p.segs = p.segs[:0]
		p.head = 0
	}
}

// reset empties the pipe and clears every state but stalled and listed.
func (p *pipe) reset(now sim.Time) {
	clear(p.segs)
	p.segs = p.segs[:0]
	p.head = 0
	p.lastAt = now
	p.gated, p.held, p.tripped, p.limited = false, false, false, false
}

// retime moves every queued segment to arrive no earlier than a fresh
// latency from now, keeping order; used when a held or gated pipe opens.
func (n *Network) retime(e *end) {
	p := &e.out
	t := n.w.Now() + e.link.latency()
	for i := p.head; i < len(p.segs); i++ {
		t = max(t, p.segs[i].at)
		p.segs[i].at = t
	}
	p.lastAt = max(p.lastAt, t)
}

// arm queues the delivery event for the head of e's pipe if it may flow.
func (n *Network) arm(e *end) {
	p := &e.out
	if p.armed || p.gated || p.held || p.tripped || p.empty() {
		return
	}
	p.armed = true
	n.w.At(p.segs[p.head].at, (*deliverer)(e))
}

// deliverer is an end seen as the delivery event of its pipe.
type deliverer end

// Fire delivers the head segment of the pipe.
func (d *deliverer) Fire(*sim.World) {
	e := (*end)(d)
	e.n.deliver(e)
}

func (n *Network) deliver(e *end) {
	p := &e.out
	p.armed = false
	if p.gated || p.held || p.tripped || p.empty() {
		return // the pipe was emptied or stopped after this event was queued
	}
	s := p.segs[p.head]
	now := n.w.Now()
	if s.at > now {
		n.arm(e)
		return
	}
	switch {
	case e.link.cut:
		n.hold(e)
		return
	case e.link.blackhole || p.stalled:
		n.drop(e)
		return
	}
	p.pop()
	dst := e.peer
	switch s.kind {
	case segData:
		data := s.data
		if p.limited {
			if int64(len(data)) >= p.limit {
				data = data[:p.limit]
				p.tripped = true
			} else {
				p.limit -= int64(len(data))
			}
		}
		n.arm(e)
		n.w.Log().S("net data #").U(uint64(e.id)).S("->#").U(uint64(dst.id)).S(" ").I(int64(len(data))).S("B").End()
		if p.tripped {
			n.w.After(0, sim.EventFunc(func(*sim.World) { n.resetAfterFire(e) }))
		}
		if dst.state == stOpen && len(data) > 0 {
			if h := dst.host.h; h != nil {
				h.OnData(dst.id, data)
			}
		}
	case segSynAck:
		n.arm(e)
		n.w.Log().S("net established #").U(uint64(dst.id)).S("/#").U(uint64(e.id)).End()
		dst.out.gated = false
		n.retime(dst)
		n.arm(dst)
		if dst.state == stDialing {
			dst.state = stOpen
			if h := dst.host.h; h != nil {
				h.OnDialed(dst.id, nil)
			}
		}
	case segFin:
		n.arm(e)
		n.w.Log().S("net eof #").U(uint64(e.id)).S("->#").U(uint64(dst.id)).End()
		if dst.state == stOpen {
			dst.state = stDone
			dst.out.reset(now)
			if h := dst.host.h; h != nil {
				h.OnClosed(dst.id, ErrEOF)
			}
		}
	case segRst:
		n.arm(e)
		n.w.Log().S("net rst #").U(uint64(e.id)).S("->#").U(uint64(dst.id)).End()
		n.endByPeer(dst)
	}
}

// endByPeer ends dst because its peer reset: a live end hears ErrReset, a
// dialing one ErrRefused.
func (n *Network) endByPeer(dst *end) {
	st := dst.state
	if st != stOpen && st != stDialing {
		return
	}
	dst.state = stDone
	dst.out.reset(n.w.Now())
	h := dst.host.h
	if h == nil {
		return
	}
	if st == stDialing {
		h.OnDialed(dst.id, ErrRefused)
	} else {
		h.OnClosed(dst.id, ErrReset)
	}
}

// hold parks e's pipe behind a cut link until Heal, and starts the give-up
// clock.
func (n *Network) hold(e *end) {
	p := &e.out
	p.held = true
	p.holdGen++
	gen := p.holdGen
	if !p.listed {
		p.listed = true
		n.held = append(n.held, e)
	}
	n.w.Log().S("net hold #").U(uint64(e.id)).S("->#").U(uint64(e.peer.id)).End()
	n.w.After(n.cfg.GiveUp, sim.EventFunc(func(*sim.World) { n.giveUp(e, gen) }))
}

// release re-times and re-arms every held pipe whose link is no longer cut.
func (n *Network) release() {
	keep := n.held[:0]
	for _, e := range n.held {
		p := &e.out
		switch {
		case !p.held:
			p.listed = false
		case e.link.cut:
			keep = append(keep, e)
		default:
			p.held, p.listed = false, false
			n.retime(e)
			n.arm(e)
		}
	}
	clear(n.held[len(keep):])
	n.held = keep
}

// drop discards everything queued on e's pipe (a blackhole ate it) and
// stalls the pipe.
func (n *Network) drop(e *end) {
	p := &e.out
	var bytes int64
	for _, s := range p.segs[p.head:] {
		bytes += int64(len(s.data))
	}
	p.reset(n.w.Now())
	p.stalled = true
	n.w.Log().S("net drop #").U(uint64(e.id)).S("->#").U(uint64(e.peer.id)).S(" ").I(bytes).S("B").End()
}
