package node

import (
	"fmt"
	"path"
	"strconv"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/vfs"
)

// aofState is the append-only file: Redis 7.0's multi-part layout in
// appenddirname (a manifest, one base RDB, incremental command files).
type aofState struct {
	// opened is aof_state AOF_ON; waitRewrite is AOF_WAIT_REWRITE, the
	// state CONFIG SET appendonly yes and a full sync's restart of the
	// AOF leave it in until the background rewrite they start succeeds
	// (startAppendOnly). Neither: AOF_OFF.
	opened      bool
	waitRewrite bool

	// manifest is server.aof_manifest: read at every start, whatever
	// appendonly says (aofLoadManifestFromDisk), then kept in memory.
	manifest aofManifest
	file     vfs.File // the last incr file, open for appending
	buf      []byte   // aof_buf: fed, not yet written
	selDB    int      // db of the last SELECT written; -1 forces one
	tsSec    int64    // the last #TS: annotation (aof-timestamp-enabled)

	incrSize      int64 // bytes written to the current incr file
	fsyncedOffset int64 // incrSize at the last successful fsync
	lastFsync     int64 // Unix seconds
	// currentSize and rewriteBaseSize are INFO's aof_current_size and
	// aof_base_size as Redis 7.0.15 keeps them (aof.c): the load sets them
	// to the sizes of all the files it read (before a truncation) and of
	// the base; a rewrite's end (the one that turns the AOF on included)
	// to the new base plus the incr file, both; every write adds to the
	// current size.
	// A start with no AOF at all leaves them 0: the base it then creates
	// is not counted.
	currentSize     int64
	rewriteBaseSize int64
	// loadedSize and loadedBase are what the last load read (aofLoaded).
	loadedSize, loadedBase int64
	writeErr               error // aof_last_write_status: set while writes fail
	// writeErrLogSec is flushAppendOnlyFile's last_write_error_log (Unix
	// seconds; 0 before the first): it logs a failed write at most once
	// every aofWriteErrorLogRate seconds.
	writeErrLogSec int64
	fsyncErr       error // a failed everysec fsync (aof_bio_fsync_status)

	rewriteScheduled bool
	rewriteOK        bool
	rewrites         int64
	lastRewriteSec   int64
	// rwFailures is stat_aofrw_consecutive_failures; rwDelayMin and
	// rwNextTry are aofRewriteLimited's state (aof_rewrite_limit.go).
	rwFailures int64
	rwDelayMin int64
	rwNextTry  int64
}

// enabled is aof_state != AOF_OFF.
func (a *aofState) enabled() bool { return a.opened || a.waitRewrite }

func (a *aofState) init() {
	a.rewriteOK = true
	a.lastRewriteSec = -1
}

func (a *aofState) closeFile() {
	if a.file != nil {
		_ = a.file.Close()
		a.file = nil
	}
	a.opened, a.waitRewrite = false, false
}

func (n *Node) aofPath(name string) string { return path.Join(n.cfg.AppendDirname, name) }

func (n *Node) manifestName() string { return n.cfg.AppendFilename + ".manifest" }

// feedAOF appends the encoded commands of one propagated unit for db to the
// AOF buffer, after a SELECT when the AOF's db differs. It runs on masters
// and replicas alike. As in feedAppendOnlyFile, nothing is buffered while
// the AOF is off, or waits for a rewrite that has not started (scheduled,
// or failed): the rewrite's snapshot, taken when it starts, holds these
// writes. A dropped feed still takes its #TS: annotation's second, so the
// next kept feed of that second has none.
func (n *Node) feedAOF(db int, cmds []byte) {
	// The AOF off (appendonly no, or stopped for a replica's load) and a
	// process that exited both leave the file closed: neither opened nor
	// waiting for a rewrite.
	p := n.persist()
	if p.loading {
		return
	}
	a := &p.aof
	if !a.enabled() {
		return
	}
	// feedAppendOnlyFile makes the annotation (genAofTimestampAnnotationIfNeeded
	// moves aof_cur_timestamp) before it decides whether to keep the feed.
	ts := false
	if now := n.nowSec(); n.cfg.AofTimestampEnabled && a.tsSec < now {
		ts, a.tsSec = true, now
	}
	if !a.opened && p.child != childAOF {
		return // AOF_WAIT_REWRITE before the rewrite's child: the feed is dropped
	}
	if ts {
		a.buf = append(a.buf, "#TS:"+strconv.FormatInt(a.tsSec, 10)+"\r\n"...)
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
// with MISCONF until a later write succeeds. While the AOF waits for its
// first rewrite, it writes to the rewrite's temp incr file, if any.
func (n *Node) flushAOF() {
	// As in feedAOF, the AOF off and a process that exited leave the file
	// closed; an open file is an enabled AOF's (closeFile turns both off).
	p := n.persist()
	if p.loading || p.aof.file == nil {
		return
	}
	n.aofFlushOpen()
}

// aofFlushOpen is flushAOF's work on an open AOF.
func (n *Node) aofFlushOpen() {
	a := &n.ps.aof
	now := n.nowSec()
	policy := n.fsyncPolicy()
	if len(a.buf) == 0 {
		// Nothing to write: retry a failed fsync once a second, whatever
		// the policy is now and even if a rewrite has since switched to a
		// new, empty incr file (nothing else would retry it, and writes
		// stay refused until it succeeds); otherwise, under everysec
		// only, fsync what an earlier write left unsynced once a second
		// (what a switch to always left unsynced waits for the next
		// write, as in Redis 7.0.15).
		if a.fsyncErr != nil && now > a.lastFsync {
			n.aofFsyncEverysec()
			a.lastFsync = now
			return
		}
		if a.fsyncedOffset == a.incrSize || policy != "everysec" || now <= a.lastFsync || n.bug(BugEverysecIdleNoFsync) {
			return
		}
	} else if !n.aofWrite() {
		return
	}
	switch policy {
	case "always":
		if n.bug(BugAlwaysAcksBeforeFsync) {
			return // the cron fsyncs it (aofAlwaysLateFsync)
		}
		if err := a.file.Sync(); err != nil {
			n.logWarning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", strerror(err))
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

// aofWriteErrorLogRate is AOF_WRITE_LOG_ERROR_RATE, in seconds.
const aofWriteErrorLogRate = 30

// aofWrite writes the buffer once; it reports whether all of it went out.
// A failure is logged as flushAppendOnlyFile does: "Short write ..." when
// part of the buffer went out, at most once every 30 seconds.
func (n *Node) aofWrite() bool {
	a := &n.ps.aof
	k, err := a.file.Write(a.buf)
	// A write that stored part of the buffer is a short write: write(2)
	// returns its count, and Redis records ENOSPC for it. A vfs File
	// returns an error with every count short of the buffer (io.Writer's
	// contract, which os.File keeps by writing on).
	short := k > 0
	if err != nil && short {
		err = fmt.Errorf("%w (wrote %d of %d bytes): %w", errShortWrite, k, len(a.buf), err)
	}
	if err != nil {
		if now := n.nowSec(); now-a.writeErrLogSec > aofWriteErrorLogRate {
			a.writeErrLogSec = now
			if short {
				n.logWarning("Short write while writing to the AOF file: (nwritten=%d, expected=%d)", k, len(a.buf))
			} else {
				n.logWarning("Error writing to the AOF file: %s", strerror(err))
			}
		}
		if n.cfg.AppendFsync == "always" {
			n.logWarning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
			n.exitNow(false)
			return false
		}
		a.writeErr = err
		// The vfs cannot truncate the partial write away (Redis tries
		// ftruncate), so it stays and the rest follows it later, as Redis
		// does when ftruncate fails.
		a.incrSize += int64(k)
		a.currentSize += int64(k)
		a.buf = append(a.buf[:0], a.buf[k:]...)
		return false
	}
	if a.writeErr != nil && !n.bug(BugAOFWriteErrorSticks) {
		n.logWarning("AOF write error looks solved, Redis can write again.")
		a.writeErr = nil
	}
	a.incrSize += int64(k)
	a.currentSize += int64(k)
	a.buf = a.buf[:0]
	return true
}

// aofAlwaysLateFsync is the planted bug BugAlwaysAcksBeforeFsync's fsync:
// under appendfsync always it runs at the cron, after the replies of the
// writes it covers went out.
func (n *Node) aofAlwaysLateFsync() {
	if !n.bug(BugAlwaysAcksBeforeFsync) || !n.cfg.AppendOnly || n.cfg.AppendFsync != "always" || n.down {
		return
	}
	a := &n.persist().aof
	if a.file == nil || !a.enabled() || a.fsyncedOffset == a.incrSize {
		return
	}
	if err := a.file.Sync(); err != nil {
		n.logWarning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", strerror(err))
		n.exitNow(false)
		return
	}
	a.fsyncedOffset = a.incrSize
	a.lastFsync = n.nowSec()
}

// aofFsyncEverysec is the once-a-second fsync (a background fsync in
// Redis). A failure makes writes fail with MISCONF; unlike Redis 7.0.15,
// which retries only after new data is written, it is retried a second
// later and success clears the error. What it covers counts as synced
// whatever comes of it, as Redis counts it when it hands the fsync to the
// background (aof_last_incr_fsync_offset, set beside
// aof_background_fsync): a switch to appendfsync always does not fsync
// it again.
func (n *Node) aofFsyncEverysec() {
	a := &n.ps.aof
	a.fsyncedOffset = a.incrSize
	if err := a.file.Sync(); err != nil {
		if a.fsyncErr == nil {
			n.logWarning("Fail to fsync the AOF file: %s", strerror(err))
		}
		a.fsyncErr = err
		return
	}
	a.fsyncErr = nil
}

// aofFlushAndSync writes and fsyncs everything, whatever the policy, as
// prepareForShutdown (shutdown) and stopAppendOnly do: the fsync runs even
// when the write failed, and a failed one is logged, with a full stop at
// shutdown only, as Redis words them. Neither caller looks at the
// outcome.
func (n *Node) aofFlushAndSync(shutdown bool) {
	a := &n.ps.aof
	if n.down {
		return
	}
	var err error
	if a.file == nil {
		// The AOF waits for a rewrite that never opened its temp incr
		// file: Redis fsyncs aof_fd -1.
		err = fmt.Errorf("fsync the AOF: %w", errBadFD)
	} else {
		n.aofFlushOpen()
		if n.down {
			return
		}
		err = a.file.Sync()
	}
	// Neither prepareForShutdown nor stopAppendOnly counts this fsync in
	// aof_last_incr_fsync_offset: a SHUTDOWN that then fails to save
	// leaves the next flush to fsync again.
	if err == nil {
		return
	}
	if shutdown {
		n.logWarning("Fail to fsync the AOF file: %s.", strerror(err))
	} else {
		n.logWarning("Fail to fsync the AOF file: %s", strerror(err))
	}
}

// aofStop turns the AOF off (stopAppendOnly, for CONFIG SET appendonly
// no and before a replica loads its master's RDB): the buffer is written
// and fsynced, the file closed, a running rewrite killed and a scheduled
// one forgotten. Turning it on again starts a new rewrite (aofStart).
// The error statuses stay (INFO keeps aof_last_write_status:err; writes
// are no longer refused for them while the AOF is off) until the start
// logs them away.
func (n *Node) aofStop() {
	p := n.persist()
	a := &p.aof
	n.aofFlushAndSync(false)
	a.closeFile()
	a.rewriteScheduled = false
	// The incr file's counts stay: whatever opens the next one (a start,
	// the rewrite that turns the AOF on) sets them first.
	if p.child == childAOF {
		n.killChild()
	}
	a.buf = a.buf[:0]
}
