package fault

import (
	"strings"

	"github.com/replsim/replsim/sim"
)

// reloadModes are DEBUG RELOAD's forms as schedule tokens: plain (save,
// flush, load), merge (NOFLUSH MERGE: save, load over the dataset),
// mergeflush (MERGE alone: flushed first, so a plain reload), nosave and
// nosavemerge (NOSAVE [NOFLUSH MERGE], run just after a SAVE so the file
// on disk is the dataset: a NOSAVE over an older file loses the writes
// since, a divergence Redis allows that no other check models), and
// loadaof (DEBUG LOADAOF on a node with appendonly on). NOFLUSH without
// MERGE is left out: Redis panics on the first duplicate key.
var reloadModes = []string{"plain", "merge", "mergeflush", "nosave", "nosavemerge", "loadaof"}

// reloadArgs are the command a mode sends.
var reloadArgs = map[string][]string{
	"plain":       {"DEBUG", "RELOAD"},
	"merge":       {"DEBUG", "RELOAD", "NOFLUSH", "MERGE"},
	"mergeflush":  {"DEBUG", "RELOAD", "MERGE"},
	"nosave":      {"DEBUG", "RELOAD", "NOSAVE"},
	"nosavemerge": {"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"},
	"loadaof":     {"DEBUG", "LOADAOF"},
}

var kindDebugReload = register(&Kind{Name: "op_debug_reload", Syntax: "NODE mode=plain|merge|mergeflush|nosave|nosavemerge|loadaof",
	Doc:   "DEBUG RELOAD [NOSAVE] [NOFLUSH] [MERGE] or DEBUG LOADAOF on NODE: the dataset saved and loaded back, unchanged",
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

// OpDebugReload runs DEBUG RELOAD or LOADAOF on Node (reloadArgs[Mode]).
type OpDebugReload struct{ Node, Mode string }

// Kind implements Fault.
func (f OpDebugReload) Kind() string { return kindDebugReload.Name }

// Args implements Fault.
func (f OpDebugReload) Args() []string { return []string{f.Node, "mode=" + f.Mode} }

// Apply implements Fault.
func (f OpDebugReload) Apply(x *Injector) error {
	args := reloadArgs[f.Mode]
	if args == nil {
		args = reloadArgs["plain"]
	}
	if err := x.t.Reload(f.Node, args...); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, strings.Join(args, " "))
	return nil
}
