package fault

import (
	"github.com/replsim/replsim/sim"
)

// op_multi, of the operator family: a persistence command inside
// MULTI/EXEC, where Redis 7.0.15 does not fork but schedules the job for
// serverCron (server.in_exec: bgsaveCommand, bgrewriteaofCommand, and
// startAppendOnly for CONFIG SET appendonly yes).

// multiCmds are op_multi's commands, as schedule tokens.
var multiCmds = []string{"bgsave", "bgrewriteaof", "aof-on"}

var kindMulti = register(&Kind{Name: "op_multi", Syntax: "NODE cmd=bgsave|bgrewriteaof|aof-on",
	Doc: "MULTI, then BGSAVE, BGREWRITEAOF or CONFIG SET appendonly yes (aof-on), then EXEC on NODE: inside EXEC Redis schedules " +
		"the save or the rewrite (the one that turns the AOF on, for aof-on) for serverCron to start",
	order: 28, pos: []tokType{tNode}, keys: []keyArg{{key: "cmd", typ: vEnum, enum: multiCmds}},
	build: func(a args) Fault { return OpMulti{Node: a.str(0), Cmd: a.val("cmd")} }})

// OpMulti runs Cmd (one of multiCmds) inside MULTI/EXEC on Node.
type OpMulti struct{ Node, Cmd string }

// Kind implements Fault.
func (f OpMulti) Kind() string { return kindMulti.Name }

// Args implements Fault.
func (f OpMulti) Args() []string { return []string{f.Node, "cmd=" + f.Cmd} }

// Apply implements Fault.
func (f OpMulti) Apply(x *Injector) error {
	if err := x.t.AdminMulti(f.Node, multiCommand(f.Cmd)...); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, f.Cmd)
	return nil
}

// multiCommand is the command op_multi's cmd token stands for.
func multiCommand(cmd string) []string {
	switch cmd {
	case "bgsave":
		return []string{"BGSAVE"}
	case "bgrewriteaof":
		return []string{"BGREWRITEAOF"}
	}
	return []string{"CONFIG", "SET", "appendonly", "yes"}
}

// genMultiAdmin sometimes follows a BGSAVE or BGREWRITEAOF on x at t with
// the same command inside MULTI/EXEC a while later, from op_multi's own
// stream.
func genMultiAdmin(g *model, t sim.Time, x, cmd string) {
	r := g.own(kindMulti.Name)
	if !r.Chance(0.2) {
		return
	}
	if d := sim.Time(r.Between(1000, 300_000)) * sim.Microsecond; t+d < g.healAt {
		g.emit(t+d, OpMulti{Node: x, Cmd: cmd})
	}
}

// emitAOFOn emits op_config's CONFIG SET appendonly yes on x, whose AOF
// is off, at t: inside MULTI/EXEC some of the time, from op_multi's own
// stream.
func emitAOFOn(g *model, t sim.Time, x string) {
	if g.own(kindMulti.Name + "/aof-on").Chance(0.3) {
		g.emit(t, OpMulti{Node: x, Cmd: "aof-on"})
		return
	}
	g.emit(t, OpConfig{Node: x, Param: "appendonly", Value: "yes"})
}
