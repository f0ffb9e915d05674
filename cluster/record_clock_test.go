package cluster

import (
	"testing"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
)

// The clocks handed to the checkers read exactly what each node's Now
// read, before and after a clock jump.
func TestNodeClocksMatchNow(t *testing.T) {
	h := &Cluster{w: sim.NewWorld(1), clocks: map[string]fault.Clock{"n2": {Node: "n2", Offset: -1500 * sim.Millisecond, DriftPPM: -73}}}
	n1 := &simNode{h: h, name: "n1"}
	n2 := &simNode{h: h, name: "n2", offset: -1500 * sim.Millisecond, driftPPM: -73}
	h.nodes = []*simNode{n1, n2}
	type reading struct {
		at     sim.Time
		n1, n2 int64
	}
	var got []reading
	read := func() { got = append(got, reading{at: h.w.Now(), n1: n1.Now(), n2: n2.Now()}) }
	for _, at := range []sim.Time{0, 333_333_333, 2*sim.Second + 7} {
		h.w.RunUntil(at, nil)
		read()
	}
	n2.offset += 70 * sim.Second
	h.recordClockJump(n2)
	read()
	h.w.RunUntil(9*sim.Second+123_457, nil)
	read()
	clocks := h.nodeClocks()
	for _, r := range got {
		lo, hi := clocks["n1"].Range(int64(r.at), int64(r.at))
		assert.Equal(t, [2]int64{r.n1, r.n1}, [2]int64{lo, hi}, "n1 at %d", r.at)
		if r.at == 2*sim.Second+7 {
			continue // the jump's instant reads either side
		}
		lo, hi = clocks["n2"].Range(int64(r.at), int64(r.at))
		assert.Equal(t, [2]int64{r.n2, r.n2}, [2]int64{lo, hi}, "n2 at %d", r.at)
	}
	lo, hi := clocks["n2"].Range(int64(2*sim.Second+7), int64(2*sim.Second+7))
	assert.Equal(t, got[2].n2, lo)
	assert.Equal(t, got[3].n2, hi)
	// n2's clock ran from 1.5s behind (less 146µs of drift by the jump)
	// to 68.5s ahead (less the same 146µs right after it), plus the
	// millisecond of rounding.
	assert.Equal(t, int64(70*sim.Second+sim.Millisecond), h.clockSlack(clocks))
}

// TestNodeClockOffsetAndDrift: a node's clock is virtual time plus its
// offset plus its drift.
func TestNodeClockOffsetAndDrift(t *testing.T) {
	h := &Cluster{}
	h.w = sim.NewWorld(1)
	s := &simNode{h: h, offset: 250 * 1000 * 1000, driftPPM: 100}
	h.w.RunUntil(10_000_000_000, nil)
	assert.Equal(t, epochNs+10_000_000_000+250_000_000+1_000_000, s.Now())
	assert.Less(t, s.tickEvery(), tickInterval, "a fast clock ticks more often")
}
