package node

import (
	"slices"
	"strings"
)

// Clients blocked on keys (BLPOP and friends), as Redis 7.0's blocked.c.
// A command that finds nothing to serve calls blockForKeys with the keys,
// the deadline on the node's clock and a serve function. When a key of
// the awaited type is added to the keyspace while some client waits on it
// (dbAdd's signalKeyAsReady: keyspace.onAdd), the key is queued as ready;
// after the command that made it ready has run and propagated, each ready
// key serves its clients in the order they blocked (FIFO per key), each
// served client in its own call, so what it writes propagates as its own
// unit after the command that woke it. A client served, timed out or
// unblocked has its buffered input processed when the event ends.
//
// Sorted sets plug in with a blockSpec of kind kindZset and a serve that
// pops from the sorted set.

// blockSpec is what a blocking command waits for.
type blockSpec struct {
	// kind is the type a ready key must hold to serve this client.
	kind valueKind
	keys []string
	// deadline is the absolute timeout in Unix ms; 0 waits forever.
	deadline int64
	// serve answers the client from key, which exists and holds kind, in
	// a call of its own (its propagation goes out when it returns).
	serve func(n *Node, c *client, key string)
}

// blockedClient is a client waiting in a blockSpec.
type blockedClient struct {
	c    *client
	db   int
	spec blockSpec
}

// dbKey names a key of one db.
type dbKey struct {
	db  int
	key string
}

// blockState is the node's table of clients blocked on keys.
type blockState struct {
	// byKey lists the clients blocked on each key, in blocking order.
	byKey map[dbKey][]*blockedClient
	// clients maps each blocked client to its record, in blocking order
	// by list for the timeout scan.
	clients []*blockedClient
	// ready lists the keys signalled since they were last handled, once.
	ready    []dbKey
	readySet map[dbKey]bool
	// unblocked lists clients whose buffered input waits for the end of
	// the event.
	unblocked []*client
}

// denyBlocking reports whether c may not block now: inside EXEC (and for
// the master link, whose commands never block, and the internal client of
// Node.Admin, which has no connection), where a blocking command acts as
// one that timed out (CLIENT_DENY_BLOCKING).
func (n *Node) denyBlocking(c *client) bool {
	return n.prop.depth > 1 || c.isMasterLink || c.id < 0
}

// blockForKeys blocks c until one of spec.keys can serve it, its deadline
// passes or it is unblocked.
func (n *Node) blockForKeys(c *client, spec blockSpec) {
	b := &n.blk
	if b.byKey == nil {
		b.byKey = make(map[dbKey][]*blockedClient)
		b.readySet = make(map[dbKey]bool)
	}
	bc := &blockedClient{c: c, db: c.db, spec: spec}
	seen := make(map[string]bool, len(spec.keys))
	for _, k := range spec.keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		dk := dbKey{c.db, k}
		b.byKey[dk] = append(b.byKey[dk], bc)
	}
	b.clients = append(b.clients, bc)
	c.blocked = true
	c.blockedOn = bc
}

// keyAdded is signalKeyAsReady: a key of kind k was added to db.
func (n *Node) keyAdded(db int, key string, k valueKind) {
	b := &n.blk
	if len(b.clients) == 0 || (k != kindList && k != kindZset) {
		return
	}
	dk := dbKey{db, key}
	if len(b.byKey[dk]) == 0 || b.readySet[dk] {
		return
	}
	b.readySet[dk] = true
	b.ready = append(b.ready, dk)
}

// keysSwapped is scanDatabaseForReadyKeys after SWAPDB a b: a key some
// client blocks on in either db is ready when the swap brought it there.
func (n *Node) keysSwapped(a, b int) {
	if len(n.blk.clients) == 0 {
		return
	}
	keys := make([]dbKey, 0, len(n.blk.byKey))
	for dk := range n.blk.byKey {
		if dk.db == a || dk.db == b {
			keys = append(keys, dk)
		}
	}
	// The ready list is served in order: sort for a deterministic one.
	slices.SortFunc(keys, func(x, y dbKey) int {
		if x.db != y.db {
			return x.db - y.db
		}
		return strings.Compare(x.key, y.key)
	})
	for _, dk := range keys {
		if e := n.dbs[dk.db].lookup(dk.key); e != nil {
			n.keyAdded(dk.db, dk.key, e.kind())
		}
	}
}

// unblock removes c from the blocking tables (unblockClient) and queues
// its buffered input.
func (n *Node) unblock(c *client) {
	bc := c.blockedOn
	if bc == nil {
		return
	}
	b := &n.blk
	c.blockedOn = nil
	c.blocked = false
	for _, k := range bc.spec.keys {
		dk := dbKey{bc.db, k}
		list := b.byKey[dk]
		for i, x := range list {
			if x == bc {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(b.byKey, dk)
		} else {
			b.byKey[dk] = list
		}
	}
	for i, x := range b.clients {
		if x == bc {
			b.clients = append(b.clients[:i], b.clients[i+1:]...)
			break
		}
	}
	if !c.dead {
		b.unblocked = append(b.unblocked, c)
	}
}

// handleReadyKeys is handleClientsBlockedOnKeys: it serves the clients
// blocked on the keys made ready, until no key is ready (serving one
// client, e.g. a BLMOVE's push, can make another key ready).
func (n *Node) handleReadyKeys() {
	b := &n.blk
	for len(b.ready) > 0 {
		batch := b.ready
		b.ready = nil
		for _, dk := range batch {
			delete(b.readySet, dk)
			n.serveKey(dk)
		}
	}
}

// serveKey serves, in blocking order, the clients blocked on dk that wait
// for the type it holds, while it exists.
func (n *Node) serveKey(dk dbKey) {
	b := &n.blk
	waiting := append([]*blockedClient(nil), b.byKey[dk]...)
	for _, bc := range waiting {
		if bc.c.blockedOn != bc {
			continue // unblocked meanwhile
		}
		c := bc.c
		n.prop.begin(c, n)
		// As lookupKeyRead: an expired key is deleted (its DEL propagated)
		// and serves nobody.
		e := n.lookup(c, []byte(dk.key))
		if e == nil {
			n.prop.end(n)
			return
		}
		if e.kind() != bc.spec.kind {
			n.prop.end(n)
			continue
		}
		bc.spec.serve(n, c, dk.key)
		n.refreshCollMem(dk.db, [][]byte{[]byte(dk.key)})
		n.unblock(c)
		n.prop.end(n)
	}
}

// blockedTimeouts answers the blocked clients whose deadline passed, as
// replyToBlockedClientTimedOut.
func (n *Node) blockedTimeouts() {
	b := &n.blk
	if len(b.clients) == 0 {
		return
	}
	now := n.nowMs()
	var due []*blockedClient
	for _, bc := range b.clients {
		// A deadline past the range of int64 wrapped negative, as Redis's
		// does, and never comes (Redis keys its timeouts unsigned). A
		// client times out once the clock is past its deadline
		// (checkBlockedClientTimeout: timeout < now).
		if bc.spec.deadline > 0 && bc.spec.deadline < now {
			due = append(due, bc)
		}
	}
	for _, bc := range due {
		bc.c.addNullArray()
		n.unblock(bc.c)
	}
}

// blockedEventEnd runs before output is flushed at the end of each event
// (Redis's beforeSleep): blocked clients past their deadline time out and
// clients unblocked during the event process their buffered input.
func (n *Node) blockedEventEnd() {
	b := &n.blk
	n.blockedTimeouts()
	for len(b.unblocked) > 0 {
		list := b.unblocked
		b.unblocked = nil
		for _, c := range list {
			if !c.dead && !c.blocked && c.hasInput() {
				n.processInput(c)
			}
		}
	}
}

// forgetBlocked drops a client that goes away while blocked.
func (n *Node) forgetBlocked(c *client) {
	if c.blockedOn != nil {
		n.unblock(c)
	}
}

// errUnblockedRole is disconnectAllBlockedClients's error.
const errUnblockedRole = "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"

// unblockAll is disconnectAllBlockedClients: when the node turns replica
// every blocked client (on keys or in WAIT) gets an UNBLOCKED error and
// is closed.
func (n *Node) unblockAll() {
	for len(n.blk.clients) > 0 {
		c := n.blk.clients[0].c
		c.addError(errUnblockedRole)
		n.unblock(c)
		c.closeAfterReply()
	}
	for _, w := range n.waiters {
		w.c.blocked = false
		w.c.addError(errUnblockedRole)
		w.c.closeAfterReply()
	}
	n.waiters = nil
}

func init() {
	clientSubcommands = append(clientSubcommands, subcommand{"unblock", -3, clientUnblockCommand})
}

// clientUnblockCommand is CLIENT UNBLOCK id [TIMEOUT|ERROR]: a client
// blocked on keys or in WAIT is answered as if it timed out, or with an
// UNBLOCKED error.
func clientUnblockCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 4 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	asError := false
	if len(args) == 4 {
		switch {
		case equalFold(args[3], "timeout"):
		case equalFold(args[3], "error"):
			asError = true
		default:
			c.addError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	var target *client
	for _, cl := range n.clients {
		if cl.id == id {
			target = cl
			break
		}
	}
	if target == nil || !target.blocked {
		c.addInt(0)
		return
	}
	if target.blockedOn != nil {
		if n.bug(BugUnblockReasonSwapped) {
			asError = !asError
		}
		if asError {
			target.addError("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		} else {
			target.addNullArray()
		}
		n.unblock(target)
		c.addInt(1)
		return
	}
	if !n.unblockWaiter(target, asError) {
		c.addInt(0)
		return
	}
	c.addInt(1)
}

// unblockWaiter answers a client blocked in WAIT early: with the replicas
// that acknowledged so far, or an UNBLOCKED error.
func (n *Node) unblockWaiter(c *client, asError bool) bool {
	for i, w := range n.waiters {
		if w.c != c {
			continue
		}
		n.waiters = append(n.waiters[:i], n.waiters[i+1:]...)
		c.blocked = false
		if asError {
			c.addError("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		} else {
			n.tapWait(c, w.offset, true)
			c.addInt(n.repl.ackedReplicas(w.offset))
		}
		n.blk.unblocked = append(n.blk.unblocked, c)
		return true
	}
	return false
}

// ClientIDOf is the id (CLIENT ID) of the client on connection id, for
// the harness's CLIENT UNBLOCK of another client; false when the node
// has no such connection.
func (n *Node) ClientIDOf(id ConnID) (int64, bool) {
	c := n.clients[id]
	if c == nil {
		return 0, false
	}
	return c.id, true
}
