package node

// MonotonicClock is implemented by an Env whose clock has a monotonic
// twin: nanoseconds from any origin that advance at the clock's rate
// (drift included) but never jump, as CLOCK_MONOTONIC beside the wall
// clock that an operator or NTP may set. Redis measures sleeps with it
// (DEBUG SLEEP is a nanosleep), so a wall clock set back does not make a
// sleep longer. Without it the node falls back to Now.
type MonotonicClock interface {
	Monotonic() int64
}

// monoMs is the node's monotonic clock in milliseconds.
func (n *Node) monoMs() int64 {
	if m, ok := n.env.(MonotonicClock); ok {
		return m.Monotonic() / 1e6
	}
	return n.nowMs()
}
