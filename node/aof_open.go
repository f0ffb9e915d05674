package node

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"sync/atomic"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/vfs"
)

// aofTryOpen opens the AOF from a fresh base of the current dataset, at
// most once a second while it keeps failing.
func (n *Node) aofTryOpen() {
	a := &n.persist().aof
	now := n.nowSec()
	if a.openTried && now <= a.lastOpenTry {
		return
	}
	a.openTried, a.lastOpenTry = true, now
	if err := n.aofOpenFresh(); err != nil {
		n.logWarning("Can't open the append-only file: %v", err)
		if n.cfg.AppendFsync == "always" {
			// Acknowledging a write that no AOF holds would break the
			// policy's promise; Redis gives up (after retrying) and exits.
			n.logWarning("Can't start append only file while the AOF fsync policy is 'always'. Exiting...")
			n.exitNow(false)
			return
		}
		// Writes get MISCONF until the AOF opens (aofOpenFresh clears it).
		a.writeErr = err
	}
}

// aofEnableCheck is what can make startAppendOnly fail at once, for
// CONFIG SET appendonly yes: with no other child and outside EXEC (else
// the rewrite is only scheduled), rewriteAppendOnlyFileBackground creates
// appenddirname and opens the temp incr file (openNewIncrAofForAppend in
// AOF_WAIT_REWRITE: temp-<appendfilename>.incr, O_TRUNC|O_CREAT) before
// it forks; if either fails the AOF stays off and CONFIG SET fails. The
// node writes its fresh base later (aofTryOpen), so the temp incr file is
// closed and removed again here.
func (n *Node) aofEnableCheck() bool {
	p := n.persist()
	if p.child != childNone || n.inExec() {
		return true
	}
	fail := func() bool {
		n.logWarning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
		p.aof.rewriteOK = false
		return false
	}
	fs := n.env.FS()
	if err := fs.MkdirAll(n.cfg.AppendDirname); err != nil {
		n.logWarning("Can't open or create append-only dir %s: %s", n.cfg.AppendDirname, strerror(err))
		return fail()
	}
	tmp := "temp-" + n.cfg.AppendFilename + ".incr"
	f, err := fs.Create(n.aofPath(tmp))
	if err != nil {
		n.logWarning("Can't open the append-only file %s: %s", tmp, strerror(err))
		return fail()
	}
	_ = f.Close()
	_ = fs.Remove(n.aofPath(tmp))
	return true
}

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
	data, err := readWhole(n.env.FS(), f, name)
	if !n.bug(BugManifestHandleLeak) {
		_ = f.Close()
	}
	if err != nil {
		// fgets failed: Redis reports it as a bad manifest.
		return aofManifest{}, &manifestError{name: name, msg: "Read AOF manifest failed"}
	}
	return parseManifestPaths(name, data, n.bug(BugManifestPathAccepted))
}

// readWhole reads the open file name in one read of its size, as
// ReadFile does once it has opened a file.
func readWhole(fs vfs.FS, f vfs.File, name string) ([]byte, error) {
	size, err := fs.Stat(name)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size+1)
	k, err := f.Read(buf)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}

// persistManifest writes m through a temp file and syncs the directory
// (writeAofManifestFile), logging each failure as Redis does. A temp file
// a failure leaves behind is truncated by the next attempt.
func (n *Node) persistManifest(m *aofManifest) error {
	fs := n.env.FS()
	name, tmpName := n.manifestName(), "temp-"+n.manifestName()
	fail := func(err error, format string, args ...any) error {
		n.logWarning(format, args...)
		return fmt.Errorf("%w: %w", errPersistManifest, err)
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

// errPersistManifest wraps the errors of persistManifest.
var errPersistManifest = errors.New("persist the AOF manifest")

// writeBase writes the current dataset as base file name and fsyncs the
// directory after the rename.
func (n *Node) writeBase(name string) (int64, error) { return n.writeBaseWith(name, writeFileAtomic) }

// writeRewrittenBase writes the current dataset as base file name as a
// rewrite does: the child fsyncs its temp file, and the rename into place
// is made durable only by the manifest's persist after it (the directory
// fsync of persistAofManifest), not by a directory fsync of its own.
func (n *Node) writeRewrittenBase(name string) (int64, error) {
	return n.writeBaseWith(name, writeFileRenamed)
}

func (n *Node) writeBaseWith(name string, write func(vfs.FS, string, string, []byte, *atomic.Bool) error) (int64, error) {
	p := n.persist()
	p.tempSeq++
	tmp := n.aofPath("temp-rewriteaof-" + strconv.FormatInt(p.tempSeq, 10) + ".aof")
	data := n.aofBaseFormatNow().encode(n.aofBaseSnapshot())
	if err := write(n.env.FS(), tmp, n.aofPath(name), data, nil); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

// aofOpenFresh opens the AOF as a synchronous rewrite: a new base from the
// dataset and a new empty incr file; every file the manifest in memory
// listed becomes history and is deleted. Used when the AOF is opened without a
// Load and after a full resync.
func (n *Node) aofOpenFresh() error {
	if err := n.aofMkdir(); err != nil {
		return err
	}
	// startAppendOnly works from the manifest in memory, which Redis reads
	// at startup whatever appendonly says (aofLoadManifestFromDisk). The
	// node reads it when it first needs it, if it has not loaded it yet.
	a := &n.persist().aof
	old := a.manifest
	if !a.manifestLoaded {
		var err error
		if old, err = n.readManifest(); err != nil {
			n.logWarning("Ignoring the AOF manifest on disk: %v", err)
			old = aofManifest{}
		}
	}
	m := old.clone()
	base := m.newBaseExt(n.cfg.AppendFilename, n.aofBaseFormatNow().ext())
	size, err := n.writeRewrittenBase(base)
	if err != nil {
		return err
	}
	for _, ai := range m.incr {
		ai.typ = aofTypeHist
		m.history = append(m.history, ai)
	}
	m.incr = nil
	// Redis's startAppendOnly opens the new incr file as a background
	// rewrite does (openNewIncrAofForAppend); the node rewrites at once.
	incr := m.newIncr(n.cfg.AppendFilename)
	if err := n.aofStart(&m, incr, true, "Creating AOF incr file %s on background rewrite"); err != nil {
		// backgroundRewriteDoneHandler unlinks the new base when the new
		// incr file or the manifest naming them cannot be put in place,
		// and the new incr file too when the manifest persist failed
		// (seed 78183: a base left behind after a failed directory fsync
		// was loaded with the incr files older than it).
		fs := n.env.FS()
		_ = fs.Remove(n.aofPath(base))
		if errors.Is(err, errPersistManifest) {
			_ = fs.Remove(n.aofPath(incr))
		}
		return err
	}
	// As at a rewrite's end (startAppendOnly's rewrite).
	a.currentSize, a.rewriteBaseSize = size, size
	return nil
}

// aofStart opens incr (creating or, when create is set, truncating it),
// persists m and makes the AOF state point at it, logging logFormat with
// incr's name; then it deletes the history files.
func (n *Node) aofStart(m *aofManifest, incr string, create bool, logFormat string) error {
	fs := n.env.FS()
	var f vfs.File
	var err error
	if create {
		f, err = fs.Create(n.aofPath(incr))
	} else {
		f, err = fs.OpenAppend(n.aofPath(incr))
	}
	if err != nil {
		return fmt.Errorf("Can't open the append-only file %s: %w", incr, err)
	}
	if err := n.persistManifest(m); err != nil {
		_ = f.Close()
		return err
	}
	size := int64(0)
	if !create {
		if size, err = fs.Stat(n.aofPath(incr)); err != nil {
			_ = f.Close()
			return fmt.Errorf("stat %s: %w", incr, err)
		}
	}
	a := &n.persist().aof
	a.closeFile()
	a.opened = true
	a.file = f
	a.manifest, a.manifestLoaded = *m, true
	a.buf = a.buf[:0]
	a.selDB = -1
	a.incrSize, a.fsyncedOffset = size, size
	a.lastFsync = n.nowSec()
	n.logNotice(logFormat, incr)
	// startAppendOnly (CONFIG SET appendonly yes, or restartAOFAfterSYNC
	// after a full sync) forgets what failed before, and says so.
	if a.fsyncErr != nil {
		n.logWarning("AOF reopen, just ignore the AOF fsync error in bio job")
	}
	if a.writeErr != nil {
		n.logWarning("AOF reopen, just ignore the last error.")
	}
	a.writeErr, a.fsyncErr = nil, nil
	n.aofDeleteHistory()
	return nil
}

// aofDeleteHistory removes the history files and drops them from the
// manifest (aofDelHistoryFiles). Failures are logged. As in Redis, the
// entries leave the manifest in memory before it is persisted: a failed
// persist leaves them on disk only (a later persist, or DEBUG LOADAOF's
// reload and new removal, drops them there).
func (n *Node) aofDeleteHistory() {
	a := &n.ps.aof
	if len(a.manifest.history) == 0 {
		return
	}
	fs := n.env.FS()
	for _, h := range a.manifest.history {
		n.logNotice("Removing the history file %s in the background", h.name)
		if err := fs.Remove(n.aofPath(h.name)); err != nil && !errors.Is(err, vfs.ErrNotExist) {
			n.logWarning("Can't remove the history file %s: %v", h.name, err)
		}
	}
	m := a.manifest.clone()
	m.history = nil
	a.manifest = m
	if err := n.persistManifest(&m); err != nil {
		n.logWarning("Can't persist the AOF manifest after removing history files: %v", err)
	}
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
	if err := n.aofStart(m, incr, false, format); err != nil {
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
