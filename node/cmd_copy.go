package node

func init() {
	register(
		&command{name: "copy", arity: -3, flags: flagWrite | flagDenyOOM, fn: copyCommand},
		&command{name: "move", arity: 3, flags: flagWrite, fn: moveCommand},
		&command{name: "swapdb", arity: 3, flags: flagWrite, fn: swapdbCommand},
		&command{name: "touch", arity: -2, flags: flagReadOnly, fn: touchCommand},
	)
}

const errSameObject = "ERR source and destination objects are the same"

// errIntRange is getIntFromObjectOrReply's error for an integer beyond
// 32 bits when its caller gives no message (object.c).
const errIntRange = "ERR value is out of range, value must between -2147483648 and 2147483647"

// parseDBIndex reads a db number as getIntFromObjectOrReply (with no
// message of its own) and selectDb check it: notInt is the error for a
// non-integer, an integer beyond 32 bits gets getRangeLongFromObjectOrReply's
// range error, and an index outside the configured dbs is "DB index is out
// of range" (SELECT, MOVE, COPY ... DB).
func parseDBIndex(n *Node, c *client, arg []byte, notInt string) (int, bool) {
	v, ok := parseInt(arg)
	if !ok {
		c.addError(notInt)
		return 0, false
	}
	if v < -1<<31 || v > 1<<31-1 {
		c.addError(errIntRange)
		return 0, false
	}
	if v < 0 || v >= int64(len(n.dbs)) {
		c.addError(errDBIndex)
		return 0, false
	}
	return int(v), true
}

// lookupIn is lookup in db rather than c's (expiring the key there).
func (n *Node) lookupIn(c *client, db int, key []byte) *entry {
	cur := c.db
	c.db = db
	e := n.lookup(c, key)
	c.db = cur
	return e
}

// dupValue is an independent copy of a value, in the same encoding, as
// Redis's per-type dup functions. Strings' tags are immutable; a type
// without its own clone goes through its RDB form.
func (n *Node) dupValue(e *entry) (string, value) {
	switch v := e.obj.(type) {
	case nil:
		if stringEncoding(e.val) == "int" {
			return e.val, strInt // dupStringObject shares no integer
		}
		return e.val, nil
	case strEnc:
		return e.val, e.obj
	case *hashValue:
		return "", v.clone()
	case *setValue:
		return "", v.clone()
	}
	re := e.rdbEntry()
	return n.valueFromRDB(&re)
}

// copyCommand is COPY source destination [DB db] [REPLACE]. The copy
// keeps the source's TTL; it propagates as given.
func copyCommand(n *Node, c *client, args [][]byte) {
	dst, replace := c.db, false
	for j := 3; j < len(args); j++ {
		switch {
		case equalFold(args[j], "replace"):
			replace = true
		case equalFold(args[j], "db") && j+1 < len(args):
			db, ok := parseDBIndex(n, c, args[j+1], errNotInteger)
			if !ok {
				return
			}
			dst = db
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	if dst == c.db && string(args[1]) == string(args[2]) {
		c.addError(errSameObject)
		return
	}
	src := n.lookupRead(c, args[1])
	if src == nil {
		c.addInt(0)
		return
	}
	// Removing the destination (replaced, or expired by its lookup) may
	// move src in the entries: look it up again after.
	key := src.key
	if n.lookupIn(c, dst, args[2]) != nil {
		if !replace {
			c.addInt(0)
			return
		}
		n.dbs[dst].remove(string(args[2]))
	}
	src = n.dbs[c.db].lookup(key)
	val, obj := n.dupValue(src)
	n.dbs[dst].put(string(args[2]), val, obj, src.expireAt)
	n.dirty++
	n.propagate(args...)
	c.addInt(1)
}

// moveCommand is MOVE key db: the value, its TTL and its access data go
// to db unless the key exists there.
func moveCommand(n *Node, c *client, args [][]byte) {
	dst, ok := parseDBIndex(n, c, args[2], errNotInteger)
	if !ok {
		return
	}
	if dst == c.db {
		c.addError(errSameObject)
		return
	}
	src := n.lookup(c, args[1])
	if src == nil {
		c.addInt(0)
		return
	}
	key := src.key
	if n.lookupIn(c, dst, args[1]) != nil {
		c.addInt(0)
		return
	}
	src = n.dbs[c.db].lookup(key)
	e := n.dbs[dst].put(key, src.val, src.obj, src.expireAt)
	e.lru = src.lru
	n.dbs[c.db].remove(key)
	n.dirty++
	n.propagate(args...)
	c.addInt(1)
}

// swapdbCommand is SWAPDB a b: the two dbs exchange their keys (clients
// stay in the db they had selected, and keep watching its keys, which the
// swap may touch; clients blocked on a key the swap brings are served).
func swapdbCommand(n *Node, c *client, args [][]byte) {
	a, ok := parseInt(args[1])
	if !ok || a < -1<<31 || a > 1<<31-1 {
		c.addError("ERR invalid first DB index")
		return
	}
	b, ok := parseInt(args[2])
	if !ok || b < -1<<31 || b > 1<<31-1 {
		c.addError("ERR invalid second DB index")
		return
	}
	if a < 0 || a >= int64(len(n.dbs)) || b < 0 || b >= int64(len(n.dbs)) {
		c.addError(errDBIndex)
		return
	}
	if a != b {
		da, db := n.dbs[a], n.dbs[b]
		da.touchAllWatched(db, n.expired)
		db.touchAllWatched(da, n.expired)
		da.swapContent(db)
		n.keysSwapped(int(a), int(b))
	}
	n.dirty++
	n.propagate(args...)
	c.addOK()
}

// swapContent exchanges the keys of two keyspaces; each keeps its hooks
// (they know which db they belong to).
func (ks *keyspace) swapContent(o *keyspace) {
	ks.index, o.index = o.index, ks.index
	ks.entries, o.entries = o.entries, ks.entries
	ks.index.entries, o.index.entries = &ks.entries, &o.entries
	ks.expires, o.expires = o.expires, ks.expires
	ks.mem, o.mem = o.mem, ks.mem
	ks.collMem, o.collMem = o.collMem, ks.collMem
}

// touchCommand is TOUCH key...: counts the keys that exist, recording an
// access to each.
func touchCommand(n *Node, c *client, args [][]byte) {
	var count int64
	for _, k := range args[1:] {
		if n.lookup(c, k) != nil {
			count++
		}
	}
	c.addInt(count)
}
