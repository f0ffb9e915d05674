package node

import (
	"errors"
	"path"
	"strconv"
	"sync/atomic"

	"github.com/replsim/replsim/vfs"
)

// aofRewriteBackground is rewriteAppendOnlyFileBackground: the buffer is
// flushed, writes move to a new incr file (recorded in the manifest; while
// the AOF waits for this rewrite to turn it on, the temp incr file, which
// the manifest does not list), and a background job writes a base from a
// snapshot taken now. When the job ends the base is renamed into place,
// the older files become history and are deleted. It returns false if the
// rewrite could not start.
func (n *Node) aofRewriteBackground() bool {
	p := n.persist()
	a := &p.aof
	if p.child != childNone || !a.enabled() {
		return false
	}
	fs := n.env.FS()
	if err := fs.MkdirAll(n.cfg.AppendDirname); err != nil {
		n.logWarning("Can't open or create append-only dir %s: %s", n.cfg.AppendDirname, strerror(err))
		a.rewriteOK = false
		return false
	}
	// Unlike Redis (dirCreateIfMissing), the node makes the directory's
	// entry durable, as at start (aofMkdir), or a crash could lose the
	// whole AOF a rewrite wrote and synced.
	_ = fs.SyncDir(path.Dir(n.cfg.AppendDirname))
	a.selDB = -1
	if a.file != nil {
		n.aofFlushOpen()
		if n.down {
			return false
		}
	}
	if !n.aofOpenNewIncr() {
		a.rewriteOK = false
		return false
	}
	p.tempSeq++
	tmp := n.aofPath("temp-rewriteaof-bg-" + strconv.FormatInt(p.tempSeq, 10) + ".aof")
	snap := n.aofBaseSnapshot()
	format := n.aofBaseFormatNow()
	cancel := new(atomic.Bool)
	p.child, p.childStart, p.childCancel, p.childTemp = childAOF, n.nowSec(), cancel, tmp
	a.rewrites++
	n.startSaveJob(func(fs vfs.FS) error {
		err := writeSynced(fs, tmp, format.encode(snap))
		if err == nil && cancel.Load() {
			err = errors.New("killed")
		}
		if err != nil {
			_ = fs.Remove(tmp)
		}
		return err
	}, func(err error) {
		if cancel.Load() {
			return
		}
		n.aofRewriteDone(tmp, format.ext(), err)
		n.startPendingFork()
	})
	p.childPid = n.childPID()
	n.logNotice("Background append only file rewriting started by pid %d", p.childPid)
	a.rewriteScheduled = false
	return true
}

// tempIncrName is getTempIncrAofName: the incr file a rewrite that will
// turn the AOF on writes to.
func (n *Node) tempIncrName() string { return "temp-" + n.cfg.AppendFilename + ".incr" }

// aofOpenNewIncr is openNewIncrAofForAppend: writes move to a new incr
// file, recorded in the manifest (persisted first), or, while the AOF
// waits for its first rewrite, to the temp incr file. The old file is
// fsynced and closed in the background, failures ignored.
func (n *Node) aofOpenNewIncr() bool {
	a := &n.ps.aof
	var m aofManifest
	name := n.tempIncrName()
	if !a.waitRewrite {
		m = a.manifest.clone()
		name = m.newIncr(n.cfg.AppendFilename)
	}
	f, err := n.env.FS().Create(n.aofPath(name))
	if err != nil {
		n.logWarning("Can't open the append-only file %s: %s", name, strerror(err))
		return false
	}
	if !a.waitRewrite {
		if err := n.persistManifest(&m); err != nil {
			n.logWarning("Can't persist the AOF manifest: %v", err)
			_ = f.Close()
			return false
		}
	}
	n.logNotice("Creating AOF incr file %s on background rewrite", name)
	if a.file != nil {
		// aof_background_fsync_and_close: a BIO_CLOSE_FILE job.
		_ = a.file.Sync()
		_ = a.file.Close()
		a.lastFsync = n.nowSec()
	}
	a.file = f
	a.incrSize, a.fsyncedOffset = 0, 0
	if !a.waitRewrite {
		a.manifest = m
	}
	return true
}

// aofRewriteDone is backgroundRewriteDoneHandler.
func (n *Node) aofRewriteDone(tmp, ext string, err error) {
	p := n.persist()
	a := &p.aof
	p.child, p.childCancel = childNone, nil
	if err != nil {
		n.logWarning("Background AOF rewrite terminated with error")
		n.aofRewriteFailed(tmp)
		return
	}
	n.logNotice("Background AOF rewrite terminated with success")
	fs := n.env.FS()
	m := a.manifest.clone()
	base := m.newBaseExt(n.cfg.AppendFilename, ext)
	if err := fs.Rename(tmp, n.aofPath(base)); err != nil {
		n.logWarning("Error trying to rename the temporary AOF base file %s into %s: %s", path.Base(tmp), n.aofPath(base), strerror(err))
		n.aofRewriteFailed(tmp)
		return
	}
	n.logNotice("Successfully renamed the temporary AOF base file %s into %s", path.Base(tmp), base)
	incr := ""
	if a.waitRewrite {
		tempIncr := n.tempIncrName()
		incr = m.newIncr(n.cfg.AppendFilename)
		if err := fs.Rename(n.aofPath(tempIncr), n.aofPath(incr)); err != nil {
			n.logWarning("Error trying to rename the temporary AOF incr file %s into %s: %s", n.aofPath(tempIncr), n.aofPath(incr), strerror(err))
			_ = fs.Remove(n.aofPath(base))
			n.aofRewriteFailed(tmp)
			return
		}
		n.logNotice("Successfully renamed the temporary AOF incr file %s into %s", tempIncr, incr)
	}
	m.incrToHistory()
	if err := n.persistManifest(&m); err != nil {
		n.logWarning("Can't persist the AOF manifest after the rewrite: %v", err)
		_ = fs.Remove(n.aofPath(base))
		if incr != "" {
			_ = fs.Remove(n.aofPath(incr))
		}
		n.aofRewriteFailed(tmp)
		return
	}
	a.manifest = m
	baseSize, _ := fs.Stat(n.aofPath(base))
	a.currentSize = baseSize + a.incrSize
	a.rewriteBaseSize = a.currentSize
	n.aofDeleteHistory()
	a.rewriteOK = true
	a.rwFailures = 0
	n.logNotice("Background AOF rewrite finished successfully")
	if a.waitRewrite {
		a.waitRewrite, a.opened = false, true
	}
	a.lastRewriteSec = n.nowSec() - p.childStart
}

// aofRewriteFailed is the failure paths of backgroundRewriteDoneHandler
// and its cleanup: while the AOF waits for this rewrite, what the temp
// incr file gathered is dropped and another rewrite is scheduled (the
// file stays open, unlinked, until the next rewrite replaces it).
func (n *Node) aofRewriteFailed(tmp string) {
	p := n.persist()
	a := &p.aof
	a.rewriteOK = false
	a.rwFailures++
	_ = n.env.FS().Remove(tmp)
	if a.waitRewrite {
		a.buf = a.buf[:0]
		n.logNotice("Removing the temp incr aof file %s in the background", n.tempIncrName())
		_ = n.env.FS().Remove(n.aofPath(n.tempIncrName()))
	}
	a.lastRewriteSec = n.nowSec() - p.childStart
	if a.waitRewrite {
		a.rewriteScheduled = true
	}
}
