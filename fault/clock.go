package fault

import "github.com/replsim/replsim/sim"

// The clock family: a node's clock jumps forwards or backwards. (Each
// node's constant offset and drift are part of the schedule's clock lines.)

var kindClockJump = register(&Kind{Name: "clock_jump", Syntax: "NODE SECONDS",
	Doc:   "move NODE's clock by SECONDS (negative: backwards)",
	order: 16, swarm: 14, pos: []tokType{tNode, tSignedDur},
	build: func(a args) Fault { d, _ := ParseSeconds(a.str(1), true); return ClockJump{Node: a.str(0), By: d} },
	generate: func(g *model, t sim.Time) {
		j := g.between(sim.Millisecond, 10*sim.Second)
		if g.r.Chance(0.2) {
			// Beyond repl-timeout, and short of the heal budget: a clock
			// that went back J seconds holds back timeouts and diskless
			// syncs for J seconds.
			j = g.between(61*sim.Second, 120*sim.Second)
		}
		if g.r.Chance(0.5) {
			j = -j
		}
		g.emit(t, ClockJump{Node: g.pick(g.nodes), By: j})
	}})

// ClockJump moves Node's clock by By (negative: backwards).
type ClockJump struct {
	Node string
	By   sim.Time
}

// Kind implements Fault.
func (f ClockJump) Kind() string { return kindClockJump.Name }

// Args implements Fault.
func (f ClockJump) Args() []string { return []string{f.Node, FormatSeconds(f.By)} }

// Apply implements Fault.
func (f ClockJump) Apply(x *Injector) error {
	offset, err := x.t.JumpClock(f.Node, f.By)
	if err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, FormatSeconds(f.By)+"s, offset now "+FormatSeconds(offset)+"s")
	return nil
}
