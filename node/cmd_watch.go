package node

// WATCH / UNWATCH: optimistic locking for MULTI/EXEC, with Redis 7.0's
// semantics. A client watches (db, key) pairs; any change to a watched key
// (a write, a deletion, an expiry, a flush of its db, a new TTL) marks the
// client "dirty CAS", and its next EXEC answers a nil array instead of
// running the transaction. A key that was already logically expired when it
// was watched is "stale": its deletion (lazy or active expiry, FLUSHDB) is
// no logical change and does not dirty the client. EXEC also fails when a
// watched key that was alive at WATCH time has expired since, even if
// nothing deleted it yet.
//
// The per-db table lives on the keyspace (keyspace.watched), as Redis's
// db->watched_keys; the keyspace signals changes itself (db_watch.go), so
// every command, the replication stream, eviction and expiry are covered.

func init() {
	register(
		&command{name: "watch", arity: -2, flags: flagStale | flagMultiCtl, fn: watchCommand},
		&command{name: "unwatch", arity: 1, flags: flagStale, fn: unwatchCommand},
	)
}

// watchedKey is one key a client watches.
type watchedKey struct {
	key string
	db  int
	c   *client
	// expired: the key was already logically expired when watched.
	expired bool
}

func watchCommand(n *Node, c *client, args [][]byte) {
	if c.inMulti {
		c.addError("ERR WATCH inside MULTI is not allowed")
		return
	}
	if c.dirtyCAS {
		c.addOK()
		return
	}
	for _, k := range args[1:] {
		n.watchKey(c, string(k))
	}
	c.addOK()
}

func unwatchCommand(n *Node, c *client, args [][]byte) {
	c.unwatchAll()
	c.dirtyCAS = false
	c.addOK()
}

// watchKey adds key in c's current db to c's watched keys.
func (n *Node) watchKey(c *client, key string) {
	ks := n.dbs[c.db]
	// Already watched? Look among the key's watchers (few), not among
	// c's keys: WATCH of many keys stays linear.
	for _, wk := range ks.watched[key] {
		if wk.c == c {
			return
		}
	}
	if ks.watched == nil {
		ks.watched = make(map[string][]*watchedKey)
	}
	wk := &watchedKey{key: key, db: c.db, c: c, expired: n.keyIsExpired(c.db, key)}
	ks.watched[key] = append(ks.watched[key], wk)
	c.watched = append(c.watched, wk)
}

// keyIsExpired reports whether key exists in db with its TTL passed (Redis's
// keyIsExpired: the entry is still there, logically gone).
func (n *Node) keyIsExpired(db int, key string) bool {
	e := n.dbs[db].lookup(key)
	return e != nil && n.expired(e)
}

// watchedKeyExpired reports whether a key c watched while alive has
// expired since (EXEC then fails, as Redis's isWatchedKeyExpired).
func (n *Node) watchedKeyExpired(c *client) bool {
	for _, wk := range c.watched {
		if !wk.expired && n.keyIsExpired(wk.db, wk.key) {
			return true
		}
	}
	return false
}

// unwatchAll forgets every key c watches.
func (c *client) unwatchAll() {
	for _, wk := range c.watched {
		ks := c.n.dbs[wk.db]
		list := ks.watched[wk.key]
		for i, w := range list {
			if w == wk {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(ks.watched, wk.key)
		} else {
			ks.watched[wk.key] = list
		}
	}
	c.watched = nil
}
