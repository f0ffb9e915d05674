package node

import (
	"errors"

	"github.com/replsim/replsim/node/resp"
)

// Load reads the node's persisted dataset (AOF when appendonly is on, else
// the RDB file) before it serves anyone. A missing file is an empty
// dataset; a corrupt one is an error naming the file and the offset.
func (n *Node) Load() error {
	return n.loadPersisted()
}

// Down reports whether the node has shut down (SHUTDOWN); the driver then
// stops feeding it and exits.
func (n *Node) Down() bool { return n.down }

// Admin runs one command as a privileged internal client (an operator at the
// console) and returns the raw RESP reply. It bypasses AUTH but nothing else.
func (n *Node) Admin(args ...string) []byte {
	c := n.internalClient()
	c.operator = true
	n.runInternal(c, args)
	out := c.out
	n.dequeue(c)
	n.flush()
	return out
}

// AdminSession runs one command as an internal client that stays
// connected, as a console left open would, and returns its hang-up: the
// client then goes as one whose connection closed (freeClient), leaving
// whatever it was blocked in. Its replies, then or later, go nowhere. It
// bypasses AUTH.
func (n *Node) AdminSession(args ...string) (hangUp func()) {
	c := n.internalClient()
	c.discard = true
	n.runInternal(c, args)
	n.flush()
	return func() {
		if n.down {
			return
		}
		n.freeClient(c, false)
		n.flush()
	}
}

// PipelineSession is an internal client that sent its requests in one
// go, as a pipelining client does, and stays connected.
type PipelineSession struct {
	n *Node
	c *client
}

// consoleAddr is where a pipelined session connects from, as MONITOR
// and CLIENT LIST show it: a console on the node's own host.
const consoleAddr = "127.0.0.1:40000"

// AdminPipeline sends req (RESP requests) as one write of an internal
// client past AUTH: the node runs them in order, and those after one that
// blocks (a SHUTDOWN that waits for replicas) wait in its input until it
// is answered. The session keeps every reply for Replies.
func (n *Node) AdminPipeline(req []byte) *PipelineSession {
	c := n.internalClient()
	c.keep = true
	c.addr = consoleAddr
	c.in = append(c.in, req...)
	n.processInput(c)
	n.flush()
	return &PipelineSession{n: n, c: c}
}

// Blocked reports whether the session's client waits in a command.
func (s *PipelineSession) Blocked() bool { return s.c.blocked && !s.c.dead }

// Replies returns the replies the session got since the last call, as raw
// RESP.
func (s *PipelineSession) Replies() []byte {
	out := s.c.out
	s.c.out = nil
	return out
}

// HangUp closes the session, as a client whose connection closed
// (freeClient).
func (s *PipelineSession) HangUp() {
	if s.n.down || s.c.dead {
		return
	}
	s.n.freeClient(s.c, false)
	s.n.flush()
}

// internalClient is a client of the node's own, with no connection and
// past AUTH (Admin's and AdminSession's).
func (n *Node) internalClient() *client {
	c := &client{n: n, id: -1, authed: true, db: 0, conn: 0, created: n.nowMs()}
	c.lastInteraction = c.created
	return c
}

// runInternal runs one command (none if args is empty) as internal client c.
func (n *Node) runInternal(c *client, args []string) {
	if len(args) == 0 {
		return
	}
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	n.execute(c, argv)
}

// dequeue takes an internal client, queued for flushing when it was
// answered, back out of the queue: its reply goes to the caller.
func (n *Node) dequeue(c *client) {
	for i, q := range n.outq {
		if q == c {
			n.outq = append(n.outq[:i], n.outq[i+1:]...)
			break
		}
	}
}

// TakeAdminReplies returns, and forgets, the replies Admin's clients got
// after Admin returned with none: a SHUTDOWN that blocked waiting for
// replicas, answered "ERR Errors trying to SHUTDOWN. Check logs." when a
// SHUTDOWN ABORT or a failure cancelled it. Raw RESP, in order.
func (n *Node) TakeAdminReplies() []byte {
	out := n.adminLate
	n.adminLate = nil
	return out
}

// AdminValue is Admin with the reply parsed. Bytes after the first reply
// (a second reply: Redis answers every command once) come back as extra.
func (n *Node) AdminValue(args ...string) (v resp.Value, extra []byte, err error) {
	raw := n.Admin(args...)
	v, k, err := parseReply(raw)
	if err != nil || k == len(raw) {
		return v, nil, err
	}
	return v, raw[k:], nil
}

// ErrNoReply is AdminValue's error for a command that got no reply (yet):
// one that blocks, as a SHUTDOWN waiting for its replicas does.
var ErrNoReply = errors.New("node: no reply")

// parseReply parses an internal client's first reply and says how many
// bytes of raw it took.
func parseReply(raw []byte) (resp.Value, int, error) {
	v, k, err := resp.ParseValue(raw)
	if err != nil {
		return resp.Value{}, 0, err
	}
	if k == 0 {
		return resp.Value{}, 0, ErrNoReply
	}
	return v.Clone(), k, nil
}
