package fault

import (
	"strings"

	"github.com/replsim/replsim/sim"
)

// Injector carries out a schedule's steps on a Target at their virtual
// times, keeps the faults in force until they end (at their own time or at
// the heal) and counts the steps that could not run.
type Injector struct {
	w *sim.World
	t Target
	// active lists the faults in force that end by themselves or at the
	// heal, in the order they began.
	active    []*activeFault
	seq       int
	stepsLeft int
	skipped   int
	healed    bool
	slowLinks map[[2]string]*slowLink // net.go
}

// activeFault is a fault in force with a way to end it.
type activeFault struct {
	id   int
	kind string
	node string
	undo func()
}

// NewInjector returns an injector acting on t in w; the cluster starts
// healed.
func NewInjector(w *sim.World, t Target) *Injector {
	return &Injector{w: w, t: t, healed: true, slowLinks: map[[2]string]*slowLink{}}
}

// Target returns what the injector acts on.
func (x *Injector) Target() Target { return x.t }

// Schedule queues every step at its time (steps at the same time run in
// order).
func (x *Injector) Schedule(steps []Step) {
	for _, st := range steps {
		x.stepsLeft++
		x.w.At(st.At, &stepEvent{x: x, st: st})
	}
}

// StepsLeft is the number of queued steps that have not run yet.
func (x *Injector) StepsLeft() int { return x.stepsLeft }

// Active is the number of faults in force.
func (x *Injector) Active() int { return len(x.active) }

// Skipped is the number of steps that could not run.
func (x *Injector) Skipped() int { return x.skipped }

// Healed reports that no fault step ran since the last heal.
func (x *Injector) Healed() bool { return x.healed }

type stepEvent struct {
	x  *Injector
	st Step
}

func (e *stepEvent) Fire(*sim.World) {
	e.x.stepsLeft--
	e.x.Run(e.st)
}

// Run carries out one step now; a step that cannot run is traced as
// skipped and counted, never an error of the run.
func (x *Injector) Run(st Step) {
	if err := st.Fault.Apply(x); err != nil {
		x.skipped++
		x.w.Log().S("fault skip ").S(st.Kind()).S(" ").S(strings.Join(st.Fault.Args(), " ")).S(": ").S(err.Error()).End()
		return
	}
	if !KindNamed(st.Kind()).keepsHealed {
		x.setHealed(false)
	}
}

func (x *Injector) setHealed(h bool) {
	x.healed = h
	x.t.SetHealed(h)
}

// hold keeps a fault in force for d, then undoes it (unless the heal did).
func (x *Injector) hold(kind, node string, d sim.Time, undo func()) {
	x.seq++
	f := &activeFault{id: x.seq, kind: kind, node: node, undo: undo}
	x.active = append(x.active, f)
	x.w.After(d, sim.EventFunc(func(*sim.World) { x.end(f.id) }))
}

func (x *Injector) end(id int) {
	for i, f := range x.active {
		if f.id == id {
			x.active = append(x.active[:i], x.active[i+1:]...)
			x.t.NoteEnd(f.kind+"_end", f.node, "")
			f.undo()
			return
		}
	}
}

// HealAll is the heal phase: every fault in force ends, then the cluster
// heals what it keeps (Target.Heal). Clocks keep their offsets.
func (x *Injector) HealAll() {
	x.w.Log().S("heal: faults stop").End()
	for len(x.active) > 0 {
		f := x.active[0]
		x.active = x.active[1:]
		x.t.NoteEnd(f.kind+"_end", f.node, "heal")
		f.undo()
	}
	x.t.Heal()
	x.setHealed(true)
	x.t.NoteEnd("heal", "", "")
}
