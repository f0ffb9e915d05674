package netsim

// Unsent returns the bytes c has sent that its peer has not received yet:
// what is queued on c's pipe, in flight or held behind a cut. A node's
// client-output-buffer-limit counts them as what the socket has not taken
// (the simulated socket buffer is empty: every byte not delivered counts).
func (n *Network) Unsent(c ConnID) int64 {
	e := n.end(c)
	if e == nil || e.state == stDone {
		return 0
	}
	p := &e.out
	var bytes int64
	for _, s := range p.segs[p.head:] {
		bytes += int64(len(s.data))
	}
	return bytes
}

// Abort drops c at once, as a process freeing a client with its queued
// output: what c still had to send is lost, and the peer hears of a reset
// after Config.LocalDelay. Unlike Reset it is not a fault; c gets no
// further callbacks.
func (n *Network) Abort(c ConnID) {
	e := n.end(c)
	if e == nil || (e.state != stOpen && e.state != stDialing) {
		return
	}
	n.traceIDs("net abort #", e).End()
	now := n.w.Now()
	e.out.reset(now)
	e.state = stDone
	if x := e.peer; x.state == stOpen || x.state == stDialing {
		x.out.reset(now)
		x.state = stDone
		n.notify(x, false)
	}
}

// Stalled reports whether c's direction to its peer is stalled: a
// blackhole ate what c sent, and the simulated connection carries nothing
// more that way (only a timeout of the application notices).
func (n *Network) Stalled(c ConnID) bool {
	e := n.end(c)
	return e != nil && e.out.stalled
}
