package node

import (
	"strconv"

	"github.com/replsim/replsim/node/resp"
)

// propagation collects the commands one top-level call writes to the
// replication stream, so EXEC can wrap several in MULTI/EXEC.
type propagation struct {
	depth   int
	db      int
	local   bool // the call came from our master or runs on a replica: nothing to feed
	wrap    bool // EXEC: wrap several commands in MULTI/EXEC
	buf     []byte
	count   int
	scratch [][]byte
}

func (p *propagation) begin(c *client, n *Node) {
	if p.depth == 0 {
		p.db = c.db
		p.buf = p.buf[:0]
		p.count = 0
		p.wrap = false
		p.local = c.isMasterLink || n.repl.isReplica()
	}
	p.depth++
}

// end finishes a call; the outermost one feeds what was collected.
func (p *propagation) end(n *Node) {
	p.depth--
	if p.depth > 0 || p.count == 0 {
		return
	}
	if p.wrap && p.count > 1 && !n.bug(BugNoMultiWrap) {
		body := p.buf
		p.buf = resp.AppendCommandStrings(nil, "MULTI")
		p.buf = append(p.buf, body...)
		p.buf = resp.AppendCommandStrings(p.buf, "EXEC")
	}
	n.feedAOF(p.db, p.buf)
	if !p.local {
		n.feedStream(p.db, p.buf)
	}
}

// propagate adds one command, as given, to the current call's stream.
func (n *Node) propagate(args ...[]byte) {
	n.prop.buf = resp.AppendCommand(n.prop.buf, args...)
	n.prop.count++
}

// propagateStrings is propagate for string arguments.
func (n *Node) propagateStrings(args ...string) {
	n.prop.buf = resp.AppendCommandStrings(n.prop.buf, args...)
	n.prop.count++
}

// feedStream appends cmds (encoded commands for db) to the replication
// stream: a SELECT first when the stream's db differs, then the commands.
func (n *Node) feedStream(db int, cmds []byte) {
	r := &n.repl
	if r.backlog == nil && len(r.replicas) == 0 {
		return
	}
	if n.bug(BugDropPropagation) && n.env.Rand()%40 == 0 {
		return
	}
	if db != r.selDB {
		sel := resp.AppendCommandStrings(nil, "SELECT", strconv.Itoa(db))
		r.feedRaw(sel)
		r.selDB = db
	}
	r.feedRaw(cmds)
}
