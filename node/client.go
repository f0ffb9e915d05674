package node

import (
	"github.com/replsim/replsim/node/resp"
)

// client is one connection as the node sees it: a normal client, a replica
// attached to this node, or this node's own link to its master.
type client struct {
	n               *Node
	conn            ConnID
	id              int64
	name            string
	addr            string // remote address
	db              int
	authed          bool
	created         int64
	lastInteraction int64
	lastCmd         string // last command run, as CLIENT LIST shows it
	// woff is the replication offset right after the client's last command
	// (Redis's c->woff, set by processCommand after call()): what its WAIT
	// waits for.
	woff int64

	in   []byte
	out  []byte
	argv [][]byte
	// parser holds the partial request that starts at in[qpos].
	parser    resp.Parser
	qpos      int
	inPending bool // in n.pendingIn
	// softLimitSince is when the output buffer went over the soft limit,
	// Unix seconds; 0 while under it.
	softLimitSince int64
	// outChecked is len(out) at the last output-limit check made as
	// replies were added (limits.go); overLimit says that check found c
	// over its limit, to be freed at the next flush.
	outChecked int
	overLimit  bool

	queued bool // in n.outq
	// operator marks the internal client of Admin.
	operator bool
	// discard marks an internal session's client (AdminSession): its
	// replies go nowhere.
	discard bool
	// keep marks a pipelined internal session's client (AdminPipeline):
	// its replies stay in out until the session takes them.
	keep       bool
	closeAfter bool
	closing    bool
	blocked    bool // in WAIT or blocked on keys: input waits
	// blockedOn is set while c is blocked on keys (blocking.go).
	blockedOn *blockedClient
	dead      bool

	// MULTI state.
	inMulti    bool
	multiDirty bool
	multiCmds  [][][]byte
	// multiFlags ORs the flags of the queued commands; multiInvFlags ORs
	// their complements (a flag some queued command lacks), as Redis's
	// mstate.cmd_flags and cmd_inv_flags.
	multiFlags    cmdFlags
	multiInvFlags cmdFlags
	// watched are the keys c WATCHes; dirtyCAS is set when one of them
	// changed (cmd_watch.go).
	watched  []*watchedKey
	dirtyCAS bool

	// CLIENT REPLY state (cmd_client_reply.go): replies off, off for
	// this command (SKIP), off for the next one.
	replyOff, replySkip, replySkipNext bool
	// monitor is set for a client in MONITOR mode (cmd_monitor.go).
	monitor bool

	// replica is set once this client sent REPLCONF, SYNC or PSYNC;
	// isReplica says whether it is one of our replicas.
	replica *replicaState
	// isMasterLink marks our connection to our own master; its commands
	// are applied without replies.
	isMasterLink bool
}

func (c *client) markPending() {
	if !c.queued {
		c.queued = true
		c.n.outq = append(c.n.outq, c)
	}
	if len(c.out)-c.outChecked >= replyChunk {
		c.n.checkOutputGrowth(c)
	}
}

// silent reports whether replies to c are dropped (the master link gets
// no replies, except REPLCONF ACK written directly).
func (c *client) silent() bool {
	return c.isMasterLink || c.closing || c.replyOff || c.replySkip
}

func (c *client) addOK() { c.addSimple("OK") }

func (c *client) addSimple(s string) {
	if c.silent() {
		return
	}
	c.out = resp.AppendSimple(c.outBuf(), s)
	c.markPending()
}

func (c *client) addError(s string) {
	c.n.stats.cmd.noteError(s)
	if c.isMasterLink {
		c.n.errorReplyToMaster(c, s)
	}
	if c.silent() {
		return
	}
	c.out = resp.AppendError(c.outBuf(), s)
	c.markPending()
}

// reject answers a command refused before it ran (unknown, wrong arity,
// not allowed now); inside MULTI that dooms the transaction, as Redis's
// flagTransaction does. Errors from commands that do run (a nested MULTI)
// do not.
func (c *client) reject(s string) {
	if c.inMulti {
		c.multiDirty = true
	}
	c.addError(s)
}

func (c *client) addInt(v int64) {
	if c.silent() {
		return
	}
	c.out = resp.AppendInt(c.outBuf(), v)
	c.markPending()
}

func (c *client) addBulk(s string) {
	if c.silent() {
		return
	}
	c.out = resp.AppendBulkString(c.outBuf(), s)
	c.markPending()
}

func (c *client) addBulkBytes(p []byte) {
	if c.silent() {
		return
	}
	c.out = resp.AppendBulk(c.outBuf(), p)
	c.markPending()
}

func (c *client) addNull() {
	if c.silent() {
		return
	}
	c.out = resp.AppendNull(c.out)
	c.markPending()
}

func (c *client) addArrayLen(k int) {
	if c.silent() {
		return
	}
	c.out = resp.AppendArrayLen(c.outBuf(), k)
	c.markPending()
}

func (c *client) addNullArray() {
	if c.silent() {
		return
	}
	c.out = resp.AppendNullArray(c.out)
	c.markPending()
}

// closeAfterReply closes the connection once pending output is flushed.
func (c *client) closeAfterReply() {
	c.closeAfter = true
	c.closing = true
	c.markPending()
}

// consumeInput drops the first k bytes of the input buffer, keeping the
// buffer's storage when it can.
func (c *client) consumeInput(k int) {
	if k == 0 {
		return
	}
	rest := copy(c.in, c.in[k:])
	c.in = c.in[:rest]
}

// outBuf is c.out, or a fresh buffer with room for a typical reply: the
// buffer goes to the environment at each flush, so each batch of replies
// starts a new one, and one allocation of the right size beats growing.
func (c *client) outBuf() []byte {
	if c.out == nil {
		return make([]byte, 0, 64)
	}
	return c.out
}

// releaseBuffers lets go of a gone client's buffers, so a client that left
// with megabytes of unread replies or unparsed input holds nothing.
func (c *client) releaseBuffers() {
	c.in, c.out, c.argv, c.multiCmds = nil, nil, nil, nil
	c.qpos = 0
	c.parser.Reset()
}
