package fault

import (
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// The disk family: failed writes, failed fsyncs and flipped bits on a
// node's disk, each for a while with some probability per operation.

var (
	kindDiskWriteError = register(&Kind{Name: "disk_write_error", Syntax: "NODE p=P for=D err=eio|enospc",
		Doc:   "fail NODE's writes with probability P for D seconds",
		order: 8, swarm: 7, pos: []tokType{tNode},
		keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}, {key: "err", typ: vEnum, enum: []string{"eio", "enospc"}}},
		build: func(a args) Fault {
			return DiskWriteError{Node: a.str(0), P: a.prob("p"), For: a.dur("for"), Err: a.val("err")}
		},
		generate: func(g *model, t sim.Time) {
			n, p, d := g.pick(g.nodes), g.prob(), g.dur(t, 200*sim.Millisecond, 3*sim.Second)
			g.emit(t, DiskWriteError{Node: n, P: p, For: d, Err: []string{"eio", "enospc"}[g.r.IntN(2)]})
		}})
	kindDiskFsyncError = register(&Kind{Name: "disk_fsync_error", Syntax: "NODE p=P for=D",
		Doc:   "fail NODE's fsyncs with probability P for D seconds",
		order: 9, swarm: 8, pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}},
		build: func(a args) Fault { return DiskFsyncError{Node: a.str(0), P: a.prob("p"), For: a.dur("for")} },
		generate: func(g *model, t sim.Time) {
			n, p, d := g.pick(g.nodes), g.prob(), g.dur(t, 200*sim.Millisecond, 3*sim.Second)
			g.emit(t, DiskFsyncError{Node: n, P: p, For: d})
		}})
	kindDiskMetaError = register(&Kind{Name: "disk_meta_error", Syntax: "NODE p=P for=D err=eio|enospc",
		Doc:   "fail NODE's file creations, opens, renames, removals and mkdirs with probability P for D seconds",
		order: 43, swarm: 43, pos: []tokType{tNode},
		keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}, {key: "err", typ: vEnum, enum: []string{"eio", "enospc"}}},
		build: func(a args) Fault {
			return DiskMetaError{Node: a.str(0), P: a.prob("p"), For: a.dur("for"), Err: a.val("err")}
		},
		generate: func(g *model, t sim.Time) {
			n, p, d := g.pick(g.nodes), g.prob(), g.dur(t, 200*sim.Millisecond, 3*sim.Second)
			g.emit(t, DiskMetaError{Node: n, P: p, For: d, Err: []string{"eio", "enospc"}[g.r.IntN(2)]})
		}})
	kindDiskBitflip = register(&Kind{Name: "disk_bitflip", Syntax: "NODE p=P for=D",
		Doc:   "flip one bit of NODE's reads with probability P for D seconds",
		order: 10, swarm: 9, pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}},
		build: func(a args) Fault { return DiskBitflip{Node: a.str(0), P: a.prob("p"), For: a.dur("for")} },
		generate: func(g *model, t sim.Time) {
			n, p, d := g.pick(g.nodes), g.prob(), g.dur(t, 200*sim.Millisecond, 3*sim.Second)
			g.emit(t, DiskBitflip{Node: n, P: p, For: d})
		}})
)

// DiskWriteError fails Node's writes with probability P for a while, with
// EIO or ENOSPC (Err "eio" or "enospc").
type DiskWriteError struct {
	Node string
	P    float64
	For  sim.Time
	Err  string
}

// Kind implements Fault.
func (f DiskWriteError) Kind() string { return kindDiskWriteError.Name }

// Args implements Fault.
func (f DiskWriteError) Args() []string {
	return []string{f.Node, keyProb("p", f.P), secs("for", f.For), "err=" + f.Err}
}

// Apply implements Fault.
func (f DiskWriteError) Apply(x *Injector) error {
	inj := &disksim.Injector{Name: f.Kind(), Probability: f.P, Enabled: true, Ops: disksim.Ops(disksim.OpWrite), Err: vfs.ErrIO}
	if f.Err == "enospc" {
		inj.Err = vfs.ErrNoSpace
	}
	return diskFault(x, f, f.Node, f.For, inj)
}

// DiskFsyncError fails Node's fsyncs (of files and directories) with
// probability P for a while.
type DiskFsyncError struct {
	Node string
	P    float64
	For  sim.Time
}

// Kind implements Fault.
func (f DiskFsyncError) Kind() string { return kindDiskFsyncError.Name }

// Args implements Fault.
func (f DiskFsyncError) Args() []string {
	return []string{f.Node, keyProb("p", f.P), secs("for", f.For)}
}

// Apply implements Fault.
func (f DiskFsyncError) Apply(x *Injector) error {
	inj := &disksim.Injector{Name: f.Kind(), Probability: f.P, Enabled: true, Ops: disksim.Ops(disksim.OpSync, disksim.OpSyncDir)}
	return diskFault(x, f, f.Node, f.For, inj)
}

// DiskMetaError fails Node's file operations other than reads, writes
// and fsyncs (creating, opening, renaming and removing files, making
// directories) with probability P for a while, with EIO or ENOSPC (Err
// "eio" or "enospc"): a save's temp file or its rename, an AOF's new incr
// file, a manifest's rename, a replica's transfer file.
type DiskMetaError struct {
	Node string
	P    float64
	For  sim.Time
	Err  string
}

// Kind implements Fault.
func (f DiskMetaError) Kind() string { return kindDiskMetaError.Name }

// Args implements Fault.
func (f DiskMetaError) Args() []string {
	return []string{f.Node, keyProb("p", f.P), secs("for", f.For), "err=" + f.Err}
}

// Apply implements Fault.
func (f DiskMetaError) Apply(x *Injector) error {
	ops := disksim.Ops(disksim.OpCreate, disksim.OpOpen, disksim.OpRename, disksim.OpRemove, disksim.OpMkdir)
	inj := &disksim.Injector{Name: f.Kind(), Probability: f.P, Enabled: true, Ops: ops, Err: vfs.ErrIO}
	if f.Err == "enospc" {
		inj.Err = vfs.ErrNoSpace
	}
	return diskFault(x, f, f.Node, f.For, inj)
}

// DiskBitflip flips one bit of Node's reads with probability P for a while.
type DiskBitflip struct {
	Node string
	P    float64
	For  sim.Time
}

// Kind implements Fault.
func (f DiskBitflip) Kind() string { return kindDiskBitflip.Name }

// Args implements Fault.
func (f DiskBitflip) Args() []string { return []string{f.Node, keyProb("p", f.P), secs("for", f.For)} }

// Apply implements Fault.
func (f DiskBitflip) Apply(x *Injector) error {
	return diskFault(x, f, f.Node, f.For, flipInjector(f.Kind(), f.P, 0))
}

// flipInjector flips one bit of a read with probability p, within the
// file's last tail bytes when tail > 0 (disk_tail_flip).
func flipInjector(name string, p float64, tail int) *disksim.Injector {
	return &disksim.Injector{Name: name, Probability: p, Enabled: true, Ops: disksim.Ops(disksim.OpRead), BitFlip: true, FlipTail: tail}
}

// diskFault adds inj to node's disk for d.
func diskFault(x *Injector, f Fault, node string, d sim.Time, inj *disksim.Injector) error {
	if err := x.t.AddDiskFault(node, inj); err != nil {
		return err
	}
	detail := ""
	for i, a := range f.Args()[1:] {
		if i > 0 {
			detail += " "
		}
		detail += a
	}
	x.t.Note(f.Kind(), node, detail)
	x.hold(f.Kind(), node, d, func() { inj.Enabled = false })
	return nil
}
