package netsim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// Partition cuts every link between a host in a and a host in b, both
// ways. Bytes due across a cut are held until it heals.
func (n *Network) Partition(a, b []string) {
	n.cutLinks(a, b, true)
	d := strings.Join(a, ",") + "|" + strings.Join(b, ",")
	n.w.Log().S("net partition ").S(d).End()
	n.fault("net_partition", d)
}

// PartitionOneWay cuts every link from a host in from to a host in to;
// the reverse direction keeps working.
func (n *Network) PartitionOneWay(from, to []string) {
	n.cutLinks(from, to, false)
	d := strings.Join(from, ",") + ">" + strings.Join(to, ",")
	n.w.Log().S("net oneway ").S(d).End()
	n.fault("net_oneway", d)
}

func (n *Network) cutLinks(a, b []string, both bool) {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				continue
			}
			n.link(x, y).cut = true
			if both {
				n.link(y, x).cut = true
			}
		}
	}
}

// Heal removes every partition (not blackholes) and lets held bytes flow.
func (n *Network) Heal() {
	for _, l := range n.links {
		l.cut = false
	}
	n.w.Log().S("net heal").End()
	n.release()
}

// HealPair removes the cuts between a and b in both directions.
func (n *Network) HealPair(a, b string) {
	n.link(a, b).cut = false
	n.link(b, a).cut = false
	n.w.Log().S("net heal ").S(a).S("|").S(b).End()
	n.release()
}

// HealAll removes every partition and every blackhole.
func (n *Network) HealAll() {
	for _, l := range n.links {
		l.cut, l.blackhole = false, false
	}
	n.w.Log().S("net heal all").End()
	// A ResetAfter budget not yet spent is a fault still to come: the
	// heal disarms it (seed 200020: one armed in the fault phase went off
	// in the steady tail, on the probe's bytes).
	for _, name := range slices.Sorted(maps.Keys(n.hosts)) {
		for _, e := range n.hosts[name].compact() {
			if p := &e.out; p.limited && !p.tripped {
				p.limited = false
				n.traceIDs("net reset-after disarmed #", e).End()
			}
		}
	}
	n.release()
}

// Blackhole switches silent dropping of bytes from -> to on or off. A pipe
// that lost bytes to a blackhole stays stalled after it is switched off.
func (n *Network) Blackhole(from, to string, on bool) {
	n.link(from, to).blackhole = on
	n.w.Log().S("net blackhole ").S(from).S("->").S(to).S(" ").S(strconv.FormatBool(on)).End()
	if on {
		n.fault("net_blackhole", from+"->"+to)
	}
}

// ResetBetween resets every connection between hosts a and b that has a
// live or dialing end, and returns how many.
func (n *Network) ResetBetween(a, b string) int {
	var ends []*end
	for _, name := range []string{a, b} {
		if hs := n.hosts[name]; hs != nil {
			for _, e := range hs.compact() {
				other := e.peer.hostName
				if (e.hostName == a && other == b) || (e.hostName == b && other == a) {
					ends = append(ends, e)
				}
			}
		}
		if a == b {
			break
		}
	}
	// An end and its peer may both be listed; keep the lower ID of each
	// connection, once.
	slices.SortFunc(ends, func(x, y *end) int { return cmpID(lowID(x), lowID(y)) })
	ends = slices.CompactFunc(ends, func(x, y *end) bool { return lowID(x) == lowID(y) })
	n.w.Log().S("net reset-between ").S(a).S("|").S(b).S(" ").I(int64(len(ends))).End()
	for _, e := range ends {
		n.fault("net_reset", connDetail(e))
		n.abort(e)
	}
	return len(ends)
}

func lowID(e *end) ConnID { return min(e.id, e.peer.id) }

// ResetHost models a crash of h's process: every live or dialing end of h
// ends without a callback to h, and each peer gets ErrReset (ErrRefused if
// it was dialing) when the RST crosses the link. It returns how many ends
// were reset. Listeners stay.
func (n *Network) ResetHost(h string) int {
	hs := n.hosts[h]
	if hs == nil {
		return 0
	}
	ends := slices.Clone(hs.compact())
	hs.epoch++
	n.w.Log().S("net crash ").S(h).S(" ").I(int64(len(ends))).End()
	now := n.w.Now()
	for _, x := range ends {
		n.fault("net_reset", connDetail(x))
		x.state = stDone
		x.out.reset(now)
		y := x.peer
		switch y.state {
		case stPending:
			y.state = stDone
		case stOpen, stDialing:
			y.out.reset(now)
			x.out.push(seg{at: n.arrival(x.link, &x.out, 0), kind: segRst})
			n.arm(x)
		}
	}
	return len(ends)
}

// ResetAfter resets c's connection once exactly nbytes more bytes sent
// from c have been delivered to its peer (at once if nbytes is 0). Both
// ends get ErrReset. If c's stream ends first, nothing happens.
func (n *Network) ResetAfter(c ConnID, nbytes int64) error {
	if nbytes < 0 {
		return fmt.Errorf("netsim: reset #%d after %d bytes: count is negative", c, nbytes)
	}
	e := n.end(c)
	if e == nil {
		return fmt.Errorf("netsim: reset #%d after %d bytes: unknown connection", c, nbytes)
	}
	n.w.Log().S("net reset-after #").U(uint64(c)).S(" ").I(nbytes).S("B").End()
	p := &e.out
	p.limited, p.limit = true, nbytes
	if nbytes == 0 {
		p.tripped = true
		n.w.After(0, sim.EventFunc(func(*sim.World) { n.resetAfterFire(e) }))
	}
	return nil
}

// resetAfterFire is the reset that a spent ResetAfter budget triggers.
func (n *Network) resetAfterFire(e *end) {
	if !e.out.tripped {
		return // the pipe was reset meanwhile
	}
	n.traceIDs("net reset #", e).S(" after").End()
	if e.state == stDone && e.peer.state == stDone {
		e.out.reset(n.w.Now())
		return
	}
	n.fault("net_reset", connDetail(e)+" after bytes")
	n.abort(e)
}

// giveUp resets e's connection if its pipe is still held from hold gen.
func (n *Network) giveUp(e *end, gen uint64) {
	p := &e.out
	if !p.held || p.holdGen != gen {
		return
	}
	n.traceIDs("net giveup #", e).End()
	n.fault("net_reset", connDetail(e)+" giveup")
	n.abort(e)
}
