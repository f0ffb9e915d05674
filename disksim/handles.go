package disksim

import "slices"

// OpenHandle is a file handle opened since the last crash and not closed.
type OpenHandle struct {
	Path  string // the name it was opened under
	Write bool   // opened to append (Create, OpenAppend), else to read
}

// OpenHandles lists the handles opened since the last crash (or process
// end, ProcessEnd) and not closed, by path: what the process holds open.
func (fs *FS) OpenHandles() []OpenHandle {
	out := make([]OpenHandle, 0, len(fs.live))
	for h := range fs.live {
		out = append(out, OpenHandle{Path: h.path, Write: h.write})
	}
	slices.SortFunc(out, func(a, b OpenHandle) int {
		if a.Path != b.Path {
			if a.Path < b.Path {
				return -1
			}
			return 1
		}
		switch {
		case a.Write == b.Write:
			return 0
		case a.Write:
			return 1
		}
		return -1
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
