package node

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/vfs"
)

// aofBaseSnapshot is the dataset as an AOF base (aof-base 1, no
// replication fields).
func (n *Node) aofBaseSnapshot() *rdb.Snapshot {
	s := n.snapshot(false)
	for i := range s.Aux {
		if s.Aux[i].Key == "aof-base" {
			s.Aux[i].Value = "1"
		}
	}
	return s
}

// aofMkdir creates appenddirname and makes its entry durable.
func (n *Node) aofMkdir() error {
	fs := n.env.FS()
	if err := fs.MkdirAll(n.cfg.AppendDirname); err != nil {
		return fmt.Errorf("Can't open or create append-only dir %s: %w", n.cfg.AppendDirname, err)
	}
	if err := fs.SyncDir(path.Dir(n.cfg.AppendDirname)); err != nil {
		return fmt.Errorf("fsync the parent of %s: %w", n.cfg.AppendDirname, err)
	}
	return nil
}

// readManifest returns the manifest on disk; a missing one is empty.
func (n *Node) readManifest() (aofManifest, error) {
	name := n.aofPath(n.manifestName())
	f, err := n.env.FS().Open(name)
	if errors.Is(err, vfs.ErrNotExist) {
		return aofManifest{}, nil
	}
	if err != nil {
		return aofManifest{}, &manifestError{name: name, openErr: err}
	}
	data, err := readWhole(f)
	if !n.bug(BugManifestHandleLeak) {
		_ = f.Close()
	}
	if err != nil {
		// fgets failed: Redis reports it as a bad manifest.
		return aofManifest{}, &manifestError{name: name, msg: "Read AOF manifest failed"}
	}
	return parseManifestPaths(name, data, n.bug(BugManifestPathAccepted))
}

// readWhole reads the open file f to its end as fgets does through
// stdio's buffer: 4 KB a read, until one comes back short. Redis reads the
// manifest with no stat (aofLoadManifestFromFile), so a small manifest
// takes one read.
func readWhole(f vfs.File) ([]byte, error) {
	var out []byte
	buf := make([]byte, 4096)
	for {
		k, err := f.Read(buf)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		out = append(out, buf[:k]...)
		if err != nil || k < len(buf) {
			return out, nil
		}
	}
}

// persistManifest writes m through a temp file and syncs the directory
// (writeAofManifestFile), logging each failure as Redis does. A temp file
// a failure leaves behind is truncated by the next attempt.
func (n *Node) persistManifest(m *aofManifest) error {
	fs := n.env.FS()
	name, tmpName := n.manifestName(), "temp-"+n.manifestName()
	fail := func(err error, format string, args ...any) error {
		n.logWarning(format, args...)
		return fmt.Errorf("persist the AOF manifest: %w", err)
	}
	f, err := fs.Create(n.aofPath(tmpName))
	if err != nil {
		return fail(err, "Can't open the AOF manifest file %s: %s", tmpName, strerror(err))
	}
	defer func() { _ = f.Close() }()
	if err := writeAll(f, []byte(m.String())); err != nil {
		return fail(err, "Error trying to write the temporary AOF manifest file %s: %s", tmpName, strerror(err))
	}
	if err := f.Sync(); err != nil {
		return fail(err, "Fail to fsync the temp AOF file %s: %s.", tmpName, strerror(err))
	}
	if err := fs.Rename(n.aofPath(tmpName), n.aofPath(name)); err != nil {
		return fail(err, "Error trying to rename the temporary AOF manifest file %s into %s: %s", tmpName, name, strerror(err))
	}
	if err := fs.SyncDir(n.cfg.AppendDirname); err != nil {
		return fail(err, "Fail to fsync AOF directory %s: %s.", n.aofPath(name), strerror(err))
	}
	return nil
}

// writeBase writes the current dataset as base file name.
func (n *Node) writeBase(name string) (int64, error) {
	p := n.persist()
	p.tempSeq++
	tmp := n.aofPath("temp-rewriteaof-" + strconv.FormatInt(p.tempSeq, 10) + ".aof")
	data := n.aofBaseFormatNow().encode(n.aofBaseSnapshot())
	if err := writeFileAtomic(n.env.FS(), tmp, n.aofPath(name), data, nil); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

// aofStart opens incr for appending (creating it if missing), persists m
// and makes the AOF state point at it, logging logFormat with incr's name;
// then it deletes the history files.
func (n *Node) aofStart(m *aofManifest, incr string, logFormat string) error {
	fs := n.env.FS()
	f, err := fs.OpenAppend(n.aofPath(incr))
	if err != nil {
		return fmt.Errorf("Can't open the append-only file %s: %w", incr, err)
	}
	if err := n.persistManifest(m); err != nil {
		_ = f.Close()
		return err
	}
	size, err := fs.Stat(n.aofPath(incr))
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("stat %s: %w", incr, err)
	}
	a := &n.persist().aof
	a.closeFile()
	a.opened = true
	a.file = f
	a.manifest = *m
	a.buf = a.buf[:0]
	a.selDB = -1
	a.incrSize, a.fsyncedOffset = size, size
	a.lastFsync = n.nowSec()
	n.logNotice(logFormat, incr)
	n.aofDeleteHistory()
	return nil
}

// aofDeleteHistory removes the history files and drops them from the
// manifest (aofDelHistoryFiles). As in Redis, a failed removal (bg_unlink)
// is not logged, and a failed persist only by persistManifest's own line.
// The entries leave the manifest in memory before it is persisted: a
// failed persist leaves them on disk only (a later persist, or DEBUG
// LOADAOF's reload and new removal, drops them there).
func (n *Node) aofDeleteHistory() {
	a := &n.ps.aof
	if len(a.manifest.history) == 0 {
		return
	}
	fs := n.env.FS()
	for _, h := range a.manifest.history {
		n.logNotice("Removing the history file %s in the background", h.name)
		_ = fs.Remove(n.aofPath(h.name))
	}
	m := a.manifest.clone()
	m.history = nil
	a.manifest = m
	_ = n.persistManifest(&m)
}

// aofOpenAtStart opens the AOF after loading: an empty manifest gets a
// base of the (empty) dataset first; the last incr file, or a new one, is
// opened for appending, and the manifest is persisted.
func (n *Node) aofOpenAtStart(m *aofManifest) error {
	if err := n.aofMkdir(); err != nil {
		return err
	}
	fresh := m.empty()
	if fresh {
		base := m.newBaseExt(n.cfg.AppendFilename, n.aofBaseFormatNow().ext())
		if _, err := n.writeBase(base); err != nil {
			return err
		}
		n.logNotice("Creating AOF base file %s on server start", base)
	}
	// aofOpenIfNeededOnServerStart: the last incr file the manifest lists,
	// or a new one.
	format := "Creating AOF incr file %s on server start"
	if len(m.incr) > 0 {
		format = "Opening AOF incr file %s on server start"
	}
	incr := m.lastIncr(n.cfg.AppendFilename)
	if err := n.aofStart(m, incr, format); err != nil {
		return err
	}
	a := &n.persist().aof
	if fresh {
		// aofOpenIfNeededOnServerStart creates the base and counts nothing.
		a.currentSize, a.rewriteBaseSize = 0, 0
	} else {
		n.aofLoaded()
	}
	return nil
}
