package disksim

import "slices"

// OpenHandle is a file handle opened since the last crash and not closed.
type OpenHandle struct {
	Path  string // the name it was opened under, or renamed to since
	Write bool   // opened to append (Create, OpenAppend), else to read
	// Deleted says no entry names the file any more (unlinked while open:
	// "(deleted)" in /proc/<pid>/fd).
	Deleted bool
}

// OpenHandles lists the handles opened since the last crash (or process
// end, ProcessEnd) and not closed, by path: what the process holds open.
func (fs *FS) OpenHandles() []OpenHandle {
	out := make([]OpenHandle, 0, len(fs.live))
	for h := range fs.live {
		out = append(out, OpenHandle{Path: h.path, Write: h.write, Deleted: fs.entryAt(h.path) != h.ino})
	}
	slices.SortFunc(out, func(a, b OpenHandle) int {
		if a.Path != b.Path {
			if a.Path < b.Path {
				return -1
			}
			return 1
		}
		switch {
		case a.Write != b.Write && a.Write, a.Write == b.Write && a.Deleted != b.Deleted && !a.Deleted:
			return 1
		case a.Write != b.Write, a.Deleted != b.Deleted:
			return -1
		}
		return 0
	})
	return out
}

// ProcessEnd is the end of the process using the disk without a crash of
// the disk (a process that failed to start): the kernel closes its handles.
func (fs *FS) ProcessEnd() {
	for h := range fs.live {
		h.closed = true
	}
	fs.live = nil
}

// entryAt is the inode the current entries name at the clean path p (nil
// none), without fault injection.
func (fs *FS) entryAt(p string) *inode {
	d := fs.root
	for {
		i := 0
		for i < len(p) && p[i] != '/' {
			i++
		}
		if d == nil || !d.dir {
			return nil
		}
		n := d.entries[p[:i]]
		if i == len(p) {
			return n
		}
		d, p = n, p[i+1:]
	}
}
