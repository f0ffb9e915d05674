package node

import "encoding/hex"

// replState is the replica side's link state, after Redis's REPL_STATE_*.
type replState int

const (
	replNone       replState = iota // not a replica
	replConnect                     // must connect (the cron will)
	replConnecting                  // dial in progress
	replRecvPing                    // PING sent
	replRecvAuth                    // AUTH sent
	replRecvPort                    // REPLCONF listening-port sent
	replRecvCapa                    // REPLCONF capa sent
	replRecvPsync                   // PSYNC sent
	replTransfer                    // receiving the RDB
	replConnected                   // streaming
)

var replStateNames = [...]string{"none", "connect", "connecting", "receive_ping_reply",
	"receive_auth_reply", "receive_port_reply", "receive_capa_reply",
	"receive_psync_reply", "transfer", "connected"}

func (s replState) String() string { return replStateNames[s] }

const zeroReplID = "0000000000000000000000000000000000000000"

// replication is the node's replication state, both as a master (to the
// replicas attached to it) and as a replica (its link to its master).
type replication struct {
	n *Node

	replid       string
	replid2      string
	offset       int64 // master_repl_offset
	secondOffset int64 // second_repl_offset
	backlog      *backlog
	replicas     []*client // attached replicas, in attach order
	selDB        int       // db of the stream's last SELECT; -1 forces one
	// cronLoops counts replicationCron runs; the master pings its
	// replicas on the runs that are multiples of repl-ping-replica-period,
	// as Redis's replication_cron_loops (so a fresh or restarted master
	// does not ping the moment a replica attaches).
	cronLoops int64
	// noReplicasSince is when the node last started to have no replicas,
	// Unix ms (repl-backlog-ttl, backlog_ttl.go).
	noReplicasSince int64
	// goodReplicas counts the replicas min-replicas-to-write accepts
	// (min_replicas.go).
	goodReplicas int

	// Replica side.
	masterHost string
	masterPort int
	state      replState
	link       *client
	dialConn   ConnID
	// peerClosed is set while the master link's connection closes under
	// it (OnClosed), closeErr how (nil: the master closed it cleanly).
	peerClosed bool
	closeErr   error
	// downSince is repl_down_since: the second of the node's clock the
	// master link was lost; 0 while it has not been lost since the start,
	// the last link up, or the last REPLICAOF NO ONE.
	downSince   int64
	cachedValid bool // replid/offset may be offered with PSYNC
	// protoErr is set while a link is dropped for a protocol error: it
	// is not cached (protocolError).
	protoErr bool
	// prePsync says the master's stream came after SYNC (its offset
	// unknown): the cron sends it no ACKs (Redis's CLIENT_PRE_PSYNC).
	prePsync bool
	lastIO   int64
	// transfer: fullReplid is the last +FULLRESYNC's ID in this process
	// (Redis's master_replid, blank before any or after one of wrong
	// syntax), fullOffset the transfer's stream offset (-1 after SYNC).
	fullReplid string
	fullOffset int64
	// rdbLen is Redis's repl_transfer_size: -1 until the bulk header is
	// read (lenRead), 0 for an $EOF: transfer, else strtoll of the
	// header, which may be 0 or negative.
	rdbLen     int64
	lenRead    bool
	eofMark    []byte
	rdbBuf     []byte
	appliedPos int // bytes of link.in already applied and fed
	// streamDB is the db the master stream had selected when the link
	// dropped, so a partial resync continues in it.
	streamDB int
}

func (r *replication) init(n *Node) {
	r.n = n
	r.replid = n.randomID()
	r.replid2 = zeroReplID
	r.secondOffset = -1
	r.selDB = -1
	r.rdbLen = -1
	r.noReplicasSince = n.nowMs()
}

func (n *Node) randomID() string {
	var b [20]byte
	for i := 0; i < 20; i += 8 {
		v := n.env.Rand()
		for j := 0; j < 8 && i+j < 20; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

func (r *replication) isReplica() bool { return r.masterHost != "" }

func (r *replication) linkUp() bool { return r.state == replConnected }

// feedRaw appends bytes to the stream: backlog, offset and every replica.
// Its callers have a backlog: feedStream returns without one, and a
// replica's link comes up only with one (a full sync makes it, a partial
// resync makes it if a restart left none).
func (r *replication) feedRaw(p []byte) {
	r.tapStream(p)
	r.backlog.write(p)
	r.offset += int64(len(p))
	for _, c := range r.replicas {
		c.replica.feed(c, p)
	}
}

// createBacklog makes the backlog when the first replica attaches; a fresh
// backlog means a fresh history, so the replication ID changes.
func (r *replication) createBacklog() {
	r.backlog = newBacklog(r.n.cfg.ReplBacklogSize, r.offset)
}

// shiftReplID starts a new history that continues the current one
// (promotion): the old ID stays valid up to the current offset.
func (r *replication) shiftReplID() {
	if r.n.bug(BugNoReplidShift) {
		return
	}
	r.replid2 = r.replid
	r.secondOffset = r.offset + 1
	r.replid = r.n.randomID()
}

// disconnectReplicas drops every attached replica so they reconnect and
// learn about a history change.
func (r *replication) disconnectReplicas() {
	for len(r.replicas) > 0 {
		r.n.freeClient(r.replicas[0], true)
	}
}

// clientGone cleans up replication state when client c disappears.
func (n *Node) clientGone(c *client) {
	r := &n.repl
	if c.replica != nil {
		for i, rc := range r.replicas {
			if rc == c {
				r.replicas = append(r.replicas[:i], r.replicas[i+1:]...)
				r.noteReplicasGone()
				r.refreshGoodReplicas()
				if !n.down {
					n.logWarning("Connection with replica %s lost.", replicaName(c))
				}
				break
			}
		}
	}
	if c == r.link {
		r.linkLost()
	}
	if c.blocked {
		n.shutdownGone(c)
	}
}
