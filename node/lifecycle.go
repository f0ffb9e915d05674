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

// parseReply parses an internal client's first reply and says how many
// bytes of raw it took.
func parseReply(raw []byte) (resp.Value, int, error) {
	v, k, err := resp.ParseValue(raw)
	if err != nil {
		return resp.Value{}, 0, err
	}
	if k == 0 {
		return resp.Value{}, 0, errors.New("node: no reply")
	}
	return v.Clone(), k, nil
}
