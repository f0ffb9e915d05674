package netsim

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/sim"
)

type linkKey struct{ from, to string }

// link is one direction between two hosts: its latency, bandwidth and
// fault state, and its own RNG stream.
type link struct {
	from, to  string
	rng       *sim.Rand
	base      sim.Time
	jitter    sim.Time
	bw        int64    // bytes per second; 0 = unlimited
	busy      sim.Time // when the link finishes serialising what it has
	cut       bool
	blackhole bool
}

// link returns the directed link from -> to, creating it on first use.
// Its parameters come from a stream named after the link, so the order in
// which links are first used does not matter.
func (n *Network) link(from, to string) *link {
	k := linkKey{from, to}
	if l := n.links[k]; l != nil {
		return l
	}
	r := n.w.Rand("net:" + from + ">" + to)
	l := &link{from: from, to: to, rng: r, jitter: n.cfg.Jitter, bw: n.cfg.Bandwidth}
	l.base = r.Between(n.cfg.MinLatency, n.cfg.MaxLatency)
	if r.Chance(n.cfg.SlowLinkProb) {
		l.base *= n.cfg.SlowFactor
	}
	n.links[k] = l
	return l
}

// latency draws one segment's one-way latency.
func (l *link) latency() sim.Time {
	if l.jitter <= 0 {
		return l.base
	}
	return l.base + l.rng.Int64N(l.jitter+1)
}

// arrival returns when nbytes sent now on p (which runs over l) arrive:
// after the link has serialised them and the latency, and never before the
// pipe's previous segment.
func (n *Network) arrival(l *link, p *pipe, nbytes int) sim.Time {
	t := n.w.Now()
	if l.bw > 0 && nbytes > 0 {
		t = max(t, l.busy)
		t += (int64(nbytes)*int64(sim.Second) + l.bw - 1) / l.bw
		l.busy = t
	}
	t = max(t+l.latency(), p.lastAt)
	p.lastAt = t
	return t
}

// SetLatency sets the one-way latency from -> to: base plus a uniform
// jitter in [0, jitter] per segment. Segments already queued keep their
// times.
func (n *Network) SetLatency(from, to string, base, jitter sim.Time) error {
	if base < 0 || jitter < 0 {
		return fmt.Errorf("netsim: set latency %s->%s: base %d and jitter %d must not be negative", from, to, base, jitter)
	}
	l := n.link(from, to)
	l.base, l.jitter = base, jitter
	n.w.Log().S("net latency ").S(from).S("->").S(to).S(" ").I(base).S("+").I(jitter).End()
	n.fault("net_latency", from+"->"+to+" "+strconv.FormatInt(base, 10)+"+"+strconv.FormatInt(jitter, 10))
	return nil
}

// SetBandwidth limits from -> to to bytesPerSec, shared by all its
// connections; 0 removes the limit.
func (n *Network) SetBandwidth(from, to string, bytesPerSec int64) error {
	if bytesPerSec < 0 {
		return fmt.Errorf("netsim: set bandwidth %s->%s: %d bytes/s is negative", from, to, bytesPerSec)
	}
	n.link(from, to).bw = bytesPerSec
	n.w.Log().S("net bandwidth ").S(from).S("->").S(to).S(" ").I(bytesPerSec).End()
	n.fault("net_latency", from+"->"+to+" bandwidth "+strconv.FormatInt(bytesPerSec, 10))
	return nil
}

// Bandwidth returns the from -> to limit in bytes per second, 0 for none.
func (n *Network) Bandwidth(from, to string) int64 { return n.link(from, to).bw }

// Latency returns the one-way latency from -> to: its base and the largest
// jitter per segment (as SetLatency takes them).
func (n *Network) Latency(from, to string) (base, jitter sim.Time) {
	l := n.link(from, to)
	return l.base, l.jitter
}
