package node

import (
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/replsim/replsim/tap"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/vfs"
)

// Replica states as INFO shows them on the master.
const (
	slaveWaitBgsave = "wait_bgsave"
	slaveSendBulk   = "send_bulk"
	slaveOnline     = "online"
)

// replicaState is what a master knows about one attached replica.
type replicaState struct {
	state         string
	addr          string // remote address as the transport reported it
	announcedIP   string // REPLCONF ip-address
	listeningPort int
	capaEOF       bool
	capaPsync2    bool
	ackOffset     int64
	ackTime       int64 // ms
	// pending holds the stream while the replica waits for its RDB.
	pending []byte
	// rdbOut is how much of the client's output is the RDB transfer (and
	// what preceded it), and streamSent how many bytes went to the
	// environment after it: client-output-buffer-limit counts the stream,
	// not the RDB, as Redis writes the RDB to the socket directly.
	rdbOut     int
	streamSent int64
	// holdUntilAck keeps the stream after a diskless RDB until the first ACK.
	holdUntilAck bool
	attached     bool
	// waitStart is Redis's SLAVE_STATE_WAIT_BGSAVE_START: the replica
	// waits for a BGSAVE for SYNC to start (the diskless delay, or a child
	// already running). It gets no stream until then.
	waitStart bool
	// psyncOffset is the offset its +FULLRESYNC named (psync_initial_offset).
	psyncOffset int64
	// plainSync: the replica used SYNC, so no +FULLRESYNC line.
	plainSync bool
}

// feed sends stream bytes to the replica, or keeps them until its RDB is
// out. A replica whose snapshot has not started yet gets nothing: the
// snapshot will contain these writes.
func (s *replicaState) feed(c *client, p []byte) {
	if s.waitStart {
		return
	}
	if s.state != slaveOnline || s.holdUntilAck {
		s.pending = append(s.pending, p...)
		c.markPending() // so that flush checks its output buffer limit
		return
	}
	c.out = append(c.out, p...)
	c.markPending()
}

// isReplica says whether c is one of the master's replicas (Redis's
// CLIENT_SLAVE, set by SYNC or PSYNC): a client that only sent REPLCONF
// has replica state but is a normal client.
func (c *client) isReplica() bool { return c.replica != nil && c.replica.attached }

func (c *client) replicaInfo() *replicaState {
	if c.replica == nil {
		c.replica = &replicaState{listeningPort: 0}
	}
	return c.replica
}

func init() {
	register(
		&command{name: "replconf", arity: -1, flags: flagAdmin | flagStale, fn: replconfCommand},
		&command{name: "psync", arity: -3, flags: flagAdmin | flagNoMulti, fn: psyncCommand},
		&command{name: "sync", arity: 1, flags: flagAdmin | flagNoMulti, fn: syncCommand},
	)
}

func replconfCommand(n *Node, c *client, args [][]byte) {
	if len(args)%2 == 0 {
		c.addError(errSyntax)
		return
	}
	for i := 1; i < len(args); i += 2 {
		opt := strings.ToLower(string(args[i]))
		val := string(args[i+1])
		switch opt {
		case "listening-port":
			port, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				c.addError(errNotInteger)
				return
			}
			c.replicaInfo().listeningPort = int(port)
		case "ip-address":
			c.replicaInfo().announcedIP = val
		case "capa":
			rs := c.replicaInfo()
			switch strings.ToLower(val) {
			case "eof":
				rs.capaEOF = true
			case "psync2":
				rs.capaPsync2 = true
			}
		case "ack":
			if !c.isReplica() {
				return
			}
			off, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return
			}
			rs := c.replica
			if off > rs.ackOffset {
				rs.ackOffset = off
			}
			rs.ackTime = n.nowMs()
			if t, ok := n.env.(tap.AckTap); ok {
				t.ReplicaAcked(c.addr, off)
			}
			if rs.holdUntilAck {
				rs.holdUntilAck = false
				c.out = append(c.out, rs.pending...)
				rs.pending = nil
				c.markPending()
			}
			n.wakeWaiters()
			return // no reply to ACK
		case "getack":
			// From any client, not only the master (replconfCommand):
			// the ACK goes to the master whenever the link is up.
			if n.repl.state == replConnected {
				n.repl.sendAckAt(n.repl.offset)
			}
			return
		default:
			c.addError("ERR Unrecognized REPLCONF option: " + string(args[i]))
			return
		}
	}
	c.addOK()
}

func syncCommand(n *Node, c *client, args [][]byte) {
	psyncCommand(n, c, [][]byte{[]byte("sync"), []byte("?"), []byte("-1")})
}

// psyncCommand answers a replica's PSYNC: +CONTINUE when the requested
// history is in the backlog, +FULLRESYNC and an RDB otherwise.
func psyncCommand(n *Node, c *client, args [][]byte) {
	r := &n.repl
	if c.isReplica() && !n.bug(BugResyncAttached) {
		return
	}
	if r.isReplica() && r.state != replConnected {
		c.addError("NOMASTERLINK Can't SYNC while not connected with my master")
		return
	}
	if len(c.out) > 0 {
		c.addError(errPendingOutput)
		return
	}
	n.logNotice("Replica %s asks for synchronization", replicaName(c))
	plain := strings.EqualFold(string(args[0]), "sync")
	replid := string(args[1])
	if !plain {
		off, ok := parseInt(args[2])
		if !ok {
			n.logWarning("Replica %s asks for synchronization but with a wrong offset", replicaName(c))
			c.addError(errNotInteger)
			return
		}
		if r.tryPartial(c, replid, off) {
			n.stats.syncPartialOK++
			return
		}
		if replid != "?" {
			n.stats.syncPartialErr++
		}
	}
	n.stats.syncFull++
	rs := c.replicaInfo()
	rs.addr = c.addr
	rs.attached = true
	rs.state = slaveWaitBgsave
	r.replicas = append(r.replicas, c)
	if r.backlog == nil {
		r.replid = n.randomID()
		r.replid2 = zeroReplID
		r.secondOffset = -1
		r.createBacklog()
		n.logNotice("Replication backlog created, my new replication IDs are '%s' and '%s'", r.replid, r.replid2)
	}
	rs.plainSync = plain
	rs.waitStart = true
	delay := n.disklessDelay()
	p := n.persist()
	switch {
	case n.bug(BugForkPerReplica) && !(n.cfg.ReplDisklessSync && rs.capaEOF && delay > 0):
		// The planted slip: a child of its own, whatever runs.
		n.startBgsaveForReplication(rs.capaEOF)
	case p.child == childRDB && !p.childSocket:
		// syncCommand's CASE 1: a BGSAVE to disk runs. The replica can
		// share it if another replica registers the stream since its
		// fork and it has at least that replica's capabilities.
		var other *replicaState
		for _, o := range r.replicas {
			if o != c && o.replica.state == slaveWaitBgsave && !o.replica.waitStart {
				other = o.replica
				break
			}
		}
		if other != nil && (rs.capaEOF || !other.capaEOF) && (rs.capaPsync2 || !other.capaPsync2) {
			// copyReplicaOutputBuffer, then the other's initial offset.
			rs.pending = append([]byte(nil), other.pending...)
			n.setupFullResync(c, other.psyncOffset)
			n.logNotice("Waiting for end of BGSAVE for SYNC")
		} else {
			n.logNotice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC")
		}
	case p.child == childRDB:
		// CASE 2: the running BGSAVE writes to other replicas' sockets.
		n.logNotice("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC")
	case n.cfg.ReplDisklessSync && rs.capaEOF && delay > 0:
		// Wait for more replicas to arrive, as Redis does, before the
		// fork: replicationCron starts it once the delay has passed or
		// repl-diskless-sync-max-replicas wait (startPendingFork).
		n.logNotice("Delay next BGSAVE for diskless SYNC")
	case p.child == childNone:
		n.startBgsaveForReplication(rs.capaEOF)
	default:
		n.logNotice("No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed")
	}
}

// setupFullResync is replicationSetupSlaveForFullResync: the replica
// waits for the end of the running BGSAVE and gets the stream from offset
// off (its +FULLRESYNC), with a SELECT forced into the stream.
func (n *Node) setupFullResync(c *client, off int64) {
	rs := c.replica
	r := &n.repl
	rs.waitStart = false
	rs.psyncOffset = off
	if !n.bug(BugNoSelectAfterFullSync) {
		r.selDB = -1
	}
	if !rs.plainSync {
		c.out = append(c.out, "+FULLRESYNC "+r.replid+" "+strconv.FormatInt(off, 10)+"\r\n"...)
		c.markPending()
	}
}

// startPendingFork is replicationStartPendingFork
// (shouldStartChildReplication): with no child running, one BGSAVE for
// SYNC for every replica waiting for one to start, once one of them has
// been idle the diskless delay, enough of them wait
// (repl-diskless-sync-max-replicas), or at once without diskless sync.
func (n *Node) startPendingFork() {
	if n.persist().child != childNone {
		return
	}
	now := n.nowSec()
	waiting, eof, maxIdle := int64(0), true, int64(0)
	for _, c := range n.repl.replicas {
		rs := c.replica
		if rs.state != slaveWaitBgsave || !rs.waitStart {
			continue
		}
		waiting++
		eof = eof && rs.capaEOF
		// A waiting replica sends nothing: its idle time counts from its
		// request (server.unixtime - lastinteraction, whole seconds, with
		// the delay in force now).
		maxIdle = max(maxIdle, now-c.lastInteraction/1000)
	}
	if waiting == 0 {
		return
	}
	most := n.cfg.ReplDisklessSyncMaxReplicas
	if !n.cfg.ReplDisklessSync || (most > 0 && waiting >= most) || maxIdle >= n.disklessDelay() {
		n.startBgsaveForReplication(eof)
	}
}

// disklessDelay is repl-diskless-sync-delay, in seconds.
func (n *Node) disklessDelay() int64 {
	if n.bug(BugSlowDisklessHandoff) {
		return n.cfg.ReplTimeoutSec
	}
	return n.cfg.ReplDisklessSyncDelay
}

// startBgsaveForReplication forks the one RDB child for every replica
// waiting for a BGSAVE to start: to their sockets with diskless sync when
// all of them (mincapa) read an EOF-marked payload, else to disk
// (startBgsaveForReplication, rdbSaveToSlavesSockets,
// rdbSaveBackground). The snapshot is taken now; the stream from this
// instant waits in each replica's pending until the job ends.
func (n *Node) startBgsaveForReplication(eof bool) {
	r := &n.repl
	p := n.persist()
	socket := n.cfg.ReplDisklessSync && eof
	if socket {
		n.logNotice("Starting BGSAVE for SYNC with target: replicas sockets")
	} else {
		n.logNotice("Starting BGSAVE for SYNC with target: disk")
	}
	var targets []*client
	for _, c := range r.replicas {
		if c.replica.state == slaveWaitBgsave && c.replica.waitStart {
			targets = append(targets, c)
			n.setupFullResync(c, r.offset)
		}
	}
	snap := n.snapshot(true)
	opts := rdb.Options{Compress: n.cfg.RDBCompression, Checksum: n.cfg.RDBChecksum}
	cancel := new(atomic.Bool)
	p.child, p.childSocket, p.childStart, p.childCancel = childRDB, socket, n.nowSec(), cancel
	var payload []byte
	var pid int
	var tmp, name string
	if !socket {
		// rdbSaveBackground to server.rdb_filename: the file a replica is
		// sent is the node's dump.rdb, saved as a BGSAVE saves it, and
		// counted in rdb_saves as one.
		p.rdbSaves++
		p.dirtyBeforeBgsave = n.dirty
		p.lastBgsaveTry = n.nowSec()
		p.tempSeq++
		tmp, name = "temp-"+strconv.FormatInt(p.tempSeq, 10)+".rdb", n.cfg.DBFilename
	}
	n.startSaveJob(func(fs vfs.FS) error {
		payload = rdb.Append(nil, snap, opts)
		if socket {
			return nil
		}
		return writeFileAtomic(fs, tmp, name, payload, cancel)
	}, func(err error) {
		if cancel.Load() {
			return
		}
		n.replSaveDone(pid, tmp, payload, socket, targets, err)
	})
	pid = n.childPID()
	if socket {
		n.logNotice("Background RDB transfer started by pid %d", pid)
	} else {
		n.logNotice("Background saving started by pid %d", pid)
	}
}

// replSaveDone ends a BGSAVE for SYNC (backgroundSaveDoneHandler,
// updateSlavesWaitingBgsave): the replicas waiting for its end get the
// payload, then a pending BGSAVE for SYNC may start
// (checkChildrenDone). A transfer to sockets goes to the replicas it
// started for that are still there; a save to disk to every replica
// attached to it.
func (n *Node) replSaveDone(pid int, tmp string, payload []byte, socket bool, targets []*client, err error) {
	p := n.persist()
	// backgroundSaveDoneHandler times every RDB child, to disk or to
	// sockets (rdb_save_time_last).
	p.lastBgsaveTimeSec = n.nowSec() - p.childStart
	if !socket {
		// backgroundSaveDoneHandlerDisk, as for any BGSAVE; a failed one
		// fails the replicas waiting for it (updateSlavesWaitingBgsave).
		if err != nil {
			p.child, p.childCancel = childNone, nil
			n.logRDBSaveFailure(pid, tmp, len(payload), err)
			n.logWarning("Background saving error")
			p.lastBgsaveOK = false
			n.failWaitingSyncs()
			n.startPendingFork()
			return
		}
		n.dirty -= p.dirtyBeforeBgsave
		p.lastSave = n.nowSec()
		p.lastBgsaveOK = true
	}
	p.child, p.childSocket, p.childCancel = childNone, false, nil
	var up []*client
	if socket {
		for _, c := range targets {
			if !c.dead && c.replica.state == slaveWaitBgsave && !c.replica.waitStart {
				up = append(up, c)
			}
		}
		if len(up) == 0 {
			// rdbPipeReadHandler kills the child when no replica is left.
			n.logWarning("Diskless rdb transfer, last replica dropped, killing fork child.")
			n.logWarning("Background transfer terminated by signal %d", sigUSR1)
		} else {
			n.logWarning("Diskless rdb transfer, done reading from pipe, %d replicas still up.", len(up))
			n.logNotice("Background RDB transfer terminated with success")
		}
	} else {
		n.logChild(pid, LogNotice, "DB saved on disk")
		n.logNotice("Background saving terminated with success")
		for _, c := range n.repl.replicas {
			if c.replica.state == slaveWaitBgsave && !c.replica.waitStart {
				up = append(up, c)
			}
		}
	}
	for _, c := range up {
		n.sendRDB(c, payload, socket)
	}
	n.startPendingFork()
}

// sigUSR1 is the signal Redis kills an RDB child with (killRDBChild).
const sigUSR1 = 10

// killRDBChild is killRDBChild plus the child's reaping
// (reapKilledRDB).
func (n *Node) killRDBChild() {
	p := n.persist()
	if p.child != childRDB {
		return
	}
	socket := p.childSocket
	n.killChild()
	n.reapKilledRDB(socket)
}

// reapKilledRDB is checkChildrenDone reaping an RDB child killed with
// SIGUSR1 (backgroundSaveDoneHandler): no error status, and the replicas
// waiting for its end lose their sync (updateSlavesWaitingBgsave with an
// error). A replica waiting for a BGSAVE to start gets one at the next
// cron (checkChildrenDone).
func (n *Node) reapKilledRDB(socket bool) {
	p := n.persist()
	p.lastBgsaveTimeSec = n.nowSec() - p.childStart
	if socket {
		n.logWarning("Background transfer terminated by signal %d", sigUSR1)
	} else {
		n.logWarning("Background saving terminated by signal %d", sigUSR1)
	}
	n.failWaitingSyncs()
	p.reaped = true
}

// failWaitingSyncs drops the replicas waiting for the end of a BGSAVE
// that failed or was killed (updateSlavesWaitingBgsave with an error).
func (n *Node) failWaitingSyncs() {
	var drop []*client
	for _, c := range n.repl.replicas {
		if c.replica.state == slaveWaitBgsave && !c.replica.waitStart {
			drop = append(drop, c)
		}
	}
	for _, c := range drop {
		// freeClientAsync: the connection goes after the line.
		n.logWarning("SYNC failed. BGSAVE child returned an error")
		n.freeClient(c, true)
	}
}

// tryPartial continues a replica's stream from the backlog if PSYNC2 allows.
func (r *replication) tryPartial(c *client, replid string, off int64) bool {
	n := r.n
	if replid != r.replid && !(replid == r.replid2 && off <= r.secondOffset) {
		switch {
		case strings.HasPrefix(replid, "?"):
			n.logNotice("Full resync requested by replica %s", replicaName(c))
		case replid != r.replid2:
			n.logNotice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '%s', my replication IDs are '%s' and '%s')", replid, r.replid, r.replid2)
		default:
			n.logNotice("Partial resynchronization not accepted: Requested offset for second ID was %d, but I can reply up to %d", off, r.secondOffset)
		}
		return false
	}
	inRange := r.backlog != nil && r.backlog.has(off)
	if r.backlog != nil && n.bug(BugBacklogRangeBySize) {
		// The planted slip (redis#1271): the window is computed from the
		// configured size, not from the history the backlog holds, so an
		// offset older than its first byte is "in range" and the replica
		// continues with a gap.
		inRange = off >= r.offset+1-r.backlog.size && off <= r.offset+1
		if inRange && off < r.backlog.first {
			off = r.backlog.first
		}
	}
	if !inRange {
		n.logNotice("Unable to partial resync with replica %s for lack of backlog (Replica request was: %d).", replicaName(c), off)
		if off > r.offset {
			n.logWarning("Warning: replica %s tried to PSYNC with an offset that is greater than the master replication offset.", replicaName(c))
		}
		return false
	}
	rs := c.replicaInfo()
	rs.addr = c.addr
	rs.attached = true
	rs.state = slaveOnline
	rs.ackTime = r.n.nowMs()
	r.replicas = append(r.replicas, c)
	r.refreshGoodReplicas()
	if rs.capaPsync2 {
		c.out = append(c.out, "+CONTINUE "+r.replid+"\r\n"...)
	} else {
		c.out = append(c.out, "+CONTINUE\r\n"...)
	}
	backlog := r.backlog.from(off)
	n.tapBacklog(c, off, backlog)
	c.out = append(c.out, backlog...)
	c.markPending()
	n.logNotice("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from offset %d.", replicaName(c), len(backlog), off)
	return true
}

// replicaName is how Redis names a replica in its log
// (replicationGetSlaveName): its IP (or the one it announced) and the port
// it listens on.
func replicaName(c *client) string {
	ip := hostOf(c.addr)
	port := 0
	if rs := c.replica; rs != nil {
		if rs.announcedIP != "" {
			ip = rs.announcedIP
		}
		port = rs.listeningPort
	}
	if port == 0 {
		return ip + ":<unknown-replica-port>"
	}
	if strings.Contains(ip, ":") {
		ip = "[" + ip + "]"
	}
	return ip + ":" + strconv.Itoa(port)
}

// sendRDB ships a finished snapshot to replica c, then the stream it missed.
func (n *Node) sendRDB(c *client, payload []byte, diskless bool) {
	rs := c.replica
	if diskless {
		mark := []byte(n.randomID())
		c.out = append(c.out, "$EOF:"...)
		c.out = append(c.out, mark...)
		c.out = append(c.out, "\r\n"...)
		c.out = append(c.out, payload...)
		c.out = append(c.out, mark...)
		rs.holdUntilAck = true
		n.logNotice("Streamed RDB transfer with replica %s succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming", replicaName(c))
		// updateSlavesWaitingBgsave puts it online at once
		// (replicaPutOnline logs it); the first ACK only starts the
		// stream (replicaStartCommandStream, silent).
		n.logNotice("Synchronization with replica %s succeeded", replicaName(c))
	} else {
		c.out = append(c.out, '$')
		c.out = strconv.AppendInt(c.out, int64(len(payload)), 10)
		c.out = append(c.out, "\r\n"...)
		c.out = append(c.out, payload...)
		if n.bug(BugCRLFAfterRDB) {
			c.out = append(c.out, "\r\n"...)
		}
	}
	rs.rdbOut, rs.streamSent = len(c.out), 0
	rs.state = slaveOnline
	rs.ackTime = n.nowMs()
	n.repl.refreshGoodReplicas()
	if !rs.holdUntilAck {
		c.out = append(c.out, rs.pending...)
		rs.pending = nil
		n.logNotice("Synchronization with replica %s succeeded", replicaName(c))
	}
	c.markPending()
}

// masterCron is the master side of replicationCron: pings, keepalives and
// timeouts for attached replicas.
func (r *replication) masterCron(now int64) {
	n := r.n
	// Redis's run 0 comes a millisecond after start, before any replica
	// can attach; this node's comes at its first tick, so it skips it.
	period := n.cfg.ReplPingPeriodSec
	if n.bug(BugPingPeriodOffByOne) {
		period++
	}
	if len(r.replicas) > 0 && !r.isReplica() && r.cronLoops > 0 && r.cronLoops%period == 0 {
		n.feedStream(r.selDB, resp.AppendCommandStrings(nil, "ping"))
	}
	for i := 0; i < len(r.replicas); i++ {
		c := r.replicas[i]
		rs := c.replica
		if rs.state == slaveWaitBgsave {
			c.out = append(c.out, '\n')
			c.markPending()
			continue
		}
		// A replica that used SYNC sends no ACKs (CLIENT_PRE_PSYNC): it is
		// never timed out.
		// Whole seconds, as Redis's server.unixtime - repl_ack_time.
		if rs.state == slaveOnline && !rs.plainSync && wholeSeconds(rs.ackTime, now) > n.cfg.ReplTimeoutSec {
			n.logWarning("Disconnecting timedout replica (streaming sync): %s", replicaName(c))
			n.freeClient(c, true)
			i--
		}
	}
	r.backlogTTLCron(now)
	n.startPendingFork()
	r.refreshGoodReplicas()
}

// hostOf is the host part of a "host:port" or "[v6]:port" address.
func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}
