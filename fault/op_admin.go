package fault

import (
	"strings"

	"github.com/replsim/replsim/sim"
)

// Admin actions of the operator family: the persistence commands (BGSAVE,
// SAVE, BGREWRITEAOF) and SHUTDOWN followed by a restart. Their generators
// draw from their own random streams (model.own).

// shutdownModes are SHUTDOWN's modes as schedule tokens: default (save if
// save rules exist), nosave, save.
var shutdownModes = []string{"default", "nosave", "save"}

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
	kindShutdown = register(&Kind{Name: "op_shutdown", Syntax: "NODE default|nosave|save",
		Doc:   "SHUTDOWN [NOSAVE|SAVE] on NODE: it saves as told, fsyncs its AOF and exits, down until proc_restart or heal",
		order: 25, swarm: 23, pos: []tokType{tNode, tShutdown},
		build:    func(a args) Fault { return OpShutdown{Node: a.str(0), Mode: a.str(1)} },
		generate: genShutdown})
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
	case kindSaveName:
		g.emit(t, OpSave{Node: x})
	default:
		g.emit(t, OpBgrewriteaof{Node: x})
	}
}

// genShutdown emits a SHUTDOWN of a live node (the master a third of the
// time) and, unless the heal comes first, its restart a while later.
func genShutdown(g *model, t sim.Time) {
	r := g.own("op_shutdown")
	x := pickWith(r, g.upNodes())
	if g.live(g.master) && r.Chance(0.35) {
		x = g.master
	}
	if x == "" {
		return
	}
	mode := shutdownModes[r.IntN(len(shutdownModes))]
	down := sim.Time(r.Between(int64(50*sim.Millisecond/sim.Microsecond), int64(2*sim.Second/sim.Microsecond))) * sim.Microsecond
	g.emit(t, OpShutdown{Node: x, Mode: mode})
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
		args = append(args, strings.ToUpper(f.Mode))
	}
	return x.t.Shutdown(f.Node, args...)
}
