package node

func init() {
	register(
		&command{name: "del", arity: -2, flags: flagWrite, fn: delCommand},
		&command{name: "unlink", arity: -2, flags: flagWrite, fn: delCommand},
		&command{name: "exists", arity: -2, flags: flagReadOnly, fn: existsCommand},
		&command{name: "type", arity: 2, flags: flagReadOnly, fn: typeCommand},
		&command{name: "keys", arity: 2, flags: flagReadOnly, fn: keysCommand},
		&command{name: "randomkey", arity: 1, flags: flagReadOnly, fn: randomkeyCommand},
		&command{name: "rename", arity: 3, flags: flagWrite, fn: renameCommand},
		&command{name: "renamenx", arity: 3, flags: flagWrite, fn: renamenxCommand},
		&command{name: "dbsize", arity: 1, flags: flagReadOnly, fn: dbsizeCommand},
		&command{name: "flushall", arity: -1, flags: flagWrite, fn: flushallCommand},
		&command{name: "flushdb", arity: -1, flags: flagWrite, fn: flushdbCommand},
	)
}

// delCommand is DEL and UNLINK (there is no lazy freeing to tell apart).
// delCommand is DEL (and UNLINK) key...: as Redis's delGenericCommand,
// expireIfNeeded with no flags first (a master deletes an expired key and
// sends its DEL; a replica leaves it), then dbSyncDelete, which on a
// writable replica deletes and counts a key that read as expired
// (redis-server 7.0.15 answers 1 there and leaves expired_keys alone).
func delCommand(n *Node, c *client, args [][]byte) {
	var deleted int64
	for _, k := range args[1:] {
		n.lookupRead(c, k)
		if n.dbs[c.db].remove(string(k)) {
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
		if n.lookupNoTouch(c, k) != nil {
			count++
		}
	}
	c.addInt(count)
}

func typeCommand(n *Node, c *client, args [][]byte) {
	e := n.lookupNoTouch(c, args[1])
	if e == nil {
		c.addSimple("none")
		return
	}
	c.addSimple(e.kind().String())
}

// keysCommand lists the live keys matching a glob pattern. Expired keys
// are skipped but not deleted, as in Redis.
func keysCommand(n *Node, c *client, args [][]byte) {
	pat := args[1]
	all := len(pat) == 1 && pat[0] == '*'
	var keys []string
	for i := range n.dbs[c.db].entries {
		e := &n.dbs[c.db].entries[i]
		if (all || globMatch(pat, []byte(e.key))) && !n.expired(e) {
			keys = append(keys, e.key)
		}
	}
	c.addArrayLen(len(keys))
	for _, k := range keys {
		c.addBulk(k)
	}
}

// randomkeyCommand answers a random live key, expiring the dead ones it
// draws. A replica cannot delete them; if every key has an expiry it gives
// up after 100 draws and answers a possibly expired key, as Redis does.
func randomkeyCommand(n *Node, c *client, args [][]byte) {
	ks := n.dbs[c.db]
	tries := 100
	for ks.len() > 0 {
		e := &ks.entries[n.env.Rand()%uint64(ks.len())]
		key := e.key
		if e.expireAt != 0 {
			if ks.expires == ks.len() && n.repl.isReplica() {
				tries--
				if tries == 0 {
					c.addBulk(key)
					break
				}
			}
			if n.lookup(c, []byte(key)) == nil {
				continue
			}
		}
		c.addBulk(key)
		break
	}
	if ks.len() == 0 {
		c.addNull()
	}
	n.touchesArbitraryKeys()
}

func renameCommand(n *Node, c *client, args [][]byte)   { renameGeneric(n, c, args, false) }
func renamenxCommand(n *Node, c *client, args [][]byte) { renameGeneric(n, c, args, true) }

func renameGeneric(n *Node, c *client, args [][]byte, nx bool) {
	src := n.lookup(c, args[1])
	if src == nil {
		c.addError(errNoSuchKey)
		return
	}
	if string(args[1]) == string(args[2]) {
		if nx {
			c.addInt(0)
		} else {
			c.addOK()
		}
		return
	}
	val, obj, expireAt, lru := src.val, src.obj, src.expireAt, src.lru
	ks := n.dbs[c.db]
	if dst := n.lookup(c, args[2]); dst != nil {
		if nx {
			c.addInt(0)
			return
		}
		n.rememberStale(dst.key, dst)
		ks.remove(dst.key)
	}
	ks.put(string(args[2]), val, obj, expireAt).lru = lru // the same object, as in Redis
	ks.remove(string(args[1]))
	n.dirty++
	n.propagate(args...)
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
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
	n.replExp.flush()
	n.flushallSave()
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
