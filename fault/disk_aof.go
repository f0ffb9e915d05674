package fault

import (
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// Aimed AOF disk faults: the swarm's disk faults hit a node's AOF files
// only by chance, and rarely at the few moments that read or write the
// manifest and the base (a restart's load, a rewrite's start and end, the
// AOF's reopen). disk_aof_error fails one kind of operation on one kind of
// AOF file for a short while, and its generator puts it right around such
// a moment: before a restart of a crashed node (the load and the open
// that follows it), after a BGREWRITEAOF has started (its end: the base's
// rename, the manifest's persist, the history's removal), before one (its
// start: the new incr file, the manifest) or between CONFIG SET
// appendonly no and yes (the reopen, half the time under everysec after
// the incr file's fsyncs failed for a while). Its draws come from its own random
// streams, so the other kinds of a seed keep theirs.

// aofFileGlobs are the AOF files a disk_aof_error can aim at, as disksim
// globs (matched against a path's last element): the manifest and its
// temp file, the base files, the incr files (the temp one too), and the AOF directory itself
// (its fsync), under the default appenddirname.
var aofFileGlobs = map[string]string{
	"manifest": "*.manifest",
	"base":     "*.base.*",
	"incr":     "*.incr*", // and startAppendOnly's temp-<name>.incr
	"dir":      "appendonlydir",
}

var aofFileNames = []string{"manifest", "base", "incr", "dir"}

// aofOpNames are the operations a disk_aof_error can fail.
var aofOpNames = []string{"open", "read", "create", "write", "sync", "rename", "remove", "syncdir"}

var aofOps = map[string]disksim.Op{
	"open": disksim.OpOpen, "read": disksim.OpRead, "create": disksim.OpCreate, "write": disksim.OpWrite,
	"sync": disksim.OpSync, "rename": disksim.OpRename, "remove": disksim.OpRemove, "syncdir": disksim.OpSyncDir,
}

// aofSteps are the moments the generator aims at, with the faults that
// matter there (file, operation).
var aofSteps = []struct {
	step    string
	targets [][2]string
}{
	{"restart", [][2]string{{"manifest", "open"}, {"manifest", "read"}, {"base", "open"}, {"base", "read"},
		{"incr", "open"}, {"incr", "read"}, {"manifest", "create"}, {"manifest", "write"}, {"manifest", "rename"},
		{"dir", "syncdir"}, {"base", "create"}, {"base", "rename"}}},
	{"rewrite_end", [][2]string{{"base", "rename"}, {"manifest", "create"}, {"manifest", "write"}, {"manifest", "sync"},
		{"manifest", "rename"}, {"dir", "syncdir"}, {"incr", "remove"}, {"base", "remove"}}},
	{"rewrite_start", [][2]string{{"incr", "create"}, {"manifest", "create"}, {"manifest", "rename"}, {"dir", "syncdir"}}},
	{"reopen", [][2]string{{"base", "create"}, {"base", "rename"}, {"incr", "create"}, {"manifest", "create"},
		{"manifest", "write"}, {"manifest", "rename"}, {"dir", "syncdir"}, {"incr", "remove"}, {"base", "remove"}}},
}

var kindDiskAOFError = register(&Kind{Name: "disk_aof_error", Syntax: "NODE file=manifest|base|incr|dir op=OP for=D err=eio|enospc",
	Doc: "fail every OP (open, read, create, write, sync, rename, remove, syncdir) of NODE on its AOF manifest, base files, incr files or AOF directory for D seconds; " +
		"the generator aims it at a restart's load, a BGREWRITEAOF's start or end, or CONFIG SET appendonly no then yes",
	order: 44, swarm: 44, pos: []tokType{tNode},
	keys: aimedKeys(aofFileNames, aofOpNames),
	build: func(a args) Fault {
		return DiskAOFError{aimedFromArgs(a)}
	},
	generate: genDiskAOFError})

// DiskAOFError fails Node's Op on its AOF File (aofFileGlobs) for a while.
type DiskAOFError struct{ AimedFault }

// Kind implements Fault.
func (f DiskAOFError) Kind() string { return kindDiskAOFError.Name }

// Apply implements Fault.
func (f DiskAOFError) Apply(x *Injector) error {
	return diskFault(x, f, f.Node, f.For, aimedInjector(f.Kind(), aofOps[f.Op], aofFileGlobs[f.File], f.Err))
}

// aimedKeys are the keys of an aimed file fault (disk_aof_error,
// disk_rdb_error): the file kind, the operation, how long, the error.
func aimedKeys(files, ops []string) []keyArg {
	return []keyArg{{key: "file", typ: vEnum, enum: files}, {key: "op", typ: vEnum, enum: ops},
		{key: "for", typ: vDur}, {key: "err", typ: vEnum, enum: []string{"eio", "enospc"}}}
}

// AimedFault is what an aimed file fault (disk_aof_error, disk_rdb_error)
// says: Node's Op on one kind of File fails with Err ("eio" or "enospc")
// for a while.
type AimedFault struct {
	Node, File, Op string
	For            sim.Time
	Err            string
}

// aimedFromArgs reads an aimed file fault's arguments (aimedKeys).
func aimedFromArgs(a args) AimedFault {
	return AimedFault{Node: a.str(0), File: a.val("file"), Op: a.val("op"), For: a.dur("for"), Err: a.val("err")}
}

// Args implements Fault's Args for both kinds.
func (f AimedFault) Args() []string {
	return []string{f.Node, "file=" + f.File, "op=" + f.Op, secs("for", f.For), "err=" + f.Err}
}

// aimedInjector fails every op on the files glob matches, with EIO or
// ENOSPC (errName "eio" or "enospc").
func aimedInjector(name string, op disksim.Op, glob, errName string) *disksim.Injector {
	inj := &disksim.Injector{Name: name, Probability: 1, Enabled: true, Ops: disksim.Ops(op), PathGlob: glob, Err: vfs.ErrIO}
	if errName == "enospc" {
		inj.Err = vfs.ErrNoSpace
	}
	return inj
}

// genDiskAOFError aims one disk_aof_error at a node with appendonly yes
// (the master half the time), around one of aofSteps.
func genDiskAOFError(g *model, t sim.Time) {
	r := g.own("disk_aof_error")
	var aof []string
	for _, n := range g.upNodes() {
		if on, _ := g.aofOf(n); on {
			aof = append(aof, n)
		}
	}
	x := pickWith(r, aof)
	if on, _ := g.aofOf(g.master); on && g.live(g.master) && r.Chance(0.5) {
		x = g.master
	}
	if x == "" {
		return
	}
	st := aofSteps[r.IntN(len(aofSteps))]
	tg := st.targets[r.IntN(len(st.targets))]
	errName := []string{"eio", "enospc"}[r.IntN(2)]
	fault := func(at, d sim.Time) DiskAOFError {
		return DiskAOFError{AimedFault{Node: x, File: tg[0], Op: tg[1], For: min(at+d, g.healAt) - at, Err: errName}}
	}
	switch st.step {
	case "restart":
		// kill -9, then the fault and the restart at once: the load
		// and the open run inside the restart step.
		down := sim.Time(r.Between(50_000, 1_000_000)) * sim.Microsecond
		if t+down >= g.healAt {
			return
		}
		g.emit(t, ProcCrash{Node: x, Mode: "keep_all"})
		g.up[x] = false
		delete(g.pausedTill, x)
		g.emit(t+down, fault(t+down, 10*sim.Millisecond))
		g.emit(t+down, ProcRestart{Node: x})
		g.later(t+down, func() { g.up[x] = true })
	case "rewrite_end":
		// The rewrite starts untouched; the fault holds until its job
		// is done.
		g.emit(t, OpBgrewriteaof{Node: x})
		g.emit(t, fault(t, sim.Time(r.Between(500_000, 3_000_000))*sim.Microsecond))
	case "rewrite_start":
		g.emit(t, fault(t, 10*sim.Millisecond))
		g.emit(t, OpBgrewriteaof{Node: x})
	case "reopen":
		// Half the time under everysec, the background fsync fails
		// first, so the reopen finds aof_bio_fsync_status failed
		// (startAppendOnly forgets it and says so). Its own stream.
		rf := g.own("disk_aof_error/reopen_fsync")
		if _, fsync := g.aofOf(x); fsync == "everysec" && rf.Chance(0.5) {
			pre := sim.Time(rf.Between(1_200_000, 2_500_000)) * sim.Microsecond
			if t+pre >= g.healAt {
				return
			}
			g.emit(t, DiskAOFError{AimedFault{Node: x, File: "incr", Op: "sync", For: pre - 100*sim.Millisecond, Err: errName}})
			t += pre
		}
		g.emit(t, OpConfig{Node: x, Param: "appendonly", Value: "no"})
		g.emit(t, fault(t, sim.Time(r.Between(10_000, 1_500_000))*sim.Microsecond))
		g.emit(t, OpConfig{Node: x, Param: "appendonly", Value: "yes"})
	}
}
