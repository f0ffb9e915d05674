package node

func init() {
	register(&command{name: "swapdb", arity: 3, flags: flagWrite, fn: swapdbCommand})
}

// swapdbCommand swaps the contents of two dbs, as Redis's SWAPDB: clients
// stay in their db (and keep watching its keys, which the swap may touch).
func swapdbCommand(n *Node, c *client, args [][]byte) {
	id1, ok := parseInt(args[1])
	if !ok || id1 < -1<<31 || id1 > 1<<31-1 {
		c.addError("ERR invalid first DB index")
		return
	}
	id2, ok := parseInt(args[2])
	if !ok || id2 < -1<<31 || id2 > 1<<31-1 {
		c.addError("ERR invalid second DB index")
		return
	}
	if id1 < 0 || id1 >= int64(len(n.dbs)) || id2 < 0 || id2 >= int64(len(n.dbs)) {
		c.addError("ERR DB index is out of range")
		return
	}
	if id1 != id2 {
		a, b := n.dbs[id1], n.dbs[id2]
		a.touchAllWatched(b, n.expired)
		b.touchAllWatched(a, n.expired)
		a.index, b.index = b.index, a.index
		a.entries, b.entries = b.entries, a.entries
		a.expires, b.expires = b.expires, a.expires
		a.mem, b.mem = b.mem, a.mem
	}
	n.dirty++
	n.propagate(args...)
	c.addOK()
}
