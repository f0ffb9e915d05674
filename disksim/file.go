package disksim

import (
	"io"

	"github.com/replsim/replsim/vfs"
)

// handle is an open file: a writer appending at the end (Create,
// OpenAppend) or a reader from the start (Open).
type handle struct {
	fs     *FS
	ino    *inode
	path   string // the name it was opened under, for errors and globs
	epoch  uint64
	write  bool
	pos    int
	closed bool
}

var _ vfs.File = (*handle)(nil)

func (fs *FS) open(ino *inode, p string, write bool) *handle {
	h := &handle{fs: fs, ino: ino, path: p, epoch: fs.epoch, write: write}
	if fs.live == nil {
		fs.live = map[*handle]struct{}{}
	}
	fs.live[h] = struct{}{}
	return h
}

// check rejects closed and stale handles.
func (h *handle) check(op Op) error {
	if h.closed {
		return opErr(op, h.path, ErrClosed)
	}
	if h.epoch != h.fs.epoch {
		return staleErr(op, h.path)
	}
	return nil
}

// Read reads from the current content, starting at the beginning of the
// file. It sees data appended after the file was opened.
func (h *handle) Read(p []byte) (int, error) {
	if err := h.check(OpRead); err != nil {
		return 0, err
	}
	if h.write {
		return 0, opErr(OpRead, h.path, ErrBadMode)
	}
	inj, err := h.fs.inject(OpRead, h.path, "")
	if err != nil {
		return 0, err
	}
	if inj != nil && !inj.BitFlip {
		h.fs.fault(OpRead, h.path, false)
		return 0, injErr(inj, OpRead, h.path)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if h.pos >= len(h.ino.data) {
		return 0, io.EOF
	}
	n := copy(p, h.ino.data[h.pos:])
	h.pos += n
	if inj != nil {
		// The part of this read the flip may hit: all of it, or its
		// overlap with the file's tail.
		from := 0
		if inj.FlipTail > 0 {
			from = max(0, len(h.ino.data)-inj.FlipTail-(h.pos-n))
		}
		if from < n {
			at := from + h.fs.flipBit(p[from:n])
			h.fs.LastFlip = Flip{Offset: int64(h.pos - n + at), Size: int64(len(h.ino.data))}
			h.fs.fault(OpRead, h.path, true)
		}
	}
	return n, nil
}

// flipBit flips one uniformly chosen bit of the non-empty b and returns
// its byte's index.
func (fs *FS) flipBit(b []byte) int {
	i := fs.rng.IntN(len(b) * 8)
	b[i/8] ^= 1 << (i % 8)
	return i / 8
}

// Write appends p to the file's current (unsynced) content.
func (h *handle) Write(p []byte) (int, error) {
	if err := h.check(OpWrite); err != nil {
		return 0, err
	}
	if !h.write {
		return 0, opErr(OpWrite, h.path, ErrBadMode)
	}
	inj, err := h.fs.inject(OpWrite, h.path, "")
	if err != nil {
		return 0, err
	}
	n := len(p)
	if inj != nil && n > 0 {
		n = h.fs.rng.IntN(n)
	}
	h.ino.data = append(h.ino.data, p[:n]...)
	h.fs.stats.BytesWritten += int64(n)
	if n > 0 && h.fs.OnWrite != nil {
		h.fs.OnWrite(h.path)
	}
	if inj != nil {
		err := injErr(inj, OpWrite, h.path)
		h.fs.LastFailedWrite = FailedWrite{Stored: n, Size: len(p), Err: err}
		h.fs.fault(OpWrite, h.path, false)
		return n, err
	}
	return n, nil
}

// Sync makes the file's current content its synced content. A failed Sync
// may drop the unsynced data (see Injector).
func (h *handle) Sync() error {
	if err := h.check(OpSync); err != nil {
		return err
	}
	ino := h.ino
	inj, err := h.fs.inject(OpSync, h.path, "")
	if err != nil {
		return err
	}
	if inj != nil {
		h.fs.fault(OpSync, h.path, false)
		if h.fs.rng.Chance(h.fs.SyncErrorDropProbability) {
			h.fs.dropUnsynced(ino)
		}
		return injErr(inj, OpSync, h.path)
	}
	fresh := int64(len(ino.data) - ino.unsyncedFrom())
	changed := fresh > 0 || ino.truncated
	h.fs.stats.BytesSynced += fresh
	ino.synced = ino.data[:len(ino.data):len(ino.data)]
	ino.truncated = false
	if h.fs.OnSync != nil {
		h.fs.OnSync(h.path, changed)
	}
	return nil
}

// unsyncedFrom is the offset in data where unsynced bytes start.
func (ino *inode) unsyncedFrom() int {
	if ino.truncated {
		return 0
	}
	return len(ino.synced)
}

// dropUnsynced discards what was written since the last sync (or since the
// pending truncation).
func (fs *FS) dropUnsynced(ino *inode) {
	from := ino.unsyncedFrom()
	fs.stats.BytesLost += int64(len(ino.data) - from)
	fs.stats.SyncDrops++
	if ino.truncated {
		ino.data = nil
	} else {
		ino.data = ino.synced
	}
}

// Close releases the handle. Closing does not sync.
func (h *handle) Close() error {
	delete(h.fs.live, h)
	if err := h.check(opClose); err != nil {
		h.closed = true
		return err
	}
	h.closed = true
	return nil
}
