package node

// Keys that clients give a TTL on a writable replica (replica-read-only
// no) are unknown to the master, which will never send their DEL. Like
// Redis (slaveKeysWithExpire in expire.c), the node remembers their names
// with a bitmap of the dbs they were set in, and the replica's cron deletes
// the ones that expired instead of running the master's expire cycle.

// replicaExpires is the set of remembered key names, kept in a slice with
// an index so that random picks depend only on the node's random stream.
type replicaExpires struct {
	keys  []string
	index map[string]int
	dbs   []uint64 // per key, bit i set: the key may have a TTL in db i
	// on is set while a client command runs on a writable replica, so
	// TTLs set then are remembered.
	on bool
}

// replicaExpireBudget caps the keys one cron run examines (Redis stops
// after about a millisecond).
const replicaExpireBudget = 1024

// initReplicaExpires hooks every db so that a TTL set while tracking is
// on is remembered.
func (n *Node) initReplicaExpires() {
	for i, ks := range n.dbs {
		db := i
		ks.expireSet = func(key string) {
			if n.replExp.on {
				n.replExp.remember(db, key)
			}
		}
	}
}

// trackReplicaExpires says whether TTLs set by a command of c are to be
// remembered: c is a client (not our master) of a writable replica.
func (n *Node) trackReplicaExpires(c *client) bool {
	return n.repl.isReplica() && !n.cfg.ReplicaReadOnly && !c.isMasterLink
}

func (r *replicaExpires) remember(db int, key string) {
	if db > 63 {
		return
	}
	i, ok := r.index[key]
	if !ok {
		if r.index == nil {
			r.index = make(map[string]int)
		}
		i = len(r.keys)
		r.index[key] = i
		r.keys = append(r.keys, key)
		r.dbs = append(r.dbs, 0)
	}
	r.dbs[i] |= 1 << uint(db)
}

func (r *replicaExpires) forget(i int) {
	last := len(r.keys) - 1
	delete(r.index, r.keys[i])
	if i != last {
		r.keys[i], r.dbs[i] = r.keys[last], r.dbs[last]
		r.index[r.keys[i]] = i
	}
	r.keys, r.dbs = r.keys[:last], r.dbs[:last]
}

// flush forgets every remembered key (FLUSHALL, a full resync): keys of
// the same names the master sends later are not ours to expire.
func (r *replicaExpires) flush() {
	r.keys, r.dbs, r.index = nil, nil, nil
}

// expireReplicaKeys is Redis's expireSlaveKeys: it picks remembered keys
// at random, deletes those whose TTL passed and forgets those without a
// TTL, until it meets more than three that are not due yet.
func (n *Node) expireReplicaKeys() {
	r := &n.replExp
	now := n.nowMs()
	noexpire := 0
	for cycles := 0; len(r.keys) > 0 && noexpire <= 3 && cycles < replicaExpireBudget; cycles++ {
		i := int(n.env.Rand() % uint64(len(r.keys)))
		key, dbs := r.keys[i], r.dbs[i]
		var keep uint64
		for db := 0; dbs != 0 && db < len(n.dbs); db, dbs = db+1, dbs>>1 {
			if dbs&1 == 0 {
				continue
			}
			e := n.dbs[db].lookup(key)
			if e == nil || e.expireAt == 0 {
				continue
			}
			if now > e.expireAt {
				n.expireKey(db, key)
				continue
			}
			noexpire++
			keep |= 1 << uint(db)
		}
		if keep != 0 {
			r.dbs[i] = keep
		} else {
			r.forget(i)
		}
	}
}
