package disksim

import (
	"fmt"
	"strings"
)

// SyncedContent returns a copy of what name would hold after a crash that
// keeps nothing unsynced (CrashLoseAll): it resolves name through synced
// directory entries and returns that file's synced content. ok is false if
// no durable file has that name. No injector is consulted.
func (fs *FS) SyncedContent(name string) (content []byte, ok bool) {
	n := fs.resolve(name, true)
	if n == nil || n.dir {
		return nil, false
	}
	return append([]byte{}, n.synced...), true
}

// CurrentContent returns a copy of name's current content, as ReadFile would
// without injectors. ok is false if name is not a file.
func (fs *FS) CurrentContent(name string) (content []byte, ok bool) {
	n := fs.resolve(name, false)
	if n == nil || n.dir {
		return nil, false
	}
	return append([]byte{}, n.data...), true
}

// SyncState reports name's current size and whether it holds anything
// an fsync has not made durable: bytes written, or a truncation, since
// its last Sync. It copies nothing and consults no injector. ok is false
// if name is not a file.
func (fs *FS) SyncState(name string) (size int64, unsynced, ok bool) {
	n := fs.resolve(name, false)
	if n == nil || n.dir {
		return 0, false, false
	}
	return int64(len(n.data)), n.truncated || len(n.data) > n.unsyncedFrom(), true
}

// resolve looks name up through current or synced entries; nil if absent
// or invalid.
func (fs *FS) resolve(name string, synced bool) *inode {
	c, err := cleanPath(OpStat, name)
	if err != nil {
		return nil
	}
	n := fs.root
	for _, part := range splitPath(c) {
		if !n.dir {
			return nil
		}
		ents := n.entries
		if synced {
			ents = n.syncedEntries
		}
		if n = ents[part]; n == nil {
			return nil
		}
	}
	return n
}

// Entry is one path in a Snapshot.
type Entry struct {
	Path string
	Dir  bool
	// Size is the current size; SyncedSize the synced one (0 for
	// directories). For a file truncated since its last sync SyncedSize
	// may exceed Size.
	Size, SyncedSize int64
	// Durable reports that Path names this same file or directory through
	// synced entries all the way from the root, so it survives a crash.
	Durable bool
}

// Snapshot is the current tree in path order.
type Snapshot []Entry

// Snapshot lists every current path, sorted.
func (fs *FS) Snapshot() Snapshot {
	paths, nodes := fs.tree(false)
	sp, sn := fs.tree(true)
	durable := make(map[string]*inode, len(sp))
	for i, p := range sp {
		durable[p] = sn[i]
	}
	out := make(Snapshot, len(paths))
	for i, p := range paths {
		n := nodes[i]
		out[i] = Entry{Path: p, Dir: n.dir, Size: int64(len(n.data)), SyncedSize: int64(len(n.synced)), Durable: durable[p] == n}
	}
	return out
}

// String renders one line per entry: "a.aof 120 synced=100 durable",
// directories with a trailing slash.
func (s Snapshot) String() string {
	var b strings.Builder
	for _, e := range s {
		if e.Dir {
			fmt.Fprintf(&b, "%s/", e.Path)
		} else {
			fmt.Fprintf(&b, "%s %d synced=%d", e.Path, e.Size, e.SyncedSize)
		}
		if e.Durable {
			b.WriteString(" durable")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WithoutInjectors runs fn with every injector switched off, so that a
// test harness's own changes to the files neither fail nor draw from the
// disk's random stream.
func (fs *FS) WithoutInjectors(fn func()) {
	saved := fs.injectors
	fs.injectors = nil
	defer func() { fs.injectors = saved }()
	fn()
}
