package node

func init() {
	register(
		&command{name: "del", arity: -2, flags: flagWrite, fn: delCommand},
		&command{name: "exists", arity: -2, flags: flagReadOnly, fn: existsCommand},
		&command{name: "dbsize", arity: 1, flags: flagReadOnly, fn: dbsizeCommand},
		&command{name: "flushall", arity: -1, flags: flagWrite, fn: flushallCommand},
		&command{name: "flushdb", arity: -1, flags: flagWrite, fn: flushdbCommand},
	)
}

func delCommand(n *Node, c *client, args [][]byte) {
	var deleted int64
	for _, k := range args[1:] {
		if n.lookup(c, k) != nil && n.dbs[c.db].remove(string(k)) {
			deleted++
		}
	}
	if deleted > 0 {
		n.dirty += deleted
		n.propagate(args...)
	}
	c.addInt(deleted)
}

func existsCommand(n *Node, c *client, args [][]byte) {
	var count int64
	for _, k := range args[1:] {
		if n.lookup(c, k) != nil {
			count++
		}
	}
	c.addInt(count)
}

func dbsizeCommand(n *Node, c *client, args [][]byte) { c.addInt(int64(n.dbs[c.db].len())) }

// flushMode checks FLUSHALL/FLUSHDB's optional ASYNC|SYNC argument.
func flushMode(c *client, args [][]byte) bool {
	if len(args) > 2 || (len(args) == 2 && !equalFold(args[1], "async") && !equalFold(args[1], "sync")) {
		c.addError(errSyntax)
		return false
	}
	return true
}

func flushallCommand(n *Node, c *client, args [][]byte) {
	if !flushMode(c, args) {
		return
	}
	for _, ks := range n.dbs {
		n.dirty += int64(ks.len())
		ks.clear()
	}
	n.dirty++
	n.propagate(args...)
	c.addOK()
}

func flushdbCommand(n *Node, c *client, args [][]byte) {
	if !flushMode(c, args) {
		return
	}
	n.dirty += int64(n.dbs[c.db].len()) + 1
	n.dbs[c.db].clear()
	n.propagate(args...)
	c.addOK()
}
