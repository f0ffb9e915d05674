package disksim

import (
	"fmt"
	"path"

	"github.com/replsim/replsim/vfs"
)

// Op is a kind of filesystem operation an Injector can target.
type Op uint8

// The operations. OpenAppend counts as OpCreate when it creates the file and
// OpOpen otherwise; ReadFile is an OpOpen followed by an OpRead; MkdirAll is
// one OpMkdir.
const (
	OpCreate Op = iota
	OpOpen
	OpRead
	OpWrite
	OpSync
	OpRename
	OpRemove
	OpSyncDir
	OpStat
	OpList
	OpMkdir
	numOps
	// opClose names File.Close in errors; no injector can target it.
	opClose = numOps
)

var opNames = [numOps + 1]string{"create", "open", "read", "write", "sync", "rename", "remove", "syncdir", "stat", "list", "mkdir", "close"}

// String returns the operation's name as it appears in errors ("write").
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// OpSet is a set of operations.
type OpSet uint16

// AllOps contains every operation.
const AllOps OpSet = 1<<numOps - 1

// Ops returns the set of the given operations.
func Ops(ops ...Op) OpSet {
	var s OpSet
	for _, o := range ops {
		s |= 1 << o
	}
	return s
}

// Has reports whether o is in s.
func (s OpSet) Has(o Op) bool { return s&(1<<o) != 0 }

// Fault kinds passed to FS.OnFault and counted in Stats.
const (
	KindWriteError  = "disk_write_error"  // a Write failed (EIO, ENOSPC, ...)
	KindFsyncError  = "disk_fsync_error"  // a Sync or SyncDir failed
	KindBitFlip     = "disk_bitflip"      // a Read returned one flipped bit
	KindOpenError   = "disk_open_error"   // a Create, OpenAppend, Open or ReadFile's open failed
	KindRenameError = "disk_rename_error" // a Rename failed
	KindRemoveError = "disk_remove_error" // a Remove failed
	KindOtherError  = "disk_error"        // anything else (Read, Stat, List, MkdirAll)
)

func faultKind(op Op, bitFlip bool) string {
	switch op {
	case OpWrite:
		return KindWriteError
	case OpSync, OpSyncDir:
		return KindFsyncError
	case OpRead:
		if bitFlip {
			return KindBitFlip
		}
	case OpCreate, OpOpen:
		return KindOpenError
	case OpRename:
		return KindRenameError
	case OpRemove:
		return KindRemoveError
	}
	return KindOtherError
}

// An Injector makes matching operations fail. What a fault does depends on
// the operation:
//
//   - OpWrite: a prefix of the data, of a length drawn uniformly from
//     [0, len(p)), is appended (unsynced) and Write returns that length
//     together with the error.
//   - OpSync: nothing becomes durable and, with probability
//     FS.SyncErrorDropProbability, the file's unsynced data is discarded as
//     if the kernel had dropped the dirty pages after the failed writeback:
//     the current content reverts to the synced content (or to empty if the
//     file was truncated since its last sync). Linux keeps such pages
//     readable until they are evicted; disksim makes the loss visible at
//     once, so the current content is always the synced content plus
//     appended data.
//   - OpRead with BitFlip: the read succeeds but one uniformly chosen bit of
//     the bytes returned is flipped; the stored content is untouched. A read
//     that returns no bytes is not corrupted (and no fault is reported).
//   - Every other case: the operation has no effect and returns the error.
//
// The caller may change Enabled, Probability and Err at any time.
type Injector struct {
	// Name identifies the injector in descriptions.
	Name string
	// Ops is the set of operations the injector applies to.
	Ops OpSet
	// PathGlob is a path.Match pattern matched against the cleaned path and
	// against its last element ("*.aof" matches "dir/a.aof"); "" matches
	// every path. A Rename matches if either name does.
	PathGlob string
	// Probability that a matching operation fails (<= 0 never, >= 1 always).
	Probability float64
	// Err is the error the operation returns, wrapped; nil means vfs.ErrIO.
	Err error
	// BitFlip makes a matching OpRead return corrupted data instead of an
	// error. Other operations fail with Err as usual.
	BitFlip bool
	// FlipTail, with BitFlip, puts the flipped bit in the file's last
	// FlipTail bytes (an RDB's checksum is its last 8): a read that does
	// not reach them is left alone.
	FlipTail int
	// Enabled turns the injector on.
	Enabled bool
}

// AddInjector appends inj to the injectors evaluated for every operation.
// It rejects an invalid PathGlob.
func (fs *FS) AddInjector(inj *Injector) error {
	if inj == nil {
		return fmt.Errorf("disksim: add injector: nil injector")
	}
	if _, err := path.Match(inj.PathGlob, ""); err != nil {
		return fmt.Errorf("disksim: add injector %q: %w: %q", inj.Name, ErrBadGlob, inj.PathGlob)
	}
	fs.injectors = append(fs.injectors, inj)
	return nil
}

// matches reports whether inj applies to op on p (or p2, if not empty).
func (inj *Injector) matches(op Op, p, p2 string) (bool, error) {
	if !inj.Enabled || !inj.Ops.Has(op) {
		return false, nil
	}
	if inj.PathGlob == "" {
		return true, nil
	}
	for _, q := range [2]string{p, p2} {
		if q == "" {
			continue
		}
		for _, cand := range [2]string{q, path.Base(q)} {
			ok, err := path.Match(inj.PathGlob, cand)
			if err != nil {
				return false, fmt.Errorf("injector %q: %w: %q", inj.Name, ErrBadGlob, inj.PathGlob)
			}
			if ok {
				return true, nil
			}
		}
	}
	return false, nil
}

// inject returns the first injector that fires for op on p (and p2), or nil.
// The error is for an injector whose glob became invalid after AddInjector.
func (fs *FS) inject(op Op, p, p2 string) (*Injector, error) {
	for _, inj := range fs.injectors {
		ok, err := inj.matches(op, p, p2)
		if err != nil {
			return nil, opErr(op, p, err)
		}
		if !ok {
			continue
		}
		switch {
		case inj.Probability <= 0:
			continue
		case inj.Probability >= 1:
		case !fs.rng.Chance(inj.Probability):
			continue
		}
		return inj, nil
	}
	return nil, nil
}

// injErr is the error an injector makes op on p return.
func injErr(inj *Injector, op Op, p string) error {
	err := inj.Err
	if err == nil {
		err = vfs.ErrIO
	}
	return opErr(op, p, err)
}

// fault records a fault of op on p and reports it to OnFault.
func (fs *FS) fault(op Op, p string, bitFlip bool) {
	kind := faultKind(op, bitFlip)
	fs.stats.count(kind)
	if fs.OnFault != nil {
		fs.OnFault(op, p, kind)
	}
}

// failOp is the common path for an operation that fails outright when an
// injector fires: it returns the injected error (already recorded), the
// error of a broken glob, or nil. p2 is Rename's new name, else "".
func (fs *FS) failOp(op Op, p, p2 string) error {
	inj, err := fs.inject(op, p, p2)
	if err != nil || inj == nil {
		return err
	}
	fs.fault(op, p, false)
	if p2 != "" {
		return injErr(inj, op, p+" -> "+p2)
	}
	return injErr(inj, op, p)
}
