package node

import (
	"errors"
	"sort"
	"sync/atomic"

	"github.com/replsim/replsim/vfs"
)

// bgsaveRetryDelay is CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the
// save rules wait this many seconds before trying again.
const bgsaveRetryDelay = 5

// childKind says which background "child" runs. Like Redis, the node runs
// at most one child at a time: a BGSAVE (for the user, a save rule or a
// replica's sync, to disk or to sockets) or an AOF rewrite.
type childKind int

const (
	childNone childKind = iota
	childRDB
	childAOF
)

// persistState is the node's RDB and AOF bookkeeping (Redis's
// server.lastsave, lastbgsave_status, aof_* fields).
type persistState struct {
	started bool

	lastSave          int64 // Unix seconds of the last successful save
	lastBgsaveTry     int64 // Unix seconds
	lastBgsaveOK      bool
	lastBgsaveTimeSec int64 // -1 until a BGSAVE ended
	rdbSaves          int64
	loadKeysLoaded    int64
	loadKeysExpired   int64

	child      childKind
	childStart int64 // Unix seconds
	childPid   int   // the pid the log named for the running child
	// childSocket: the RDB child writes to replicas' sockets (diskless
	// sync), not to disk.
	childSocket bool
	// reaped: a child was killed; a pending BGSAVE for SYNC may start at
	// the next cron (checkChildrenDone).
	reaped bool
	// childCancel tells a running job it was killed (FLUSHALL, SHUTDOWN):
	// it must not rename its file into place.
	childCancel *atomic.Bool
	// childTemp is the running AOF rewrite's temp base file, which a kill
	// removes (aofRemoveTempFile): its job may have written it already
	// and be waiting for the node to hear of it.
	childTemp         string
	dirtyBeforeBgsave int64
	bgsaveScheduled   bool
	tempSeq           int64

	// loading is set while the dataset is read at startup: nothing is fed
	// to the AOF.
	loading bool

	aof aofState
}

// persist returns the persistence state, initialising it on first use: Redis
// considers the dataset saved at startup.
func (n *Node) persist() *persistState {
	p := &n.ps
	if !p.started {
		p.started = true
		p.lastSave = n.startTime / 1000
		p.lastBgsaveOK = true
		p.lastBgsaveTimeSec = -1
		p.aof.init()
	}
	return p
}

func (n *Node) nowSec() int64 { return n.nowMs() / 1000 }

// persistCron is the persistence part of serverCron: the save rules, a
// scheduled BGSAVE or AOF rewrite.
func (n *Node) persistCron() {
	n.tapPersistCron()
	p := n.persist()
	now := n.nowSec()
	if p.reaped {
		p.reaped = false
		n.startPendingFork()
	}
	// A scheduled AOF rewrite goes first, as in serverCron.
	if p.child == childNone && p.aof.rewriteScheduled && !n.aofRewriteLimited() {
		n.aofRewriteBackground()
	}
	if p.child != childNone {
		return
	}
	for _, sp := range n.cfg.Save {
		if n.dirty >= sp.Changes && now-p.lastSave > sp.Seconds &&
			(now-p.lastBgsaveTry > bgsaveRetryDelay || p.lastBgsaveOK) {
			n.logNotice("%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds)
			n.bgsave()
			break
		}
	}
	if p.child == childNone && p.bgsaveScheduled &&
		(now-p.lastBgsaveTry > bgsaveRetryDelay || p.lastBgsaveOK) {
		if n.bgsave() {
			p.bgsaveScheduled = false
		}
	}
}

// diskErrorDenies is processCommand's stop-writes check: with a failed
// BGSAVE (and save rules and stop-writes-on-bgsave-error) or a failed AOF
// write or fsync, write commands, EXEC of a transaction with writes, and
// PING are refused with MISCONF. It returns the refusal ("" when cmd may
// run); write says whether cmd writes (for EXEC: whether it queued a
// write). Commands from our master are applied anyway (Redis would panic
// unless repl-ignore-disk-write-errors is set).
func (n *Node) diskErrorDenies(c *client, cmd *command, write bool) string {
	if c.isMasterLink || n.ps.loading {
		return ""
	}
	if !write && cmd.name != "ping" {
		return ""
	}
	return n.diskErrorMessage()
}

// diskErrorMessage is writeCommandsDeniedByDiskError plus its message; ""
// when writes are allowed.
func (n *Node) diskErrorMessage() string {
	p := n.persist()
	if n.cfg.StopWritesOnBgsaveErr && len(n.cfg.Save) > 0 && !p.lastBgsaveOK {
		return errMisconf
	}
	if p.aof.enabled() { // aof_state != AOF_OFF, not the appendonly config
		if p.aof.writeErr != nil {
			return "MISCONF Errors writing to the AOF file: " + strerror(p.aof.writeErr)
		}
		if p.aof.fsyncErr != nil {
			return "MISCONF Errors writing to the AOF file: " + strerror(p.aof.fsyncErr)
		}
	}
	return ""
}

// errShortWrite marks a write that stored only part of the data; Redis
// reports it as ENOSPC.
var errShortWrite = errors.New("short write")

// errBadFD is EBADF: an fsync of no file.
var errBadFD = errors.New("bad file descriptor")

// strerror renders a filesystem error the way strerror(errno) does.
func strerror(err error) string {
	switch {
	case errors.Is(err, vfs.ErrNoSpace), errors.Is(err, errShortWrite):
		return "No space left on device"
	case errors.Is(err, vfs.ErrIO):
		return "Input/output error"
	case errors.Is(err, vfs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, errBadFD):
		return "Bad file descriptor"
	}
	return err.Error()
}

// exitNow models the process exiting at once (exit(1) after an AOF error
// under appendfsync always, or the end of SHUTDOWN): the node goes down and
// every connection closes. Replies still pending are never sent, except
// what replicas are owed when flushReplicas is set (SHUTDOWN's best-effort
// flush of replica output buffers).
func (n *Node) exitNow(flushReplicas bool) {
	p := n.persist()
	if p.childCancel != nil {
		p.childCancel.Store(true)
	}
	p.child = childNone
	p.aof.closeFile()
	n.down = true
	ids := make([]ConnID, 0, len(n.clients))
	for id := range n.clients {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		c := n.clients[id] // freeClient takes a client out of the map
		if c == nil {
			continue
		}
		if flushReplicas && c.isReplica() && len(c.out) > 0 {
			n.env.Send(c.conn, c.out)
		}
		c.out = nil
		c.closing = true
		n.freeClient(c, true)
	}
	if n.repl.dialConn != 0 {
		n.env.Close(n.repl.dialConn)
		n.repl.dialConn = 0
	}
	for i := range n.outq {
		n.outq[i].queued = false
		n.outq[i] = nil
	}
	n.outq = n.outq[:0]
}

// loadPersisted loads the dataset from disk at startup (loadDataFromDisk):
// the AOF when appendonly is on (and then opens it for appending), else
// the RDB file. With appendonly no the AOF manifest is read all the same,
// as Redis's aofLoadManifestFromDisk does before loadDataFromDisk: a bad
// one is fatal, and a good one is what a later CONFIG SET appendonly yes
// starts from.
func (n *Node) loadPersisted() error {
	p := n.persist()
	if n.cfg.AppendOnly {
		return n.loadAOF()
	}
	m, err := n.loadManifest()
	if err != nil {
		return err
	}
	p.aof.manifest = m
	return n.loadRDB()
}
