package node

import (
	"errors"
	"path"
	"strconv"
	"sync/atomic"

	"github.com/replsim/replsim/vfs"
)

// aofRewriteBackground is rewriteAppendOnlyFileBackground: the buffer is
// flushed, writes move to a new incr file (recorded in the manifest), and a
// background job writes a base from a snapshot taken now. When the job
// ends the base is renamed into place, the older files become history and
// are deleted. It returns false if the rewrite could not start.
func (n *Node) aofRewriteBackground() bool {
	p := n.persist()
	a := &p.aof
	if p.child != childNone || !n.cfg.AppendOnly {
		return false
	}
	if !a.opened {
		n.aofTryOpen()
		return a.opened // the open itself was a rewrite
	}
	a.selDB = -1
	n.flushAOF()
	if n.down {
		return false
	}
	m := a.manifest.clone()
	incr := m.newIncr(n.cfg.AppendFilename)
	f, err := n.env.FS().Create(n.aofPath(incr))
	if err != nil {
		n.logWarning("Can't open the append-only file %s: %v", incr, err)
		a.rewriteOK = false
		return false
	}
	if err := n.persistManifest(&m); err != nil {
		n.logWarning("Can't persist the AOF manifest: %v", err)
		_ = f.Close()
		a.rewriteOK = false
		return false
	}
	n.logNotice("Creating AOF incr file %s on background rewrite", incr)
	if a.file != nil {
		// aof_background_fsync_and_close: a BIO_CLOSE_FILE job fsyncs and
		// closes the old incr file and ignores a failure, without a line.
		_ = a.file.Sync()
		_ = a.file.Close()
	}
	a.file, a.manifest = f, m
	a.incrSize, a.fsyncedOffset = 0, 0
	a.lastFsync = n.nowSec()

	p.tempSeq++
	tmp := n.aofPath("temp-rewriteaof-bg-" + strconv.FormatInt(p.tempSeq, 10) + ".aof")
	snap := n.aofBaseSnapshot()
	format := n.aofBaseFormatNow()
	cancel := new(atomic.Bool)
	gen := a.gen
	p.child, p.childStart, p.childCancel = childAOF, n.nowSec(), cancel
	a.rewriteScheduled = false
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
		n.aofRewriteDone(tmp, format.ext(), gen, err)
		n.startPendingFork()
	})
	p.childPid = n.childPID()
	n.logNotice("Background append only file rewriting started by pid %d", p.childPid)
	return true
}

// aofRewriteDone is backgroundRewriteDoneHandler.
func (n *Node) aofRewriteDone(tmp, ext string, gen int64, err error) {
	p := n.persist()
	a := &p.aof
	p.child, p.childCancel = childNone, nil
	a.lastRewriteSec = n.nowSec() - p.childStart
	fs := n.env.FS()
	if err == nil && (gen != a.gen || !a.opened) {
		err = errors.New("the AOF was reopened meanwhile")
	}
	if err != nil {
		n.logWarning("Background AOF rewrite terminated with error")
		_ = fs.Remove(tmp)
		a.rewriteOK = false
		return
	}
	n.logNotice("Background AOF rewrite terminated with success")
	m := a.manifest.clone()
	base := m.newBaseExt(n.cfg.AppendFilename, ext)
	if err := fs.Rename(tmp, n.aofPath(base)); err != nil {
		n.logWarning("Error trying to rename the temporary AOF base file %s into %s: %s", path.Base(tmp), n.aofPath(base), strerror(err))
		_ = fs.Remove(tmp)
		a.rewriteOK = false
		return
	}
	n.logNotice("Successfully renamed the temporary AOF base file %s into %s", path.Base(tmp), base)
	m.incrToHistory()
	if err := n.persistManifest(&m); err != nil {
		n.logWarning("Can't persist the AOF manifest after the rewrite: %v", err)
		_ = fs.Remove(n.aofPath(base))
		a.rewriteOK = false
		return
	}
	a.manifest = m
	baseSize, _ := fs.Stat(n.aofPath(base))
	a.currentSize = baseSize + a.incrSize
	a.rewriteBaseSize = a.currentSize
	n.aofDeleteHistory()
	a.rewriteOK = true
	n.logNotice("Background AOF rewrite finished successfully")
}
