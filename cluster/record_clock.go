package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// clockJump is a node's clock offset changing at virtual time at.
type clockJump struct {
	at     sim.Time
	node   string
	offset sim.Time // the node's offset from then on
}

// recordClockJump notes that s's clock offset just changed.
func (h *Cluster) recordClockJump(s *simNode) {
	h.rec.jumps = append(h.rec.jumps, clockJump{at: h.w.Now(), node: s.name, offset: s.offset})
}

// nodeClocks is every node's clock over the run, exactly as its Now read
// it: the seed's offset and drift, then one segment per clock jump.
func (h *Cluster) nodeClocks() checker.Clocks {
	out := checker.Clocks{}
	for _, s := range h.nodes {
		c := h.clocks[s.name]
		out[s.name] = checker.FixedClock(epochNs+int64(c.Offset), c.DriftPPM)
	}
	for _, j := range h.rec.jumps {
		c := out[j.node]
		d := c.Segments[0].DriftPPM
		c.Segments = append(c.Segments, checker.ClockSegment{From: int64(j.at), Offset: epochNs + int64(j.offset), DriftPPM: d})
		out[j.node] = c
	}
	return out
}

// clockSlack bounds how far the time between two readings of one node's
// clock can be from the virtual time between them, over the whole run:
// drift, jumps, and the millisecond a node's expiries are rounded to (a
// key lives through its expiry millisecond).
func (h *Cluster) clockSlack(clocks checker.Clocks) int64 {
	slack := int64(sim.Millisecond)
	end := int64(h.w.Now())
	for _, c := range clocks {
		lo, hi := c.Deviation(0, end, epochNs)
		slack = max(slack, hi-lo+int64(sim.Millisecond))
	}
	return slack
}

// clockOffset is the most any node's clock read ahead of or behind
// virtual time (plus the epoch) over the run: how far an absolute time
// (PEXPIREAT) may sit from the virtual instant the model gives it.
func (h *Cluster) clockOffset(clocks checker.Clocks) int64 {
	off := int64(sim.Millisecond)
	end := int64(h.w.Now())
	for _, c := range clocks {
		lo, hi := c.Deviation(0, end, epochNs)
		off = max(off, -lo+int64(sim.Millisecond), hi+int64(sim.Millisecond))
	}
	return off
}

// ClockSetBack is the most any one node's clock was set back over the run,
// its backward jumps added up: a wall-clock timer on that node, such as a
// replica's repl-timeout on a stalled link, runs that much longer (Redis
// measures them on the wall clock too).
func (h *Cluster) ClockSetBack() sim.Time {
	prev, back := map[string]sim.Time{}, map[string]sim.Time{}
	for _, s := range h.nodes {
		prev[s.name] = h.clocks[s.name].Offset
	}
	var most sim.Time
	for _, j := range h.rec.jumps {
		if d := j.offset - prev[j.node]; d < 0 {
			back[j.node] -= d
			most = max(most, back[j.node])
		}
		prev[j.node] = j.offset
	}
	return most
}
