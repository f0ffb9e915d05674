package disksim

import (
	"maps"
	"slices"

	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// DefaultSyncErrorDropProbability is the initial FS.SyncErrorDropProbability.
const DefaultSyncErrorDropProbability = 0.5

// FS is one node's simulated filesystem. It implements vfs.FS. It is not
// safe for concurrent use; the simulator drives it from one goroutine.
type FS struct {
	// OnFault, if set, is called for every fault an injector causes, with
	// the operation, the path it named (for Rename, the old name) and the
	// fault kind (one of the Kind* constants).
	OnFault func(op Op, path string, kind string)
	// OnSync, if set, is called for every Sync of a file that succeeded,
	// with the file's path and whether the file had anything unsynced (new
	// or truncated content) before it (a failed one goes to OnFault).
	OnSync func(path string, changed bool)
	// OnWrite, if set, is called for every Write that stored bytes (a
	// failed one too, for the part it stored), with the file's path.
	OnWrite func(path string)
	// SyncErrorDropProbability is the chance that a failed Sync also drops
	// the file's unsynced data (see Injector).
	SyncErrorDropProbability float64
	// LastFlip is where the latest flipped bit fell: set before OnFault
	// reports the bit flip, for a checker that must know whether it hit
	// a file's checksum.
	LastFlip Flip
	// LastFailedWrite is what the latest failed Write stored: set before
	// OnFault reports the failure, for a checker that judges the node's
	// account of it (a short write or an error, and which).
	LastFailedWrite FailedWrite
	// OnRename, if set, is called for every Rename that succeeded, with
	// the file's old and new paths (cleaned).
	OnRename func(oldname, newname string)
	// TornCut, if set, may choose where a torn crash (CrashTorn) cuts a
	// file that was not truncated since its last sync: given its path,
	// its content and the length synced, it returns a length in
	// [synced, len(data)] to keep, or -1 for the random one. Any such
	// length is a prefix a power loss can leave.
	TornCut func(path string, data []byte, synced int) int

	rng    *sim.Rand
	root   *inode
	nextID uint64
	epoch  uint64 // bumped by every Crash; handles from older epochs are stale
	// live are the handles opened in this epoch and not closed.
	live      map[*handle]struct{}
	injectors []*Injector
	stats     Stats
}

var _ vfs.FS = (*FS)(nil)

// Flip is a flipped bit's place: the byte's offset in the file and the
// file's size when it was read.
type Flip struct{ Offset, Size int64 }

// FailedWrite is a Write an injector failed: it stored the first Stored
// of Size bytes and returned Err.
type FailedWrite struct {
	Stored, Size int
	Err          error
}

// inode is a file or a directory.
type inode struct {
	id  uint64 // creation order, for stable descriptions only
	dir bool

	// Files. data and synced may share a backing array: both are only ever
	// re-sliced with a capped capacity or replaced, never written in place.
	data      []byte
	synced    []byte
	truncated bool // truncated (Create) since the last Sync

	// Directories.
	entries       map[string]*inode
	syncedEntries map[string]*inode
}

// New returns an empty filesystem (just the root directory) drawing every
// random choice from r. A nil r gets a fixed stream (seed 0, "disksim").
func New(r *sim.Rand) *FS {
	if r == nil {
		r = sim.NewRand(0, "disksim")
	}
	fs := &FS{rng: r, SyncErrorDropProbability: DefaultSyncErrorDropProbability}
	fs.root = fs.newDir()
	return fs
}

func (fs *FS) newDir() *inode {
	fs.nextID++
	return &inode{id: fs.nextID, dir: true, entries: map[string]*inode{}, syncedEntries: map[string]*inode{}}
}

func (fs *FS) newFile() *inode {
	fs.nextID++
	return &inode{id: fs.nextID}
}

// sortedNames returns the names of m in order.
func sortedNames(m map[string]*inode) []string {
	return slices.Sorted(maps.Keys(m))
}

// walkDir resolves a cleaned directory path through current entries;
// errors name report.
func (fs *FS) walkDir(op Op, c, report string) (*inode, error) {
	d := fs.root
	for _, part := range splitPath(c) {
		n, ok := d.entries[part]
		if !ok {
			return nil, opErr(op, report, vfs.ErrNotExist)
		}
		if !n.dir {
			return nil, opErr(op, report, ErrNotDir)
		}
		d = n
	}
	return d, nil
}

// lookup resolves a cleaned non-root path to its parent directory and its
// last component; n is nil if the entry does not exist.
func (fs *FS) lookup(op Op, c string) (parent *inode, base string, n *inode, err error) {
	dir, base := ".", c
	if i := lastSlash(c); i >= 0 {
		dir, base = c[:i], c[i+1:]
	}
	parent, err = fs.walkDir(op, dir, c)
	if err != nil {
		return nil, "", nil, err
	}
	return parent, base, parent.entries[base], nil
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// tree lists every entry reachable from the root through current entries
// (synced=false) or synced entries (synced=true), by path, in sorted order.
// A path appears at most once; an inode may appear under several paths.
func (fs *FS) tree(synced bool) (paths []string, nodes []*inode) {
	var walk func(prefix string, d *inode)
	walk = func(prefix string, d *inode) {
		ents := d.entries
		if synced {
			ents = d.syncedEntries
		}
		for _, name := range sortedNames(ents) {
			p := name
			if prefix != "" {
				p = prefix + "/" + name
			}
			n := ents[name]
			paths = append(paths, p)
			nodes = append(nodes, n)
			if n.dir {
				walk(p, n)
			}
		}
	}
	walk("", fs.root)
	return paths, nodes
}
