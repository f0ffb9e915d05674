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
	c := &client{n: n, id: -1, authed: true, db: 0, conn: 0, created: n.nowMs(), operator: true}
	c.lastInteraction = c.created
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	if len(argv) > 0 {
		n.execute(c, argv)
	}
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
	c := &client{n: n, id: -1, authed: true, db: 0, conn: 0, created: n.nowMs(), discard: true}
	c.lastInteraction = c.created
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	if len(argv) > 0 {
		n.execute(c, argv)
	}
	n.flush()
	return func() {
		if n.down {
			return
		}
		n.freeClient(c, false)
		n.flush()
	}
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

// AdminValue is Admin with the reply parsed.
func (n *Node) AdminValue(args ...string) (resp.Value, error) {
	return parseReply(n.Admin(args...))
}

// parseReply parses an internal client's raw reply.
func parseReply(raw []byte) (resp.Value, error) {
	v, k, err := resp.ParseValue(raw)
	if err != nil {
		return resp.Value{}, err
	}
	if k == 0 {
		return resp.Value{}, errors.New("node: no reply")
	}
	return v.Clone(), nil
}
