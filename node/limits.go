package node

import "github.com/replsim/replsim/node/resp"

// OutputMeter is implemented by an Env that knows how many bytes it still
// has to write on a connection (handed over by Send, not yet taken by the
// peer). The node adds them to what it holds when it checks
// client-output-buffer-limit; without it only the output of one event
// counts, so a client that never reads is caught only by one huge reply.
type OutputMeter interface {
	Unsent(c ConnID) int64
}

// Aborter is implemented by an Env that can drop a connection at once,
// discarding the output still queued on it. The node aborts the clients
// it closes for their output buffer limit, as Redis frees them with
// their replies; without it it closes them (Env.Close).
type Aborter interface {
	Abort(c ConnID)
}

// errMaxClients is what Redis writes to a connection over maxclients.
const errMaxClients = "-ERR max number of clients reached\r\n"

// admit refuses a new connection when maxclients are connected, as
// Redis's acceptCommonHandler: the error, then the close.
func (n *Node) admit(id ConnID) bool {
	if int64(len(n.clients)) < n.cfg.MaxClients {
		return true
	}
	n.stats.rejectedConns++
	n.env.Send(id, []byte(errMaxClients))
	n.env.Close(id)
	return false
}

// outputPending is c's output buffer as Redis counts it: what the node
// holds for it and what the environment still has to write.
func (n *Node) outputPending(c *client) int64 {
	p := int64(len(c.out))
	rs := c.replica
	if rs != nil {
		p += int64(len(rs.pending) - min(rs.rdbOut, len(c.out)))
	}
	if m, ok := n.env.(OutputMeter); ok {
		u := m.Unsent(c.conn)
		if rs != nil {
			u = min(u, rs.streamSent) // the unsent bytes are the tail of what was sent
		}
		p += u
	}
	return p
}

// noteSent records that c's output went to the environment.
func (c *client) noteSent() {
	if rs := c.replica; rs != nil {
		rs.streamSent += int64(len(c.out) - min(rs.rdbOut, len(c.out)))
		rs.rdbOut = 0
	}
}

// OutputClassReplica indexes Config.OutputLimits: the replica class.
const OutputClassReplica = classReplica

// replyChunk is PROTO_REPLY_CHUNK_BYTES: Redis's static reply buffer,
// which its limits do not count for normal clients.
const replyChunk = 16 * 1024

// outputClass is the client-output-buffer-limit class of c (the master
// link counts as normal, as in Redis).
func outputClass(c *client) int {
	if c.isReplica() {
		return classReplica
	}
	return classNormal
}

// overOutputLimit is checkClientOutputBufferLimits: whether c's output
// reached the hard limit, or stayed at or over the soft one for longer
// than its seconds.
func (n *Node) overOutputLimit(c *client) bool {
	class := outputClass(c)
	lim := n.cfg.OutputLimits[class]
	if lim.Hard == 0 && lim.Soft == 0 {
		return false
	}
	used := n.outputPending(c)
	if class == classNormal {
		used -= replyChunk
		if used <= 0 {
			c.softLimitSince = 0
			return false
		}
	}
	hardLimit := lim.Hard
	if class == classReplica && hardLimit != 0 && hardLimit < n.cfg.ReplBacklogSize && !n.bug(BugObufIgnoresBacklog) {
		hardLimit = n.cfg.ReplBacklogSize // Redis ignores a smaller limit
	}
	hard := lim.Hard != 0 && used >= hardLimit
	soft := lim.Soft != 0 && used >= lim.Soft
	now := n.nowMs() / 1000
	if soft {
		if c.softLimitSince == 0 {
			c.softLimitSince = now
			soft = false
		} else if now-c.softLimitSince <= lim.SoftSeconds {
			soft = false
		}
	} else {
		c.softLimitSince = 0
	}
	return hard || soft
}

// checkOutputGrowth is the check Redis makes as it appends a reply
// (closeClientOnOutputBufferLimitReached), made each time c's output grew
// by replyChunk since the last: a client over its limit is marked for
// closing, takes no more replies or commands, and drops what it holds, so
// one event of a pipeline of big replies cannot grow it past the limit.
//
// A client's replies that are not over the limit go to the environment
// at once, as Redis's reply list is a chain of chunks rather than one
// buffer: a buffer grown by copying to the limit would leave several
// times the limit in garbage.
func (n *Node) checkOutputGrowth(c *client) {
	c.outChecked = len(c.out)
	if c.dead || c.isMasterLink || c.overLimit {
		return
	}
	if n.overOutputLimit(c) {
		c.overLimit, c.closing = true, true
		c.out, c.outChecked = nil, 0
		return
	}
	if c.conn != 0 && c.replica == nil && !n.busy() {
		n.env.Send(c.conn, c.out)
		c.out, c.outChecked = nil, 0
	}
}

// closeOverLimit frees c if its output buffer overcame its limit, with
// Redis's log line, and reports whether it did.
func (n *Node) closeOverLimit(c *client) bool {
	c.outChecked = 0
	if c.dead || c.isMasterLink || !c.overLimit && !n.overOutputLimit(c) {
		return false
	}
	n.env.Logf("Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", n.clientInfo(c))
	c.out = nil
	if a, ok := n.env.(Aborter); ok {
		n.freeClient(c, false)
		a.Abort(c.conn)
		return true
	}
	n.freeClient(c, true)
	return true
}

// queryBufferLen is c's query buffer as Redis counts it: input not yet
// taken into a request's arguments.
func (c *client) queryBufferLen() int64 {
	return int64(len(c.in) - c.qpos - c.parser.Parsed())
}

// closeOverQueryLimit frees c when its query buffer passed
// client-query-buffer-limit, with Redis's log line, and reports whether it
// did. The node checks after processing what it could: Redis reads 16 KB
// at a time and checks before processing, so what counts is the input a
// client keeps sending that cannot be processed (while it is blocked, or a
// line that never ends). The master link is exempt.
func (n *Node) closeOverQueryLimit(c *client) bool {
	if c.isMasterLink || c.queryBufferLen() <= n.cfg.QueryBufferLimit {
		return false
	}
	start := c.in[c.qpos+c.parser.Parsed():]
	n.env.Logf("Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)",
		n.clientInfo(c), resp.Repr(string(start[:min(len(start), 64)])))
	n.freeClient(c, true)
	return true
}
