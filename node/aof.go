package node

import (
	"errors"
	"fmt"
	"path"
	"strconv"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/node/vfs"
)

// aofState is the append-only file: Redis 7.0's multi-part layout in
// appenddirname (a manifest, one base RDB, incremental command files).
type aofState struct {
	opened bool
	// gen changes whenever the AOF is (re)opened or closed, so a rewrite
	// started on an older generation is dropped when it ends.
	gen         int64
	lastOpenTry int64 // Unix seconds; a failed lazy open is retried once a second
	openTried   bool

	manifest aofManifest
	file     vfs.File // the last incr file, open for appending
	buf      []byte   // aof_buf: fed, not yet written
	selDB    int      // db of the last SELECT written; -1 forces one

	incrSize      int64 // bytes written to the current incr file
	fsyncedOffset int64 // incrSize at the last successful fsync
	lastFsync     int64 // Unix seconds
	baseSize      int64
	writeErr      error // aof_last_write_status: set while writes fail
	fsyncErr      error // a failed everysec fsync (aof_bio_fsync_status)

	rewriteScheduled bool
	rewriteOK        bool
	rewrites         int64
	lastRewriteSec   int64
}

func (a *aofState) init() {
	a.selDB = -1
	a.rewriteOK = true
	a.lastRewriteSec = -1
}

func (a *aofState) closeFile() {
	if a.file != nil {
		_ = a.file.Close()
		a.file = nil
	}
	a.opened = false
	a.gen++
}

func (n *Node) aofPath(name string) string { return path.Join(n.cfg.AppendDirname, name) }

func (n *Node) manifestName() string { return n.cfg.AppendFilename + ".manifest" }

// feedAOF appends the encoded commands of one propagated unit for db to the
// AOF buffer, after a SELECT when the AOF's db differs. It runs on masters
// and replicas alike. While the AOF is not open nothing is buffered: the
// open writes a base from the dataset, which already holds these writes.
func (n *Node) feedAOF(db int, cmds []byte) {
	if !n.cfg.AppendOnly || n.down {
		return
	}
	p := n.persist()
	if p.loading {
		return
	}
	a := &p.aof
	if !a.opened {
		n.aofTryOpen()
		return
	}
	if db != a.selDB {
		a.buf = resp.AppendCommandStrings(a.buf, "SELECT", strconv.Itoa(db))
		a.selDB = db
	}
	a.buf = append(a.buf, cmds...)
}

// flushAOF writes the AOF buffer (and syncs it per appendfsync) before any
// reply leaves the node, as beforeSleep does. Under appendfsync always a
// failed write or fsync ends the process: the node goes down and the
// replies waiting in this flush are never sent. Under everysec or no a
// failed write keeps the unwritten part buffered and makes writes fail
// with MISCONF until a later write succeeds.
func (n *Node) flushAOF() {
	if !n.cfg.AppendOnly || n.down {
		return
	}
	p := n.persist()
	if p.loading {
		return
	}
	if !p.aof.opened {
		n.aofTryOpen()
		if !p.aof.opened {
			return
		}
	}
	n.aofFlushOpen()
}

// aofFlushOpen is flushAOF's work on an open AOF.
func (n *Node) aofFlushOpen() {
	a := &n.ps.aof
	now := n.nowSec()
	policy := n.cfg.AppendFsync
	if len(a.buf) == 0 {
		// Nothing to write; fsync what an earlier write left unsynced
		// when the policy says it is time.
		if a.fsyncedOffset == a.incrSize || policy == "no" || (policy != "always" && now <= a.lastFsync) {
			return
		}
	} else if !n.aofWrite() {
		return
	}
	switch policy {
	case "always":
		if err := a.file.Sync(); err != nil {
			n.env.Logf("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", strerror(err))
			n.exitNow(false)
			return
		}
		a.fsyncedOffset = a.incrSize
		a.lastFsync = now
	case "no":
	default:
		if now > a.lastFsync {
			n.aofFsyncEverysec()
			a.lastFsync = now
		}
	}
}

// aofWrite writes the buffer once; it reports whether all of it went out.
func (n *Node) aofWrite() bool {
	a := &n.ps.aof
	k, err := a.file.Write(a.buf)
	if err == nil && k < len(a.buf) {
		err = errShortWrite
	}
	if err != nil {
		if k > 0 {
			err = fmt.Errorf("%w (wrote %d of %d bytes): %w", errShortWrite, k, len(a.buf), err)
		}
		if n.cfg.AppendFsync == "always" {
			n.env.Logf("Error writing to the AOF file: %s", strerror(err))
			n.env.Logf("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
			n.exitNow(false)
			return false
		}
		if a.writeErr == nil {
			n.env.Logf("Error writing to the AOF file: %s", strerror(err))
		}
		a.writeErr = err
		// The vfs cannot truncate the partial write away (Redis tries
		// ftruncate), so it stays and the rest follows it later, as Redis
		// does when ftruncate fails.
		a.incrSize += int64(k)
		a.buf = append(a.buf[:0], a.buf[k:]...)
		return false
	}
	if a.writeErr != nil {
		n.env.Logf("AOF write error looks solved, Redis can write again.")
		a.writeErr = nil
	}
	a.incrSize += int64(k)
	a.buf = a.buf[:0]
	return true
}

// aofFsyncEverysec is the once-a-second fsync (a background fsync in
// Redis). A failure makes writes fail with MISCONF; unlike Redis 7.0.15,
// which retries only after new data is written, it is retried a second
// later and success clears the error.
func (n *Node) aofFsyncEverysec() {
	a := &n.ps.aof
	if err := a.file.Sync(); err != nil {
		if a.fsyncErr == nil {
			n.env.Logf("Fail to fsync the AOF file: %s", strerror(err))
		}
		a.fsyncErr = err
		return
	}
	a.fsyncErr = nil
	a.fsyncedOffset = a.incrSize
}

// aofFlushAndSync writes and fsyncs everything, whatever the policy
// (SHUTDOWN). It reports an fsync failure.
func (n *Node) aofFlushAndSync() error {
	a := &n.ps.aof
	if n.down || !a.opened {
		return nil
	}
	n.aofFlushOpen()
	if n.down {
		return nil
	}
	if len(a.buf) > 0 {
		return a.writeErr
	}
	if err := a.file.Sync(); err != nil {
		n.env.Logf("Fail to fsync the AOF file: %s.", strerror(err))
		return err
	}
	a.fsyncedOffset = a.incrSize
	return nil
}

// aofStop turns the AOF off (stopAppendOnly, for CONFIG SET appendonly
// no): a running rewrite is killed, the buffer written and fsynced, the
// file closed. Turning it on again later reopens it from a fresh base.
func (n *Node) aofStop() {
	p := n.persist()
	if p.child == childAOF {
		n.killChild()
	}
	if p.aof.opened {
		_ = n.aofFlushAndSync()
	}
	p.aof.closeFile()
	p.aof.buf = p.aof.buf[:0]
	p.aof.writeErr, p.aof.fsyncErr = nil, nil
	p.aof.openTried = false
}

// aofAfterFullSync restarts the AOF after a replica loaded its master's
// RDB (restartAOFAfterSYNC): the old files describe a dataset that is
// gone, so the AOF is reopened from a new base of the loaded dataset.
func (n *Node) aofAfterFullSync() {
	if !n.cfg.AppendOnly {
		return
	}
	p := n.persist()
	if p.child == childAOF {
		n.killChild()
	}
	p.aof.closeFile()
	p.aof.buf = p.aof.buf[:0]
	p.aof.openTried = false
	n.aofTryOpen()
}

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
		n.env.Logf("Can't open the append-only file: %v", err)
	}
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
	data, err := n.env.FS().ReadFile(name)
	if errors.Is(err, vfs.ErrNotExist) {
		return aofManifest{}, nil
	}
	if err != nil {
		return aofManifest{}, fmt.Errorf("reading the AOF manifest %s: %w", name, err)
	}
	return parseManifest(name, data)
}

// persistManifest writes m through a temp file and syncs the directory.
func (n *Node) persistManifest(m *aofManifest) error {
	tmp := n.aofPath("temp-" + n.manifestName())
	return writeFileAtomic(n.env.FS(), tmp, n.aofPath(n.manifestName()), []byte(m.String()), nil)
}

// writeBase writes the current dataset as base file name.
func (n *Node) writeBase(name string) (int64, error) {
	p := n.persist()
	p.tempSeq++
	tmp := n.aofPath("temp-rewriteaof-" + strconv.FormatInt(p.tempSeq, 10) + ".aof")
	data := rdb.Append(nil, n.aofBaseSnapshot(), n.rdbOptions())
	if err := writeFileAtomic(n.env.FS(), tmp, n.aofPath(name), data, nil); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

// aofOpenFresh opens the AOF as a synchronous rewrite: a new base from the
// dataset and a new empty incr file; every file the old manifest listed
// becomes history and is deleted. Used when the AOF is opened without a
// Load and after a full resync.
func (n *Node) aofOpenFresh() error {
	if err := n.aofMkdir(); err != nil {
		return err
	}
	old, err := n.readManifest()
	if err != nil {
		n.env.Logf("Ignoring the AOF manifest on disk: %v", err)
		old = aofManifest{}
	}
	m := old.clone()
	base := m.newBase(n.cfg.AppendFilename)
	size, err := n.writeBase(base)
	if err != nil {
		return err
	}
	for _, ai := range m.incr {
		ai.typ = aofTypeHist
		m.history = append(m.history, ai)
	}
	m.incr = nil
	return n.aofStart(&m, m.newIncr(n.cfg.AppendFilename), size, true)
}

// aofStart opens incr (creating or, when create is set, truncating it),
// persists m and makes the AOF state point at it; then it deletes the
// history files.
func (n *Node) aofStart(m *aofManifest, incr string, baseSize int64, create bool) error {
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
	a.manifest = *m
	a.buf = a.buf[:0]
	a.selDB = -1
	a.incrSize, a.fsyncedOffset = size, size
	a.lastFsync = n.nowSec()
	a.baseSize = baseSize
	a.writeErr, a.fsyncErr = nil, nil
	n.env.Logf("Opening AOF incr file %s", incr)
	n.aofDeleteHistory()
	return nil
}

// aofDeleteHistory removes the history files and drops them from the
// manifest (aofDelHistoryFiles). Failures are logged.
func (n *Node) aofDeleteHistory() {
	a := &n.ps.aof
	if len(a.manifest.history) == 0 {
		return
	}
	fs := n.env.FS()
	for _, h := range a.manifest.history {
		n.env.Logf("Removing the history file %s", h.name)
		if err := fs.Remove(n.aofPath(h.name)); err != nil && !errors.Is(err, vfs.ErrNotExist) {
			n.env.Logf("Can't remove the history file %s: %v", h.name, err)
		}
	}
	m := a.manifest.clone()
	m.history = nil
	if err := n.persistManifest(&m); err != nil {
		n.env.Logf("Can't persist the AOF manifest after removing history files: %v", err)
		return
	}
	a.manifest = m
}
