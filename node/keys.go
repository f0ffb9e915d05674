package node

import (
	"fmt"

	"github.com/replsim/replsim/node/rdb"
)

// expired reports whether e's expiry has passed on the node's clock: as
// in Redis (keyIsExpired: now > when), a key lives through its expiry
// millisecond. Nothing expires while the AOF loads, as in Redis.
func (n *Node) expired(e *entry) bool {
	return e.expireAt != 0 && n.nowMs() > e.expireAt && !n.ps.loading
}

// lookup returns the live entry for key in c's db, expiring it first if due.
// On a replica, expired keys look missing but stay until the master's DEL
// arrives; commands from the master itself still see them.
func (n *Node) lookup(c *client, key []byte) *entry {
	ks := n.dbs[c.db]
	e := ks.lookup(string(key))
	if e == nil || !n.expired(e) {
		if e != nil && !n.noTouch {
			n.touch(e)
		}
		return e
	}
	if n.repl.isReplica() && !n.bug(BugReplicaExpires) {
		if c.isMasterLink {
			return e
		}
		if !n.writing {
			return nil
		}
		// A write on a writable replica deletes the expired key and logs
		// the DEL, as Redis's lookupKeyWrite (LOOKUP_WRITE) does: else the
		// AOF would replay the write onto the old value.
	}
	n.expireKey(c.db, e.key)
	return nil
}

// lookupNoTouch is lookup without recording an access (Redis's
// LOOKUP_NOTOUCH: TYPE, EXISTS, TTL and OBJECT leave the idle time alone).
func (n *Node) lookupNoTouch(c *client, key []byte) *entry {
	n.noTouch = true
	e := n.lookup(c, key)
	n.noTouch = false
	return e
}

// expireKey deletes an expired key and propagates its deletion. It leaves
// the change count alone: Redis 7.0.15's deleteExpiredKeyAndPropagate
// counts expired_keys, not server.dirty (INFO rdb_changes_since_last_save
// and the save points do not see expiries).
func (n *Node) expireKey(db int, key string) {
	n.dbs[db].remove(key)
	n.stats.expiredKeys++
	if n.prop.depth > 0 {
		// Inside a command: the DEL goes out with the command's own
		// propagation, wrapped with it in MULTI/EXEC as Redis 7.0 does.
		n.propagateStringsIn(db, "DEL", key)
		n.prop.wrap = true
		return
	}
	del := encodeCommand("DEL", key)
	n.feedAOF(db, del)
	if !n.repl.isReplica() {
		n.feedStream(db, del)
	}
}

// activeExpire samples keys with an expiry, as Redis's active expire cycle.
func (n *Node) activeExpire() {
	if n.activeExpireOff {
		return
	}
	if n.repl.isReplica() && !n.bug(BugReplicaExpires) {
		n.expireReplicaKeys()
		return
	}
	now := n.nowMs()
	for dbi, ks := range n.dbs {
		if ks.expires == 0 {
			continue
		}
		for tries := 0; tries < 20 && ks.expires > 0 && len(ks.entries) > 0; tries++ {
			i := int(n.env.Rand() % uint64(len(ks.entries)))
			e := &ks.entries[i]
			if e.expireAt != 0 && now > e.expireAt {
				n.expireKey(dbi, e.key)
			}
		}
	}
}

// snapshot captures the dataset as an RDB snapshot; forReplication adds the
// replication AUX fields.
func (n *Node) snapshot(forReplication bool) *rdb.Snapshot {
	s := &rdb.Snapshot{Aux: rdb.StandardAux("7.0.15", n.nowMs()/1000, 1<<20)}
	if forReplication {
		// repl-stream-db is the db the stream that follows the snapshot is
		// in: a replica serving a sub-replica forwards its master's stream
		// raw, with no forced SELECT, so the sub-replica must start there.
		db, _ := n.replStreamDB()
		if n.bug(BugNoSelectAfterFullSync) {
			db = 0 // the planted slip: neither a forced SELECT nor the stream's db
		}
		s.Aux = rdb.StandardReplAux("7.0.15", n.nowMs()/1000, 1<<20, db, n.repl.replid, n.repl.offset)
	}
	for i, ks := range n.dbs {
		if ks.len() == 0 {
			continue
		}
		db := rdb.DB{Index: i, Entries: make([]rdb.Entry, len(ks.entries))}
		for j := range ks.entries {
			db.Entries[j] = ks.entries[j].rdbEntry()
		}
		s.DBs = append(s.DBs, db)
	}
	return s
}

// loadSnapshot adds a snapshot's keys to the (normally empty) dataset. It
// checks every db index before changing anything.
func (n *Node) loadSnapshot(s *rdb.Snapshot) error {
	defer n.muteWatches()()
	for _, db := range s.DBs {
		if db.Index < 0 || db.Index >= len(n.dbs) {
			return fmt.Errorf("data file has db %d but this server is configured for %d databases", db.Index, len(n.dbs))
		}
	}
	for _, db := range s.DBs {
		for i := range db.Entries {
			if !loadableType(db.Entries[i].Type) {
				return fmt.Errorf("key %q: value type %d is not supported by this server", db.Entries[i].Key, db.Entries[i].Type)
			}
		}
	}
	for _, db := range s.DBs {
		ks := n.dbs[db.Index]
		for i := range db.Entries {
			e := &db.Entries[i]
			val, obj := n.valueFromRDB(e)
			ks.put(e.Key, val, obj, e.ExpireAtMs)
		}
	}
	return nil
}
