package node

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

func init() {
	register(
		&command{name: "slaveof", arity: 3, flags: flagAdmin | flagStale, fn: replicaofCommand},
		&command{name: "replicaof", arity: 3, flags: flagAdmin | flagStale, fn: replicaofCommand},
	)
}

func replicaofCommand(n *Node, c *client, args [][]byte) {
	host, portArg := string(args[1]), string(args[2])
	if strings.EqualFold(host, "no") && strings.EqualFold(portArg, "one") {
		if n.repl.isReplica() {
			n.unsetMaster()
			n.logNotice("MASTER MODE enabled (user request from '%s')", n.clientInfo(c))
		}
		c.addOK()
		return
	}
	port, err := strconv.ParseInt(portArg, 10, 64)
	if err != nil || port < 0 || port > 65535 {
		c.addError(errInvalidPort)
		return
	}
	if n.repl.masterHost == host && n.repl.masterPort == int(port) {
		n.logNotice("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
		c.addSimple("OK Already connected to specified master")
		return
	}
	n.setMaster(host, int(port), true)
	n.logNotice("REPLICAOF %s:%d enabled (user request from '%s')", host, port, n.clientInfo(c))
	c.addOK()
}

// setMaster makes the node a replica of host:port. fromCommand says whether
// a running node is switched (it then offers its own history with PSYNC).
func (n *Node) setMaster(host string, port int, fromCommand bool) {
	r := &n.repl
	wasMaster := !r.isReplica()
	r.masterHost = "" // dropping the link must not reconnect
	r.dropLink()
	r.masterHost, r.masterPort = host, port
	// Replicas stay attached, as in Redis: they may continue with us
	// (chained); a full sync or a new replication ID from the new master
	// disconnects them later.
	n.unblockAll()
	if wasMaster && fromCommand {
		n.logNotice("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")
		r.cachedValid = true // PSYNC with our own replid/offset
	}
	// repl_down_since stays: a link up was just lost (now), one down
	// stays down since when it went (replicationSetMaster leaves it).
	r.state = replConnect
	if fromCommand {
		n.logNotice("Connecting to MASTER %s:%d", host, port)
		r.connect()
	}
}

// unsetMaster is SLAVEOF NO ONE: keep the data, start a new history that
// continues the old one, and make sub-replicas reconnect.
func (n *Node) unsetMaster() {
	defer n.tapPromote()()
	r := &n.repl
	cached := r.cachedValid || r.state == replConnected
	r.masterHost, r.masterPort = "", 0 // dropping the link must not reconnect
	r.dropLink()
	if cached {
		n.logNotice("Discarding previously cached master state.")
	}
	r.state = replNone
	r.downSince = 0 // ready for the next REPLICAOF (replicationUnsetMaster)
	r.shiftReplID()
	if !n.bug(BugNoReplidShift) {
		n.logWarning("Setting secondary replication ID to %s, valid up to offset: %d. New replication ID is %s", r.replid2, r.secondOffset, r.replid)
	}
	r.disconnectReplicas()
	r.noReplicasSince = n.nowMs()
	r.selDB = -1
	if n.bug(BugPromoteFlushes) {
		for _, db := range n.dbs {
			db.clear()
		}
	}
	// A sync whose load failed left the AOF stopped; the promoted node
	// turns it on again, as restartAOFAfterSYNC after a good sync.
	if n.cfg.AppendOnly && !n.persist().aof.enabled() {
		n.aofRestartTry(1)
	}
}

// dropLink closes the master link or an ongoing dial, if any. A streaming
// link is lost as when the master closes it (linkLost runs, and reconnects
// unless the caller cleared masterHost first).
func (r *replication) dropLink() {
	if r.dialConn != 0 {
		r.n.env.Close(r.dialConn)
		r.dialConn = 0
	}
	r.resetTransfer()
	if c := r.link; c != nil {
		if r.state != replConnected {
			r.link = nil
		}
		r.n.freeClient(c, true)
	}
}

func (r *replication) resetTransfer() {
	r.rdbLen, r.lenRead = -1, false
	r.rdbBuf = nil
	r.eofMark = nil
	r.appliedPos = 0
}

// linkLost runs when the master link closes for any reason. A streaming
// link is cached for a partial resync and, while the node is still a
// replica, reconnected at once, as Redis's replicationCacheMaster and
// replicationHandleMasterDisconnection do, and so is one lost during the
// transfer (readSyncBulkPayload's failed read); one lost during the
// handshake waits for the cron.
func (r *replication) linkLost() {
	n := r.n
	if r.link != nil && r.state == replConnected {
		r.streamDB = r.link.db
	}
	r.link = nil
	r.resetTransfer()
	if n.down {
		return // exiting: nothing to log or reconnect
	}
	if r.state != replConnected {
		if r.state == replTransfer {
			// readSyncBulkPayload's read fails, and
			// cancelReplicationHandshake(1) reconnects at once.
			n.logWarning("I/O error trying to sync with MASTER: connection lost")
			if r.isReplica() {
				r.state = replConnect
				n.logNotice("Reconnecting to MASTER %s:%d after failure", r.masterHost, r.masterPort)
				r.connect()
				return
			}
		}
		if r.state >= replRecvPing && r.state <= replRecvPsync && r.peerClosed {
			// The handshake reads each reply synchronously
			// (receiveSynchronousResponse); a connection closed under it
			// fails the read, and syncWithMaster gives the attempt up.
			// Redis prints strerror(errno) ("Success" after a clean EOF);
			// the environment's error says how the connection ended, as
			// for a failed dial.
			why := "Success"
			if r.closeErr != nil {
				why = r.closeErr.Error()
			}
			n.logWarning("Failed to read response from the server: %s", why)
			if r.state == replRecvPsync {
				n.logWarning("Master did not reply to PSYNC, will try later")
			} else {
				n.logWarning("Master did not respond to command during SYNC handshake")
			}
		}
		if r.isReplica() {
			r.state = replConnect
		}
		return
	}
	n.logWarning("Connection with master lost.")
	if r.protoErr && !n.bug(BugCachesCorruptMaster) {
		r.cachedValid = false
		r.downSince = n.nowSec()
		r.state = replConnect
		return
	}
	n.logNotice("Caching the disconnected master state.")
	r.downSince = n.nowSec()
	r.cachedValid = true
	r.state = replConnect
	if r.isReplica() {
		n.logNotice("Reconnecting to MASTER %s:%d", r.masterHost, r.masterPort)
		r.connect()
	}
}

// cancelHandshake is cancelReplicationHandshake(1), after a failed transfer
// or a timeout of the handshake or the transfer: the attempt is given up
// after logging why, and a new one starts at once rather than at the next
// cron.
func (r *replication) cancelHandshake(why string) {
	r.abort(why)
	if r.state == replConnect && r.isReplica() && !r.n.down {
		r.n.logNotice("Reconnecting to MASTER %s:%d after failure", r.masterHost, r.masterPort)
		r.connect()
	}
}

// abort gives up the current attempt after logging why (at warning level,
// unless why is empty); the cron retries (syncWithMaster's error path).
func (r *replication) abort(why string) {
	if why != "" {
		r.n.logWarning("%s", why)
	}
	streaming := r.state == replConnected
	r.dropLink()
	if !streaming {
		r.state = replConnect
	}
}

// protocolError drops a streaming master link whose bytes make no sense.
// Redis's setProtocolError logs why, at warning level for its master,
// with the client's CLIENT LIST line and the unparsed input; freeClient
// then does not cache a master freed for a protocol error
// (CLIENT_PROTOCOL_ERROR): the next sync asks "PSYNC ? -1", from the
// cron, as after any link lost uncached (replicationHandleMasterDisconnection).
func (r *replication) protocolError(reason string, c *client, at int) {
	r.n.logWarning("Protocol error (%s) from client: %s. %s", reason, r.n.clientInfo(c), queryBufferSample(c.in[at:]))
	r.protoErr = true
	r.dropLink()
	r.protoErr = false
}

// connect starts a connection to the master (Redis's connectWithMaster).
func (r *replication) connect() {
	r.dialConn = r.n.env.Dial(r.masterHost + ":" + strconv.Itoa(r.masterPort))
	r.state = replConnecting
	r.lastIO = r.n.nowMs()
	r.n.logNotice("MASTER <-> REPLICA sync started")
}

// OnDialed reports the outcome of a Dial.
func (n *Node) OnDialed(id ConnID, err error) {
	if n.wakeIfDue() {
		n.holdEvent(func() { n.OnDialed(id, err) })
		return
	}
	r := &n.repl
	if id != r.dialConn || r.state != replConnecting {
		if err == nil {
			n.env.Close(id)
		}
		return
	}
	r.dialConn = 0
	if err != nil {
		n.logWarning("Error condition on socket for SYNC: %v", err)
		r.state = replConnect
		return
	}
	n.logNotice("Non blocking connect for SYNC fired the event.")
	c := n.addClient(id)
	c.isMasterLink = true
	// Its peer is the master (monitors and CLIENT LIST show it, as
	// Redis's getClientPeerId of the master's connection).
	c.addr = r.masterHost + ":" + strconv.Itoa(r.masterPort)
	c.authed = true
	r.link = c
	// No lastIO: Redis's handshake timeout counts from connectWithMaster.
	r.send(resp.AppendCommandStrings(nil, "PING"))
	r.state = replRecvPing
	n.flush()
}

func (r *replication) send(p []byte) {
	c := r.link
	c.out = append(c.out, p...)
	c.markPending()
}

// masterLinkData handles bytes from our master: handshake replies, the RDB
// transfer, then the command stream.
func (n *Node) masterLinkData(c *client, p []byte) {
	r := &n.repl
	r.lastIO = n.nowMs()
	c.in = append(c.in, p...)
	for !c.dead && r.link == c {
		switch r.state {
		case replConnected:
			n.applyStream(c)
			return
		case replTransfer:
			if !r.readTransfer(c) {
				return
			}
		default:
			line, ok := r.readLine(c)
			if !ok {
				return
			}
			r.handshakeReply(line)
		}
	}
}

// readLine takes one CRLF- or LF-terminated line off the link's input.
func (r *replication) readLine(c *client) (string, bool) {
	i := bytes.IndexByte(c.in, '\n')
	if i < 0 {
		return "", false
	}
	// syncReadLine drops one '\r' before the newline, no more.
	line := string(bytes.TrimSuffix(c.in[:i], []byte("\r")))
	c.consumeInput(i + 1)
	return line, true
}

func (r *replication) handshakeReply(line string) {
	n := r.n
	switch r.state {
	case replRecvPing:
		// syncWithMaster takes any line but "+..." and the two
		// authentication errors for an error, a blank line too (a
		// keepalive is no reply here: redis-server 7.0.15 drops the link
		// on "\n" before +PONG). C prints the line up to its first NUL.
		if (line == "" || line[0] != '+') && !strings.HasPrefix(line, "-NOAUTH") && !strings.HasPrefix(line, "-NOPERM") &&
			!strings.HasPrefix(line, "-ERR operation not permitted") {
			shown, _, _ := strings.Cut(line, "\x00")
			r.abort("Error reply to PING from master: '" + shown + "'")
			return
		}
		n.logNotice("Master replied to PING, replication can continue...")
		var out []byte
		if n.cfg.MasterAuth != "" && !n.bug(BugIgnoreMasterAuth) {
			out = resp.AppendCommandStrings(out, "AUTH", n.cfg.MasterAuth)
		}
		out = resp.AppendCommandStrings(out, "REPLCONF", "listening-port", strconv.Itoa(n.cfg.Port))
		out = resp.AppendCommandStrings(out, "REPLCONF", "capa", "eof", "capa", "psync2")
		r.send(out)
		if n.cfg.MasterAuth != "" && !n.bug(BugIgnoreMasterAuth) {
			r.state = replRecvAuth
		} else {
			r.state = replRecvPort
		}
	case replRecvAuth:
		if strings.HasPrefix(line, "-") {
			r.abort("Unable to AUTH to MASTER: " + line)
			return
		}
		r.state = replRecvPort
	case replRecvPort:
		if strings.HasPrefix(line, "-") {
			n.logNotice("(Non critical) Master does not understand REPLCONF listening-port: %s", line)
		}
		r.state = replRecvCapa
	case replRecvCapa:
		if strings.HasPrefix(line, "-") {
			n.logNotice("(Non critical) Master does not understand REPLCONF capa: %s", line)
		}
		id, off := "?", int64(-1)
		if r.cachedValid {
			id, off = r.replid, r.offset+1
			n.logNotice("Trying a partial resynchronization (request %s:%d).", id, off)
		} else {
			n.logNotice("Partial resynchronization not possible (no cached master)")
		}
		r.send(resp.AppendCommandStrings(nil, "PSYNC", id, strconv.FormatInt(off, 10)))
		r.state = replRecvPsync
	case replRecvPsync:
		r.psyncReply(line)
	}
}

func (r *replication) psyncReply(line string) {
	n := r.n
	switch {
	case line == "":
		// keepalive while the master prepares
	case strings.HasPrefix(line, "+FULLRESYNC"):
		// "+FULLRESYNC <replid> <offset>", read as Redis's
		// slaveTryPartialResynchronization does: the replid runs from the
		// first blank to the next and must be 40 bytes; the offset is
		// strtoll's. A reply it cannot read still means a full resync:
		// Redis blanks the master's replid (so that no later PSYNC
		// succeeds with it) and keeps the offset unknown (-1), and reads
		// the transfer.
		replid, off, ok := "", int64(-1), false
		if i := strings.IndexByte(line, ' '); i >= 0 {
			if j := strings.IndexByte(line[i+1:], ' '); j == 40 {
				replid, off, ok = line[i+1:i+1+j], strtoll(line[i+2+j:]), true
			}
		}
		if ok {
			n.logNotice("Full resync from master: %s:%d", replid, off)
		} else {
			n.logWarning("Master replied with wrong +FULLRESYNC syntax.")
		}
		r.fullReplid, r.fullOffset = replid, off
		r.resetTransfer()
		r.state = replTransfer
	case strings.HasPrefix(line, "+CONTINUE"):
		n.logNotice("Successful partial resynchronization with master.")
		f := strings.Fields(line)
		if len(f) == 2 && f[1] != r.replid {
			n.logWarning("Master replication ID changed to %s", f[1])
			r.replid2 = r.replid
			r.secondOffset = r.offset + 1
			r.replid = f[1]
			r.disconnectReplicas()
		}
		if r.backlog == nil {
			// A replica restarted from an RDB resumes its history without
			// a backlog: make one, or the stream's bytes would not count.
			r.createBacklog()
		}
		n.logNotice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")
		r.linkEstablished()
	case strings.HasPrefix(line, "-NOMASTERLINK"), strings.HasPrefix(line, "-LOADING"):
		n.logNotice("Master is currently unable to PSYNC but should be in the future: %s", line)
		r.abort("")
	default:
		// Not understood: fall back to SYNC, as Redis does. The stream's
		// offset is then unknown (-1, Redis's master_initial_offset), and
		// the load takes fullReplid as it stands: the last +FULLRESYNC's
		// ID in this process, blank before any (Redis's master_replid).
		if strings.HasPrefix(line, "-ERR") {
			n.logNotice("Master does not support PSYNC or is in error state (reply: %s)", line)
		} else {
			n.logWarning("Unexpected reply to PSYNC from master: %s", line)
		}
		n.logNotice("Retrying with SYNC...")
		r.send([]byte("SYNC\r\n"))
		r.fullOffset = -1
		r.resetTransfer()
		r.state = replTransfer
	}
}

// transferRead is Redis's repl_transfer_read: the bytes of the transfer
// read so far.
func (r *replication) transferRead() int64 { return int64(len(r.rdbBuf)) }

// readTransfer consumes RDB bytes; it returns true once the RDB is loaded
// and the link streams.
func (r *replication) readTransfer(c *client) bool {
	for !r.lenRead {
		line, ok := r.readLine(c)
		if !ok {
			return false
		}
		if line == "" || line[0] == 0 {
			// "\r\n" (or a line C reads as empty, its first byte NUL)
			// is a keepalive too, as readSyncBulkPayload takes it.
			continue
		}
		if line[0] == '-' {
			r.cancelHandshake("MASTER aborted replication with an error: " + line[1:])
			return false
		}
		if line[0] != '$' {
			r.cancelHandshake("Bad protocol from MASTER, the first byte is not '$' (we received '" + line + "'), are you sure the host and port are right?")
			return false
		}
		if strings.HasPrefix(line, "$EOF:") && len(line) >= 5+40 {
			r.eofMark = []byte(line[5 : 5+40]) // a longer mark's first 40 bytes
			r.rdbLen, r.lenRead = 0, true
			r.n.logNotice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
		} else {
			// Redis takes any length strtol reads ("$abc" is 0, "$-5"
			// is -5). -1 is its repl_transfer_size before a header, so
			// after "$-1" the next line is read as the header again
			// (redis-server 7.0.15: "$-1" then a PING is "Bad protocol
			// from MASTER, ... (we received '*1')").
			r.rdbLen = strtoll(line[1:])
			r.lenRead = r.rdbLen != -1
			r.n.logNotice("MASTER <-> REPLICA sync: receiving %d bytes from master to disk", r.rdbLen)
		}
	}
	var payload []byte
	if r.eofMark == nil && r.rdbLen <= 0 {
		// Redis reads min(left, 16 KiB) bytes of a length-counted
		// transfer (readSyncBulkPayload), and left is never above 0 here:
		// the transfer waits until a byte after the header makes the
		// socket readable, or for repl-timeout. Then read() of 0 bytes
		// returns 0, which connSocketRead takes for the master's close;
		// a negative count is a size_t Linux refuses with EFAULT. Either
		// is an I/O error that ends the transfer (redis-server 7.0.15
		// behind a scripted master: "$0", "$abc" or "$EOF:<16 bytes>"
		// then a PING logs "connection lost", "$-5" then a PING "Bad
		// address").
		if len(c.in) == 0 {
			return false
		}
		why := "connection lost"
		if r.rdbLen < 0 {
			why = "Bad address"
		}
		r.cancelHandshake("I/O error trying to sync with MASTER: " + why)
		return false
	}
	if r.eofMark != nil {
		r.rdbBuf = append(r.rdbBuf, c.in...)
		c.consumeInput(len(c.in))
		if !bytes.HasSuffix(r.rdbBuf, r.eofMark) {
			return false
		}
		payload = r.rdbBuf[:len(r.rdbBuf)-len(r.eofMark)]
	} else {
		need := int(r.rdbLen) - len(r.rdbBuf)
		if need > len(c.in) {
			r.rdbBuf = append(r.rdbBuf, c.in...)
			c.consumeInput(len(c.in))
			return false
		}
		r.rdbBuf = append(r.rdbBuf, c.in[:need]...)
		c.consumeInput(need)
		payload = r.rdbBuf
	}
	return r.loadTransferred(payload, r.eofMark != nil)
}

func (r *replication) loadTransferred(payload []byte, diskless bool) bool {
	n := r.n
	snap, err := rdb.Parse(payload)
	if err != nil {
		r.cancelHandshake("Failed trying to load the MASTER synchronization DB from socket: " + err.Error())
		return false
	}
	// The transfer goes to disk (repl-diskless-load disabled): the file
	// is written as the bytes arrive, before anything is flushed, and
	// renamed over dbfilename.
	// Redis fsyncs and renames it once it flushed the old data; the node,
	// which parses the payload before flushing too, does it before, so a
	// failed step leaves the dataset the checker knows the replica holds.
	sf, why := n.writeSyncFile(payload)
	if why == "" {
		why = n.installSyncFile(sf)
	}
	if why != "" {
		if strings.HasPrefix(why, "Opening the temp file") {
			// Redis opens the temp file before its PSYNC, and a failure
			// there takes syncWithMaster's error path: no reconnect.
			r.abort(why)
		} else {
			r.cancelHandshake(why)
		}
		return false
	}
	if r.cachedValid {
		n.logNotice("Discarding previously cached master state.")
	}
	r.disconnectReplicas()
	// stopAppendOnly before the load; restartAOFAfterSYNC turns it on
	// again after it.
	if n.persist().aof.enabled() {
		n.aofStop()
	}
	if !n.bug(BugFullSyncNoFlush) {
		n.logNotice("MASTER <-> REPLICA sync: Flushing old data")
		for _, db := range n.dbs {
			db.clear()
		}
		n.replExp.flush()
	}
	n.logNotice("MASTER <-> REPLICA sync: Loading DB in memory")
	n.logRDBAux(snap)
	if err := n.loadSnapshot(snap); err != nil {
		r.cancelHandshake("Failed trying to load the MASTER synchronization DB: " + err.Error())
		return false
	}
	n.logRDBDone(snap, 0)
	n.aofAfterFullSync()
	if n.down {
		return false // reopening the AOF failed and the node exited (its exit freed the link)
	}
	// The stream continues in the db the RDB says (repl-stream-db), as
	// Redis's replicationCreateMasterClient does.
	r.streamDB = 0
	if v, ok := snap.AuxValue("repl-stream-db"); ok {
		if db, err := strconv.Atoi(v); err == nil && db >= 0 && db < len(n.dbs) {
			r.streamDB = db
		}
	}
	r.replid = r.fullReplid
	r.offset = r.fullOffset
	r.replid2 = zeroReplID
	r.secondOffset = -1
	r.backlog = newBacklog(n.cfg.ReplBacklogSize, r.offset)
	// A master that did not say where the stream starts (SYNC, or a
	// +FULLRESYNC Redis could not read) is CLIENT_PRE_PSYNC in Redis
	// (replicationCreateMasterClient): no periodic ACKs go to it.
	r.prePsync = r.fullOffset == -1
	n.tapFullSync(snap)
	r.resetTransfer()
	n.logNotice("MASTER <-> REPLICA sync: Finished with success")
	r.linkEstablished()
	if diskless {
		r.sendAck()
	}
	return true
}

// linkEstablished starts streaming. The stream continues in the db it had
// selected before the link dropped (0 after a full sync, where the master
// forces a SELECT anyway), as Redis's cached master client does.
func (r *replication) linkEstablished() {
	r.state = replConnected
	r.downSince = 0
	r.cachedValid = true
	r.link.db = r.streamDB
	r.appliedPos = 0
	r.lastIO = r.n.nowMs()
}

// masterLinkLimits: Redis exempts its master's stream from
// proto-max-bulk-len.
var masterLinkLimits = resp.Limits{MaxBulkLen: math.MaxInt64}

// applyStream executes the master's commands and forwards exactly the bytes
// applied to our own replicas. Inside MULTI nothing counts as applied until
// EXEC: c.in keeps the bytes from r.appliedPos (fed so far) on, and parsing
// resumes at c.qpos (taken so far), within one event's budget.
func (n *Node) applyStream(c *client) {
	r := &n.repl
	end := n.inputEnd(c)
	for c.qpos < end && r.link == c {
		args, k, err := c.parser.Parse(c.in[c.qpos:end], c.argv[:0], &masterLinkLimits, false)
		if err != nil {
			var pe *resp.ProtocolError
			reason := err.Error()
			if errors.As(err, &pe) {
				reason = pe.Reason()
			}
			c.addError("ERR " + err.Error())
			r.protocolError(reason, c, c.qpos+c.parser.Parsed())
			return
		}
		if k == 0 {
			break
		}
		if c.in[c.qpos] != '*' && inlineQueryLen(c.in[c.qpos:c.qpos+k]) > 0 {
			// Masters send inline text only as keepalive newlines.
			n.logWarning("WARNING: Receiving inline protocol from master, master stream corruption? Closing the master connection and discarding the cached master.")
			r.protocolError("Master using the inline protocol. Desync?", c, c.qpos)
			return
		}
		c.qpos += k
		if len(args) == 0 {
			// A blank line or an empty multibulk: Redis only resets the
			// client, and the offset takes it in with the next command
			// (commandProcessed sets reploff from the read position).
			continue
		}
		c.argv = args
		n.execute(c, args)
		c.releaseArgv()
		if r.link != c {
			return
		}
		if !c.inMulti || n.bug(BugOffsetInsideMulti) {
			r.feedRaw(c.in[r.appliedPos:c.qpos])
			r.appliedPos = c.qpos
		}
	}
	if r.link != c {
		return
	}
	n.inputLeft(c, end)
	r.appliedPos -= c.compactInput(r.appliedPos)
}

// inlineQueryLen is the length of an inline request without its line end.
func inlineQueryLen(req []byte) int {
	n := len(req) - 1 // the '\n'
	if n > 0 && req[n-1] == '\r' {
		n--
	}
	return n
}

// sendAck tells the master how far we applied. Its callers hold an
// established link (replConnected).
func (r *replication) sendAck() { r.sendAckAt(r.offset) }

func (r *replication) sendAckAt(off int64) {
	r.send(resp.AppendCommandStrings(nil, "REPLCONF", "ACK", strconv.FormatInt(off, 10)))
}

// replicaCron is the replica side of replicationCron: connect, time out,
// and ACK once a second. Timeouts count whole seconds, as Redis compares
// time(NULL) with repl_transfer_lastio and lastinteraction (both
// server.unixtime when set).
func (r *replication) replicaCron(now int64) {
	n := r.n
	switch {
	case r.state == replConnect:
		n.logNotice("Connecting to MASTER %s:%d", r.masterHost, r.masterPort)
		r.connect()
	case r.state >= replConnecting && r.state <= replRecvPsync:
		// Any byte from the master (keepalive newlines too) counts as I/O.
		if wholeSeconds(r.lastIO, now) > n.cfg.ReplTimeoutSec {
			r.cancelHandshake("Timeout connecting to the MASTER...")
		}
	case r.state == replTransfer:
		if wholeSeconds(r.lastIO, now) > n.cfg.ReplTimeoutSec {
			r.cancelHandshake("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.")
		}
	case r.state == replConnected:
		if wholeSeconds(r.lastIO, now) > n.cfg.ReplTimeoutSec {
			n.logWarning("MASTER timeout: no data nor PING received...")
			r.dropLink()
			return
		}
		if !n.bug(BugAckOnlyOnGetack) && !r.prePsync {
			r.sendAck()
		}
	}
}

// replicationCron runs once a second.
func (n *Node) replicationCron() {
	now := n.nowMs()
	if n.repl.isReplica() {
		n.repl.replicaCron(now)
	}
	n.repl.masterCron(now)
	n.repl.cronLoops++
}
