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

// rdbOptions are the write options from rdbcompression and rdbchecksum.
func (n *Node) rdbOptions() rdb.Options {
	return rdb.Options{Compress: n.cfg.RDBCompression, Checksum: n.cfg.RDBChecksum}
}

// replStreamDB is rdbPopulateSaveInfo: whether an RDB saved now carries
// the replication ID and offset, and the stream's selected db. A master
// has them once it has a backlog; a replica once it has (or had) a master
// link; while the link is down, the db its stream had selected.
func (n *Node) replStreamDB() (int, bool) {
	r := &n.repl
	if !r.isReplica() {
		if r.backlog == nil {
			return 0, false
		}
		if r.selDB < 0 {
			return 0, true
		}
		return r.selDB, true
	}
	if r.link != nil && r.linkUp() {
		return r.link.db, true
	}
	return r.streamDB, r.cachedValid
}

// saveSnapshot captures the dataset for SAVE/BGSAVE, with the replication
// AUX fields when replStreamDB says so.
func (n *Node) saveSnapshot() *rdb.Snapshot {
	s := n.snapshot(false)
	if db, ok := n.replStreamDB(); ok {
		s.Aux = rdb.StandardReplAux("7.0.15", n.nowSec(), 1<<20, db, n.repl.replid, n.repl.offset)
	}
	return s
}

// writeFileAtomic writes data to tmp, syncs it, renames it to name and
// syncs name's directory, as rdbSave does. On failure the temp file is
// removed and the error names the step. A set cancel stops the job before
// it touches name.
func writeFileAtomic(fs vfs.FS, tmp, name string, data []byte, cancel *atomic.Bool) error {
	if err := writeFileRenamed(fs, tmp, name, data, cancel); err != nil {
		return err
	}
	if err := fs.SyncDir(path.Dir(name)); err != nil {
		return &fileStepError{step: stepSyncDir, what: "fsync directory of " + name, err: err}
	}
	return nil
}

// writeFileRenamed is writeFileAtomic without the directory's sync.
func writeFileRenamed(fs vfs.FS, tmp, name string, data []byte, cancel *atomic.Bool) error {
	if err := writeSynced(fs, tmp, data); err != nil {
		_ = fs.Remove(tmp)
		return err
	}
	if cancel != nil && cancel.Load() {
		_ = fs.Remove(tmp)
		return errors.New("killed")
	}
	if err := fs.Rename(tmp, name); err != nil {
		_ = fs.Remove(tmp)
		return &fileStepError{step: stepRename, what: "rename " + tmp + " to " + name, err: err}
	}
	return nil
}

// writeSynced creates name with data and fsyncs it.
func writeSynced(fs vfs.FS, name string, data []byte) error {
	f, err := fs.Create(name)
	if err != nil {
		return &fileStepError{step: stepCreate, what: "create " + name, err: err}
	}
	if err := writeAll(f, data); err != nil {
		_ = f.Close()
		return &fileStepError{step: stepWrite, what: "write " + name, err: err}
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return &fileStepError{step: stepFsync, what: "fsync " + name, err: err}
	}
	if err := f.Close(); err != nil {
		return &fileStepError{step: stepClose, what: "close " + name, err: err}
	}
	return nil
}

// writeAll writes p in full: a vfs File writes all of p or returns an
// error (io.Writer's contract; os.File writes on after a short write, as
// rio does), so a short write is its error.
func writeAll(f vfs.File, p []byte) error {
	_, err := f.Write(p)
	return err
}

// rdbSave is Redis's synchronous rdbSave: the whole dataset to dbfilename
// through a temp file. On success the dataset counts as saved.
func (n *Node) rdbSave() error {
	p := n.persist()
	p.tempSeq++
	tmp := "temp-" + strconv.FormatInt(p.tempSeq, 10) + ".rdb"
	data := rdb.Append(nil, n.saveSnapshot(), n.rdbOptions())
	if err := writeFileAtomic(n.saveFS(n.env.FS()), tmp, n.cfg.DBFilename, data, nil); err != nil {
		n.logRDBSaveFailure(0, tmp, len(data), err)
		return err
	}
	n.logNotice("DB saved on disk")
	n.dirty = 0
	p.lastSave = n.nowSec()
	p.lastBgsaveOK = true
	return nil
}

// bgsave is rdbSaveBackground: snapshot now, write in a background job. It
// returns false if a child is already running.
func (n *Node) bgsave() bool {
	p := n.persist()
	if p.child != childNone {
		return false
	}
	p.rdbSaves++
	p.dirtyBeforeBgsave = n.dirty
	p.lastBgsaveTry = n.nowSec()
	p.tempSeq++
	tmp := "temp-" + strconv.FormatInt(p.tempSeq, 10) + ".rdb"
	snap := n.saveSnapshot()
	opts := n.rdbOptions()
	name := n.cfg.DBFilename
	cancel := new(atomic.Bool)
	p.child, p.childSocket, p.childStart, p.childCancel = childRDB, false, n.nowSec(), cancel
	var pid int
	var size int
	saveFS := n.saveFS
	n.startSaveJob(func(fs vfs.FS) error {
		data := rdb.Append(nil, snap, opts)
		size = len(data)
		return writeFileAtomic(saveFS(fs), tmp, name, data, cancel)
	}, func(err error) {
		if cancel.Load() {
			return
		}
		n.bgsaveDone(pid, tmp, size, err)
		n.startPendingFork()
	})
	pid = n.childPID()
	n.logNotice("Background saving started by pid %d", pid)
	return true
}

func (n *Node) bgsaveDone(pid int, tmp string, size int, err error) {
	p := n.persist()
	p.child, p.childCancel = childNone, nil
	p.lastBgsaveTimeSec = n.nowSec() - p.childStart
	if err != nil {
		n.logRDBSaveFailure(pid, tmp, size, err)
		n.logWarning("Background saving error")
		p.lastBgsaveOK = false
		return
	}
	n.logChild(pid, LogNotice, "DB saved on disk")
	n.logNotice("Background saving terminated with success")
	n.dirty -= p.dirtyBeforeBgsave
	p.lastSave = n.nowSec()
	p.lastBgsaveOK = true
}

// killChild stops a running BGSAVE or AOF rewrite without an error status,
// as killRDBChild / killAppendOnlyChild do. With no child it changes
// nothing: every child's end already cleared what it resets.
func (n *Node) killChild() {
	p := n.persist()
	if p.child == childAOF {
		// killAppendOnlyChild (stopAppendOnly, a full sync's restart of
		// the AOF, SHUTDOWN).
		n.logNotice("Killing running AOF rewrite child: %d", p.childPid)
		_ = n.env.FS().Remove(p.childTemp)
	}
	if p.childCancel != nil {
		p.childCancel.Store(true)
	}
	p.child, p.childSocket, p.childCancel = childNone, false, nil
}

// flushallSave is what FLUSHALL does for persistence in Redis 7.0.15
// (flushAllDataAndResetRDB): kill a running BGSAVE and, when save rules
// exist, save the now empty dataset synchronously, which zeroes the change
// count (FLUSHALL propagates regardless). flushallCommand calls it right
// after emptying the dataset.
func (n *Node) flushallSave() {
	n.killRDBChild() // an RDB child only
	if len(n.cfg.Save) > 0 {
		_ = n.rdbSave()
	}
}

// readRDBFile reads the RDB file name whole, as rdbLoad does: fopen, an
// fstat for the loading progress (whose failure only leaves the size
// unknown), then reads. It logs Redis's lines for what fails: the open as
// loadDataFromDisk does ("Fatal error loading the DB: <strerror>.
// Exiting."), a read as rdbLoadRio's eoferr does, at offset 0, with
// rdbReportReadError's line, whose rdb.c line number is the one
// redis-server 7.0.15 as Debian builds it prints (checked with a directory
// named dump.rdb: fopen succeeds, the read fails); redis-check-rdb's
// report, which Redis runs then, is left out, as for a checksum error. A missing file is
// vfs.ErrNotExist, unlogged. Only a start logs (atStart): DEBUG RELOAD
// answers its error, and its rdbLoad logs nothing for an open that fails.
func (n *Node) readRDBFile(name string, atStart bool) ([]byte, error) {
	fs := n.env.FS()
	f, err := fs.Open(name)
	if errors.Is(err, vfs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		err = fmt.Errorf("opening %s: %w", name, err)
		if !atStart {
			return nil, err
		}
		n.logWarning("Fatal error loading the DB: %s. Exiting.", strerror(err))
		return nil, &loggedError{err}
	}
	defer f.Close()
	var data []byte
	if size, err := fs.Stat(name); err == nil {
		buf := make([]byte, size+1)
		var k int
		k, err = f.Read(buf)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, n.rdbReadFailed(name, err, atStart)
		}
		data = buf[:k]
	} else if data, err = readWhole(f); err != nil {
		return nil, n.rdbReadFailed(name, err, atStart)
	}
	return data, nil
}

// rdbReadFailed logs, at a start, rdbLoadRio's lines for a read of the RDB
// file that failed (its first read: the node reads the file at once), and
// returns the error.
func (n *Node) rdbReadFailed(name string, err error, atStart bool) error {
	err = fmt.Errorf("reading %s: %w", name, err)
	if !atStart {
		return err
	}
	n.logWarning("Short read or OOM loading DB. Unrecoverable error, aborting now.")
	n.logWarning("Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file")
	return &loggedError{err}
}

// loadRDB reads dbfilename at startup. A missing file is an empty dataset;
// anything unreadable is an error naming the file (and, for a corrupt
// file, the offset), and nothing is loaded. A master drops keys already
// expired; a replica keeps them for its master to expire.
func (n *Node) loadRDB() error { return n.loadRDBFile(true) }

// loadRDBFile loads the RDB file; withRepl applies its replication info
// too (loadDataFromDisk at startup), which DEBUG RELOAD does not (its
// rdbLoad gets no rdbSaveInfo: the node's history stays as it was).
func (n *Node) loadRDBFile(withRepl bool) error {
	name := n.cfg.DBFilename
	data, err := n.readRDBFile(name, withRepl)
	if errors.Is(err, vfs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	snap, err := rdb.Parse(data)
	if err != nil {
		err = fmt.Errorf("loading %s: %w", name, err)
		if n.logRDBChecksumError(data, err) {
			return &loggedError{err}
		}
		return err
	}
	n.logRDBAux(snap)
	master := !n.repl.isReplica()
	now := n.nowMs()
	var dropped []rdb.DB
	if master {
		kept := make([]rdb.DB, 0, len(snap.DBs))
		for _, db := range snap.DBs {
			live := rdb.DB{Index: db.Index}
			gone := rdb.DB{Index: db.Index}
			for _, e := range db.Entries {
				if e.ExpireAtMs != 0 && e.ExpireAtMs < now {
					gone.Entries = append(gone.Entries, e)
				} else {
					live.Entries = append(live.Entries, e)
				}
			}
			kept = append(kept, live)
			if len(gone.Entries) > 0 {
				dropped = append(dropped, gone)
			}
		}
		snap = &rdb.Snapshot{Aux: snap.Aux, DBs: kept}
	}
	// Loading gives TTLs with no client (rdbLoad's setExpire(NULL, ...)):
	// a writable replica's DEBUG RELOAD does not make the loaded keys its
	// own to expire.
	track := n.replExp.on
	n.replExp.on = false
	err = n.loadSnapshot(snap)
	n.replExp.on = track
	if err != nil {
		return fmt.Errorf("loading %s: %w", name, err)
	}
	p := n.persist()
	p.loadKeysLoaded, p.loadKeysExpired = 0, 0
	for _, db := range snap.DBs {
		p.loadKeysLoaded += int64(len(db.Entries))
	}
	for _, db := range dropped {
		p.loadKeysExpired += int64(len(db.Entries))
	}
	n.logNotice("Done loading RDB, keys loaded: %d, keys expired: %d.", p.loadKeysLoaded, p.loadKeysExpired)
	if withRepl {
		n.restoreReplInfo(snap, dropped)
	}
	return nil
}

// restoreReplInfo applies the repl-id/repl-offset AUX fields of a loaded
// RDB as loadDataFromDisk does. A replica takes them as its own history so
// it can PSYNC. A master keeps them as its secondary ID (valid up to
// offset+1) with a backlog starting there, so its former replicas can
// continue partially; the DELs of the keys it dropped as expired go into
// that backlog.
func (n *Node) restoreReplInfo(snap *rdb.Snapshot, dropped []rdb.DB) {
	id, off, streamDB, ok := snap.ReplInfo()
	if !ok {
		return
	}
	r := &n.repl
	if r.isReplica() {
		r.replid = id
		r.offset = off
		r.cachedValid = true
		if streamDB >= 0 && streamDB < len(n.dbs) {
			r.streamDB = streamDB
		}
		return
	}
	r.replid2 = id
	r.secondOffset = off + 1
	r.offset = off
	r.createBacklog()
	for _, db := range dropped {
		for _, e := range db.Entries {
			n.feedStream(db.Index, encodeCommand("DEL", e.Key))
		}
	}
}
