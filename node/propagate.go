package node

import (
	"strconv"

	"github.com/replsim/replsim/node/resp"
)

// propagation collects the commands one top-level call writes to the
// replication stream and the AOF, so EXEC can wrap several in MULTI/EXEC.
// Each command is recorded with the db it ran in: a SELECT inside MULTI
// moves the commands after it to another db, as Redis's per-op dbid does.
type propagation struct {
	depth int
	c     *client
	local bool // the call came from our master: nothing to feed
	wrap  bool // EXEC: wrap several commands in MULTI/EXEC
	// split: the commands are independent (the DELs of keys SCAN found
	// expired): each is fed as its own unit, so a replica may apply some
	// and not yet the others, as the checkers are told.
	split bool
	buf   []byte
	count int
	segs  []propSegment
	cmds  []propSegment // one per command
}

// propSegment is a run of consecutive commands for one db: buf[start:end].
type propSegment struct {
	db         int
	start, end int
}

func (p *propagation) begin(c *client, n *Node) {
	if p.depth == 0 {
		p.c = c
		p.buf = p.buf[:0]
		p.segs = p.segs[:0]
		p.cmds = p.cmds[:0]
		p.count = 0
		p.wrap, p.split = false, false
		p.local = c.isMasterLink
	}
	p.depth++
}

// end finishes a call; the outermost one feeds what was collected.
func (p *propagation) end(n *Node) {
	p.depth--
	if p.depth > 0 {
		return
	}
	// Whether to feed replicas is decided when the call ends, as Redis's
	// propagatePendingCommands: an EXEC that ran REPLICAOF feeds nothing.
	if n.repl.isReplica() {
		p.local = true
	}
	p.c = nil
	if p.count == 0 {
		return
	}
	wrap := p.wrap && p.count > 1 && !n.bug(BugNoMultiWrap)
	if p.split && !p.wrap && p.count > 1 {
		for _, s := range p.cmds {
			n.feedAOF(s.db, p.buf[s.start:s.end])
			if !p.local {
				n.feedStream(s.db, p.buf[s.start:s.end])
			}
		}
		return
	}
	if !wrap && len(p.segs) == 1 {
		// The common case: one command (or several in one db) goes out as
		// recorded; the feeds copy what they keep.
		s := p.segs[0]
		n.feedAOF(s.db, p.buf[s.start:s.end])
		if !p.local {
			n.feedStream(s.db, p.buf[s.start:s.end])
		}
		return
	}
	for i, s := range p.segs {
		var unit []byte
		if wrap && i == 0 {
			unit = resp.AppendCommandStrings(unit, "MULTI")
		}
		unit = append(unit, p.buf[s.start:s.end]...)
		if wrap && i == len(p.segs)-1 {
			unit = resp.AppendCommandStrings(unit, "EXEC")
		}
		n.feedAOF(s.db, unit)
		if !p.local {
			n.feedStream(s.db, unit)
		}
	}
}

// added records that buf[start:] is one more command for db.
func (p *propagation) added(db, start int) {
	if k := len(p.segs); k > 0 && p.segs[k-1].db == db {
		p.segs[k-1].end = len(p.buf)
	} else {
		p.segs = append(p.segs, propSegment{db: db, start: start, end: len(p.buf)})
	}
	p.cmds = append(p.cmds, propSegment{db: db, start: start, end: len(p.buf)})
	p.count++
}

// currentDB is the db of the client whose command is running.
func (p *propagation) currentDB() int {
	if p.c == nil {
		return 0
	}
	return p.c.db
}

// propagate adds one command, as given, to the current call's stream.
func (n *Node) propagate(args ...[]byte) {
	p := &n.prop
	start := len(p.buf)
	p.buf = resp.AppendCommand(p.buf, args...)
	p.added(p.currentDB(), start)
}

// propagateStrings is propagate for string arguments.
func (n *Node) propagateStrings(args ...string) {
	n.propagateStringsIn(n.prop.currentDB(), args...)
}

// propagateStringsIn adds a command for an explicit db.
func (n *Node) propagateStringsIn(db int, args ...string) {
	p := &n.prop
	start := len(p.buf)
	p.buf = resp.AppendCommandStrings(p.buf, args...)
	p.added(db, start)
}

// feedStream appends cmds (encoded commands for db) to the replication
// stream: a SELECT first when the stream's db differs, then the commands.
func (n *Node) feedStream(db int, cmds []byte) {
	r := &n.repl
	// Redis returns with no backlog and no replica; the first replica
	// makes the backlog, and only an idle master frees it.
	if r.backlog == nil {
		return
	}
	if n.bug(BugDropPropagation) && droppedByBug(cmds) {
		return
	}
	if db != r.selDB {
		sel := resp.AppendCommandStrings(nil, "SELECT", strconv.Itoa(db))
		r.feedRaw(sel)
		r.selDB = db
	}
	r.feedRaw(cmds)
}

// droppedByBug picks the writes BugDropPropagation loses: about one in 40,
// by a hash of the write's bytes rather than a random draw, so a run the
// shrinker cut down still loses the same write.
func droppedByBug(cmds []byte) bool {
	h := uint32(2166136261)
	for _, b := range cmds {
		h = (h ^ uint32(b)) * 16777619
	}
	return h%40 == 0
}
