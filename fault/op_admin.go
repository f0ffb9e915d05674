package fault

import (
	"strings"

	"github.com/replsim/replsim/sim"
)

// Admin actions of the operator family: the persistence commands (BGSAVE,
// SAVE, BGREWRITEAOF) and SHUTDOWN followed by a restart. Their generators
// draw from their own random streams (model.own).

// shutdownModes are SHUTDOWN's modes as schedule tokens: default (save if
// save rules exist), nosave, save, and those with NOW (no wait for the
// replicas) and FORCE (exit even if the save fails), words joined by "-".
var shutdownModes = []string{"default", "nosave", "save", "now", "force", "nosave-now", "save-force", "now-force", "save-now-force"}

var (
	kindBgsave = register(&Kind{Name: "op_bgsave", Syntax: "NODE",
		Doc:   "BGSAVE on NODE: an RDB snapshot written in the background",
		order: 22, swarm: 20, pos: []tokType{tNode},
		build:    func(a args) Fault { return OpBgsave{Node: a.str(0)} },
		generate: func(g *model, t sim.Time) { genAdmin(g, t, kindBgsaveName) }})
	kindSave = register(&Kind{Name: "op_save", Syntax: "NODE",
		Doc:   "SAVE on NODE: an RDB snapshot written while the node serves nobody",
		order: 23, swarm: 21, pos: []tokType{tNode},
		build:    func(a args) Fault { return OpSave{Node: a.str(0)} },
		generate: func(g *model, t sim.Time) { genAdmin(g, t, kindSaveName) }})
	kindBgrewriteaof = register(&Kind{Name: "op_bgrewriteaof", Syntax: "NODE",
		Doc:   "BGREWRITEAOF on NODE: a new AOF base written in the background (refused with appendonly no)",
		order: 24, swarm: 22, pos: []tokType{tNode},
		build:    func(a args) Fault { return OpBgrewriteaof{Node: a.str(0)} },
		generate: func(g *model, t sim.Time) { genAdmin(g, t, kindBgrewriteaofName) }})
	kindShutdown = register(&Kind{Name: "op_shutdown", Syntax: "NODE default|nosave|save|now|force|nosave-now|save-force|now-force|save-now-force",
		Doc:   "SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] on NODE: it waits for its replicas (shutdown-timeout, unless NOW), saves as told, fsyncs its AOF and exits, down until proc_restart or heal",
		order: 25, swarm: 23, pos: []tokType{tNode, tShutdown},
		build:    func(a args) Fault { return OpShutdown{Node: a.str(0), Mode: a.str(1)} },
		generate: genShutdown})
	kindShutdownAbort = register(&Kind{Name: "op_shutdown_abort", Syntax: "NODE",
		Doc:   "SHUTDOWN ABORT on NODE from another client: cancels a SHUTDOWN waiting for replicas (its client gets an error, the node serves on), else ERR No shutdown in progress.",
		order: 26, pos: []tokType{tNode},
		build: func(a args) Fault { return OpShutdownAbort{Node: a.str(0)} }})
	kindBgsaveSchedule = register(&Kind{Name: "op_bgsave_schedule", Syntax: "NODE",
		Doc:   "BGSAVE SCHEDULE on NODE: starts a snapshot, or schedules one if another child (an AOF rewrite) runs",
		order: 27, pos: []tokType{tNode},
		build: func(a args) Fault { return OpBgsaveSchedule{Node: a.str(0)} }})
)

// The kinds' names, for genAdmin (the kinds themselves would be an
// initialisation cycle there).
const (
	kindBgsaveName       = "op_bgsave"
	kindSaveName         = "op_save"
	kindBgrewriteaofName = "op_bgrewriteaof"
)

// genAdmin emits one persistence command on a live node, the master half
// the time.
func genAdmin(g *model, t sim.Time, kind string) {
	r := g.own(kind)
	x := pickWith(r, g.upNodes())
	if g.live(g.master) && r.Chance(0.5) {
		x = g.master
	}
	if x == "" {
		return
	}
	switch kind {
	case kindBgsaveName:
		g.emit(t, OpBgsave{Node: x})
		genMultiAdmin(g, t, x, "bgsave") // op_multi.go
	case kindSaveName:
		g.emit(t, OpSave{Node: x})
	default:
		g.emit(t, OpBgrewriteaof{Node: x})
		genMultiAdmin(g, t, x, "bgrewriteaof")
		// Half the time a BGSAVE SCHEDULE follows while the rewrite
		// may still run (it is scheduled then, else it starts).
		if s := g.own("op_bgsave_schedule"); s.Chance(0.5) {
			d := sim.Time(s.Between(100, 200_000)) * sim.Microsecond
			if t+d < g.healAt {
				g.emit(t+d, OpBgsaveSchedule{Node: x})
			}
		}
	}
}

// pickStopTarget draws the node a stop (SHUTDOWN, a signal) goes to: a
// live node, the master about a third of the time; "" when none is up.
func pickStopTarget(g *model, r *sim.Rand) string {
	x := pickWith(r, g.upNodes())
	if g.live(g.master) && r.Chance(0.35) {
		x = g.master
	}
	return x
}

// stopDowntime draws how long a stopped node stays down before its
// restart: 50 ms to 2 s.
func stopDowntime(r *sim.Rand) sim.Time {
	return sim.Time(r.Between(int64(50*sim.Millisecond/sim.Microsecond), int64(2*sim.Second/sim.Microsecond))) * sim.Microsecond
}

// genShutdown emits a SHUTDOWN of a live node (the master a third of the
// time) and, unless the heal comes first, its restart a while later.
func genShutdown(g *model, t sim.Time) {
	r := g.own("op_shutdown")
	x := pickStopTarget(g, r)
	if x == "" {
		return
	}
	shutdownNode(g, r, t, x, shutdownModes[r.IntN(len(shutdownModes))])
}

// forcedShutdownModes are the SHUTDOWN modes with FORCE.
var forcedShutdownModes = []string{"force", "save-force", "now-force", "save-now-force"}

// shutdownNode emits a SHUTDOWN of the live node x in mode at t, drawing
// from r, with genShutdown's SHUTDOWN ABORTs and restart.
func shutdownNode(g *model, r *sim.Rand, t sim.Time, x, mode string) {
	down := stopDowntime(r)
	// A second client's SHUTDOWN ABORT (op_shutdown_abort): sometimes
	// before the SHUTDOWN (nothing to abort), often while the SHUTDOWN
	// may still wait for the replicas (it cancels it, the node serves
	// on: the restart below is then skipped).
	a := g.own("op_shutdown_abort")
	if a.Chance(0.1) {
		g.emit(t, OpShutdownAbort{Node: x})
	}
	g.emit(t, OpShutdown{Node: x, Mode: mode})
	p := 0.2
	if x == g.master {
		p = 0.7
	}
	if a.Chance(p) {
		// Mostly on the master (a replica with no replicas of its own
		// never waits). Half the time at once (the replicas have rarely acknowledged
		// the last writes yet: the SHUTDOWN waits), else later.
		d := sim.Time(0)
		if a.Chance(0.5) {
			d = sim.Time(a.Between(1000, 1_500_000)) * sim.Microsecond
		}
		if t+d < g.healAt {
			g.emit(t+d, OpShutdownAbort{Node: x})
		}
	}
	g.up[x] = false
	delete(g.pausedTill, x)
	if t+down < g.healAt {
		g.emit(t+down, ProcRestart{Node: x})
		g.later(t+down, func() { g.up[x] = true })
	}
}

// OpBgsave runs BGSAVE on Node.
type OpBgsave struct{ Node string }

// Kind implements Fault.
func (f OpBgsave) Kind() string { return kindBgsave.Name }

// Args implements Fault.
func (f OpBgsave) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpBgsave) Apply(x *Injector) error { return admin(x, f, f.Node, "BGSAVE") }

// OpSave runs SAVE on Node.
type OpSave struct{ Node string }

// Kind implements Fault.
func (f OpSave) Kind() string { return kindSave.Name }

// Args implements Fault.
func (f OpSave) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpSave) Apply(x *Injector) error { return admin(x, f, f.Node, "SAVE") }

// OpBgrewriteaof runs BGREWRITEAOF on Node.
type OpBgrewriteaof struct{ Node string }

// Kind implements Fault.
func (f OpBgrewriteaof) Kind() string { return kindBgrewriteaof.Name }

// Args implements Fault.
func (f OpBgrewriteaof) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpBgrewriteaof) Apply(x *Injector) error { return admin(x, f, f.Node, "BGREWRITEAOF") }

// admin runs an admin command on a live node and notes it.
func admin(x *Injector, f Fault, node string, args ...string) error {
	if err := x.t.Admin(node, args...); err != nil {
		return err
	}
	x.t.Note(f.Kind(), node, strings.Join(args, " "))
	return nil
}

// OpShutdown runs SHUTDOWN on Node: Mode default (save if save rules
// exist), nosave or save. The node exits; proc_restart or the heal starts
// it again from its files.
type OpShutdown struct{ Node, Mode string }

// Kind implements Fault.
func (f OpShutdown) Kind() string { return kindShutdown.Name }

// Args implements Fault.
func (f OpShutdown) Args() []string { return []string{f.Node, f.Mode} }

// Apply implements Fault.
func (f OpShutdown) Apply(x *Injector) error {
	args := []string{"SHUTDOWN"}
	if f.Mode != "default" {
		args = append(args, strings.Fields(strings.ToUpper(strings.ReplaceAll(f.Mode, "-", " ")))...)
	}
	return x.t.Shutdown(f.Node, args...)
}

// OpShutdownAbort runs SHUTDOWN ABORT on Node from a client other than the
// SHUTDOWN's.
type OpShutdownAbort struct{ Node string }

// Kind implements Fault.
func (f OpShutdownAbort) Kind() string { return kindShutdownAbort.Name }

// Args implements Fault.
func (f OpShutdownAbort) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpShutdownAbort) Apply(x *Injector) error { return x.t.Shutdown(f.Node, "SHUTDOWN", "ABORT") }

// OpBgsaveSchedule runs BGSAVE SCHEDULE on Node.
type OpBgsaveSchedule struct{ Node string }

// Kind implements Fault.
func (f OpBgsaveSchedule) Kind() string { return kindBgsaveSchedule.Name }

// Args implements Fault.
func (f OpBgsaveSchedule) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpBgsaveSchedule) Apply(x *Injector) error { return admin(x, f, f.Node, "BGSAVE", "SCHEDULE") }
