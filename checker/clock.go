package checker

// ClockSegment is one stretch of a node's clock: from virtual time From on
// (until the next segment), the node reads wall time
// t + Offset + t*DriftPPM/1e6 nanoseconds at virtual time t (integer
// division, as the simulator computes it). Offset includes the epoch.
type ClockSegment struct {
	From     int64
	Offset   int64
	DriftPPM int64
}

// NodeClock maps virtual time to one node's wall clock. Segments are in
// increasing From order; a clock jump at virtual time T starts a segment
// at T. At the instant T itself the node may read either side of the jump.
type NodeClock struct {
	Segments []ClockSegment
}

// Clocks are the nodes' clocks by node name.
type Clocks map[string]NodeClock

// FixedClock is a clock that never jumps.
func FixedClock(offset, driftPPM int64) NodeClock {
	return NodeClock{Segments: []ClockSegment{{Offset: offset, DriftPPM: driftPPM}}}
}

func (s ClockSegment) at(t int64) int64 { return t + s.Offset + t*s.DriftPPM/1_000_000 }

// Known reports whether the clock says anything.
func (c NodeClock) Known() bool { return len(c.Segments) > 0 }

// pieces calls fn with each segment's part [from, to] of the virtual
// interval [a, b]; segments meet at their boundaries, which belong to
// both. The first segment holds since before time zero.
func (c NodeClock) pieces(a, b int64, fn func(s ClockSegment, from, to int64)) {
	for i, s := range c.Segments {
		from, to := a, b
		if i > 0 {
			from = max(a, s.From)
		}
		if i+1 < len(c.Segments) {
			to = min(b, c.Segments[i+1].From)
		}
		if from <= to {
			fn(s, from, to)
		}
	}
}

// Range returns the least and the greatest wall time (ns) the node's clock
// read at some instant of the virtual interval [a, b] (a <= b). Within a
// segment the clock never goes backwards (drift is far above -1e6 ppm),
// so each segment's extremes are at the ends of its part of the interval.
func (c NodeClock) Range(a, b int64) (lo, hi int64) {
	first := true
	c.pieces(a, b, func(s ClockSegment, from, to int64) {
		l, h := s.at(from), s.at(to)
		if first || l < lo {
			lo = l
		}
		if first || h > hi {
			hi = h
		}
		first = false
	})
	return lo, hi
}

// Deviation returns the least and greatest difference between the node's
// clock, less base, and virtual time over [a, b] (ns): how far its timers
// can run early or late.
func (c NodeClock) Deviation(a, b, base int64) (lo, hi int64) {
	first := true
	c.pieces(a, b, func(s ClockSegment, from, to int64) {
		for _, t := range [2]int64{from, to} {
			d := s.at(t) - t - base
			if first || d < lo {
				lo = d
			}
			if first || d > hi {
				hi = d
			}
			first = false
		}
	})
	return lo, hi
}
