package fault

import (
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
)

// The process family: crashes (kill -9 or power loss), restarts and
// pauses (SIGSTOP, then SIGCONT).

// crashModes are the crash modes as schedule tokens.
var crashModes = []string{"keep_all", "torn", "lose_all"}

var (
	kindCrash = register(&Kind{Name: "proc_crash", Syntax: "NODE keep_all|torn|lose_all",
		Doc:   "kill NODE (keep_all: kill -9; torn, lose_all: power loss) until proc_restart or heal",
		order: 11, swarm: 10, pos: []tokType{tNode, tMode},
		build:    func(a args) Fault { return ProcCrash{Node: a.str(0), Mode: a.str(1)} },
		generate: func(g *model, t sim.Time) { g.crash(t) }})
	kindRestart = register(&Kind{Name: "proc_restart", Syntax: "NODE",
		Doc:   "start a crashed NODE from its files; if it refuses to load them, put back a manifest disk_manifest_damage broke, or else wipe its data dir, and start it again a second later",
		order: 12, pos: []tokType{tNode}, keepsHealed: true,
		build: func(a args) Fault { return ProcRestart{Node: a.str(0)} }})
	kindPause = register(&Kind{Name: "proc_pause", Syntax: "NODE for=D",
		Doc:   "stop NODE for D seconds: it processes nothing, then everything that arrived, in order",
		order: 13, swarm: 11, pos: []tokType{tNode}, keys: []keyArg{{key: "for", typ: vDur}},
		build: func(a args) Fault { return ProcPause{Node: a.str(0), For: a.dur("for")} },
		generate: func(g *model, t sim.Time) {
			if x := g.pick(g.upNodes()); x != "" {
				d := g.dur(t, 50*sim.Millisecond, 2*sim.Second)
				g.emit(t, ProcPause{Node: x, For: d})
				g.pausedTill[x] = t + d
			}
		}})
)

// ProcCrash kills Node: Mode keep_all is kill -9 (the page cache
// survives), torn and lose_all are power losses.
type ProcCrash struct{ Node, Mode string }

// Kind implements Fault.
func (f ProcCrash) Kind() string { return kindCrash.Name }

// Args implements Fault.
func (f ProcCrash) Args() []string { return []string{f.Node, f.Mode} }

// Apply implements Fault.
func (f ProcCrash) Apply(x *Injector) error {
	mode := map[string]disksim.CrashMode{"keep_all": disksim.CrashKeepAll, "torn": disksim.CrashTorn, "lose_all": disksim.CrashLoseAll}[f.Mode]
	return x.t.Crash(f.Node, mode)
}

// ProcRestart starts a crashed Node from its files (wiped if it refuses
// them).
type ProcRestart struct{ Node string }

// Kind implements Fault.
func (f ProcRestart) Kind() string { return kindRestart.Name }

// Args implements Fault.
func (f ProcRestart) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f ProcRestart) Apply(x *Injector) error { return x.t.RestartOrWipe(f.Node) }

// ProcPause stops Node for a while; what reaches it meanwhile is processed,
// in order, when it resumes.
type ProcPause struct {
	Node string
	For  sim.Time
}

// Kind implements Fault.
func (f ProcPause) Kind() string { return kindPause.Name }

// Args implements Fault.
func (f ProcPause) Args() []string { return []string{f.Node, secs("for", f.For)} }

// Apply implements Fault.
func (f ProcPause) Apply(x *Injector) error {
	resume, err := x.t.Pause(f.Node)
	if err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, "for "+FormatSeconds(f.For)+"s")
	x.hold(f.Kind(), f.Node, f.For, resume)
	return nil
}

// crash emits a crash and its restart; a crashed master is sometimes
// failed over to a replica first, if the seed enabled promotions.
func (g *model) crash(t sim.Time) {
	r := g.r
	x := g.pick(g.upNodes())
	if g.up[g.master] && r.Chance(0.35) {
		x = g.master
	}
	if x == "" {
		return
	}
	mode := "keep_all"
	switch r.IntN(4) {
	case 0:
		mode = "torn"
	case 1:
		mode = "lose_all"
	}
	down := g.between(50*sim.Millisecond, 2*sim.Second)
	g.emit(t, ProcCrash{Node: x, Mode: mode})
	g.up[x] = false
	delete(g.pausedTill, x)
	if _, ok := g.rates[kindPromote.Name]; ok && x == g.master && r.Chance(0.5) {
		if y := g.pick(g.upReplicas()); y != "" {
			pt := t + g.between(10*sim.Millisecond, min(down, 800*sim.Millisecond))
			if pt < g.healAt {
				g.emit(pt, OpPromote{Node: y})
				g.later(pt, func() { g.promote(y) })
			}
		}
	}
	if t+down < g.healAt {
		g.emit(t+down, ProcRestart{Node: x})
		g.later(t+down, func() { g.up[x] = true })
	}
}
