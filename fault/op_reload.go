package fault

import (
	"strings"

	"github.com/replsim/replsim/sim"
)

// reloadModes are DEBUG RELOAD's forms as schedule tokens: plain (save,
// flush, load) and merge (NOFLUSH MERGE: save, load over the dataset). The
// others are left out on purpose: NOSAVE loads whatever file is on disk
// (an older dataset: a divergence Redis allows), and NOFLUSH without MERGE
// makes Redis panic on the first duplicate key.
var reloadModes = []string{"plain", "merge"}

var kindDebugReload = register(&Kind{Name: "op_debug_reload", Syntax: "NODE mode=plain|merge",
	Doc:   "DEBUG RELOAD [NOFLUSH MERGE] on NODE: the RDB saved and loaded back, the dataset unchanged",
	order: 41, swarm: 41, pos: []tokType{tNode}, keys: []keyArg{{key: "mode", typ: vEnum, enum: reloadModes}},
	build: func(a args) Fault { return OpDebugReload{Node: a.str(0), Mode: a.val("mode")} },
	generate: func(g *model, t sim.Time) {
		r := g.own("op_debug_reload")
		x := pickWith(r, g.upNodes())
		if g.live(g.master) && r.Chance(0.5) {
			x = g.master
		}
		if x != "" {
			g.emit(t, OpDebugReload{Node: x, Mode: reloadModes[r.IntN(len(reloadModes))]})
		}
	}})

// OpDebugReload runs DEBUG RELOAD on Node (Mode merge adds NOFLUSH MERGE).
type OpDebugReload struct{ Node, Mode string }

// Kind implements Fault.
func (f OpDebugReload) Kind() string { return kindDebugReload.Name }

// Args implements Fault.
func (f OpDebugReload) Args() []string { return []string{f.Node, "mode=" + f.Mode} }

// Apply implements Fault.
func (f OpDebugReload) Apply(x *Injector) error {
	args := []string{"DEBUG", "RELOAD"}
	if f.Mode == "merge" {
		args = append(args, "NOFLUSH", "MERGE")
	}
	if err := x.t.Reload(f.Node, args...); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, strings.Join(args, " "))
	return nil
}
