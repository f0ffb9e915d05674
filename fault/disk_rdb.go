package fault

import (
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
)

// Aimed RDB disk faults, as disk_aof_error is for the AOF: the swarm's
// disk faults never fail a read, and hit the RDB file's open or a save's
// temp file only by chance. disk_rdb_error fails one kind of operation on
// the RDB file (dump.rdb) or on the temp files saves write (temp-*.rdb)
// for a while, and its generator puts it right before a restart of a
// crashed node (the RDB load's open and read: Redis exits with "Fatal
// error loading the DB" or rdbLoadRio's short-read lines) or before a
// BGSAVE or SAVE (the temp file's creation, its writes, whose size picks
// rdbSave's failure line, its fsync, and its rename). Its draws come from
// its own random streams, so the other kinds of a seed keep theirs.

// rdbFileGlobs are the files a disk_rdb_error can aim at, as disksim globs
// (matched against a path's last element), under the default dbfilename.
var rdbFileGlobs = map[string]string{
	"dump": "dump.rdb",
	"temp": "temp-*.rdb",
}

var rdbFileNames = []string{"dump", "temp"}

// rdbOpNames are the operations a disk_rdb_error can fail.
var rdbOpNames = []string{"open", "read", "create", "write", "sync", "rename"}

var rdbOps = map[string]disksim.Op{
	"open": disksim.OpOpen, "read": disksim.OpRead, "create": disksim.OpCreate, "write": disksim.OpWrite,
	"sync": disksim.OpSync, "rename": disksim.OpRename,
}

// rdbSteps are the moments the generator aims at, with the faults that
// matter there (file, operation).
var rdbSteps = []struct {
	step    string
	targets [][2]string
}{
	{"restart", [][2]string{{"dump", "open"}, {"dump", "read"}}},
	{"bgsave", [][2]string{{"temp", "create"}, {"temp", "write"}, {"temp", "sync"}, {"temp", "rename"}}},
	{"save", [][2]string{{"temp", "create"}, {"temp", "write"}, {"temp", "sync"}, {"temp", "rename"}}},
}

const kindDiskRDBErrorName = "disk_rdb_error"

var kindDiskRDBError = register(&Kind{Name: kindDiskRDBErrorName, Syntax: "NODE file=dump|temp op=OP for=D err=eio|enospc",
	Doc: "fail every OP (open, read, create, write, sync, rename) of NODE on its RDB file or its saves' temp files for D seconds; " +
		"the generator aims it at a restart's load (a node with appendonly no) or a BGSAVE's or SAVE's writing",
	order: 45, swarm: 47, pos: []tokType{tNode},
	keys: aimedKeys(rdbFileNames, rdbOpNames),
	build: func(a args) Fault {
		return DiskRDBError{aimedFromArgs(a)}
	},
	generate: genDiskRDBError})

// DiskRDBError fails Node's Op on its RDB file or its saves' temp files
// (rdbFileGlobs) for a while.
type DiskRDBError struct{ AimedFault }

// Kind implements Fault.
func (f DiskRDBError) Kind() string { return kindDiskRDBError.Name }

// Apply implements Fault.
func (f DiskRDBError) Apply(x *Injector) error {
	return diskFault(x, f, f.Node, f.For, aimedInjector(f.Kind(), rdbOps[f.Op], rdbFileGlobs[f.File], f.Err))
}

// genDiskRDBError aims one disk_rdb_error at a live node around one of
// rdbSteps; a restart's load is aimed at a node with appendonly no (one
// with the AOF on loads that instead).
func genDiskRDBError(g *model, t sim.Time) {
	r := g.own(kindDiskRDBErrorName)
	st := rdbSteps[r.IntN(len(rdbSteps))]
	tg := st.targets[r.IntN(len(st.targets))]
	errName := []string{"eio", "enospc"}[r.IntN(2)]
	var candidates []string
	for _, n := range g.upNodes() {
		if on, _ := g.aofOf(n); !on || st.step != "restart" {
			candidates = append(candidates, n)
		}
	}
	x := pickWith(r, candidates)
	if x == "" {
		return
	}
	fault := func(at, d sim.Time) DiskRDBError {
		return DiskRDBError{AimedFault{Node: x, File: tg[0], Op: tg[1], For: min(at+d, g.healAt) - at, Err: errName}}
	}
	switch st.step {
	case "restart":
		// kill -9, then the fault and the restart at once: the load
		// runs inside the restart step.
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
	case "bgsave":
		// The fault holds until the child's job is done.
		g.emit(t, fault(t, sim.Time(r.Between(500_000, 3_000_000))*sim.Microsecond))
		g.emit(t, OpBgsave{Node: x})
	case "save":
		g.emit(t, fault(t, 10*sim.Millisecond))
		g.emit(t, OpSave{Node: x})
	}
}
