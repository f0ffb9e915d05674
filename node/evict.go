package node

import (
	"strings"

	"github.com/replsim/replsim/tap"
)

// maxmemory and its eviction policies, approximated as Redis 7.0 does:
// a pool of the best candidates from maxmemory-samples sampled keys per db
// (by idle time, LFU counter or nearest expiry), or a random key per db in
// turn. Samples come from the node's seeded Rand, so simulation replays.

// evictionPoolSize is EVPOOL_SIZE.
const evictionPoolSize = 16

// poolEntry is one eviction candidate; higher score evicts first.
type poolEntry struct {
	db    int
	key   string
	score uint64
}

// evictState is what eviction keeps between calls.
type evictState struct {
	pool   []poolEntry // ascending score
	nextDB int
}

// errOOM is Redis's shared.oomerr.
const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

func policyLRU(p string) bool  { return strings.HasSuffix(p, "-lru") }
func policyLFU(p string) bool  { return strings.HasSuffix(p, "-lfu") }
func policyAll(p string) bool  { return strings.HasPrefix(p, "allkeys-") }
func policyPool(p string) bool { return policyLRU(p) || policyLFU(p) || p == "volatile-ttl" }

// lruClock is Redis's LRU clock: seconds, 24 bits.
func (n *Node) lruClock() uint32 { return uint32(n.nowMs()/1000) & lruClockMax }

const lruClockMax = 1<<24 - 1

// touch records an access to e in its lru field, as Redis's lookupKey
// does on every lookup that does not ask for LOOKUP_NOTOUCH: the LRU
// clock, or under an LFU policy the bumped counter.
func (n *Node) touch(e *entry) {
	if policyLFU(n.cfg.MaxMemoryPolicy) {
		e.lru = n.lfuTouched(e.lru)
		return
	}
	e.lru = n.lruClock()
}

// lruFor is the lru field of a value put over old (nil: a new key), as
// Redis's createObject and dbSetValue leave it: the LRU clock, or under
// an LFU policy a fresh counter for a new key and the old one kept for an
// overwritten key.
func (n *Node) lruFor(old *entry) uint32 {
	if !policyLFU(n.cfg.MaxMemoryPolicy) {
		return n.lruClock()
	}
	if old != nil {
		return old.lru
	}
	return n.lfuMinutes()<<8 | lfuInitVal
}

// touchNew initialises the lru field of a key just created.
func (n *Node) touchNew(e *entry) {
	if policyLFU(n.cfg.MaxMemoryPolicy) {
		e.lru = n.lfuMinutes()<<8 | lfuInitVal
		return
	}
	e.lru = n.lruClock()
}

// LFU: the high 16 bits hold minutes, the low 8 a logarithmic counter
// (lfu-log-factor 10, lfu-decay-time 1: Redis's defaults).
const (
	lfuInitVal   = 5
	lfuLogFactor = 10
)

func (n *Node) lfuMinutes() uint32 { return uint32(n.nowMs()/60000) & 0xffff }

// lfuTouched decays the counter by the minutes elapsed, then increments it
// with probability 1/((counter-5)*factor+1), as LFULogIncr.
func (n *Node) lfuTouched(lru uint32) uint32 {
	counter := n.lfuDecayed(lru)
	if counter < 255 {
		base := float64(0)
		if counter > lfuInitVal {
			base = float64(counter - lfuInitVal)
		}
		r := float64(n.env.Rand()>>11) / (1 << 53)
		if r < 1/(base*lfuLogFactor+1) {
			counter++
		}
	}
	return n.lfuMinutes()<<8 | counter
}

func (n *Node) lfuDecayed(lru uint32) uint32 {
	counter := lru & 0xff
	elapsed := (n.lfuMinutes() - lru>>8) & 0xffff
	if elapsed >= counter {
		return 0
	}
	return counter - elapsed
}

// evictScore ranks e for the policy: the larger, the better to evict.
func (n *Node) evictScore(e *entry) uint64 {
	p := n.cfg.MaxMemoryPolicy
	switch {
	case policyLRU(p):
		now := n.lruClock()
		if now >= e.lru {
			return uint64(now - e.lru)
		}
		return uint64(now + lruClockMax - e.lru)
	case policyLFU(p):
		return 255 - uint64(n.lfuDecayed(e.lru))
	default: // volatile-ttl: sooner expiry first
		return ^uint64(e.expireAt)
	}
}

// sampleKey draws a random entry of ks among all keys, or among those
// with an expiry (the caller knows ks has one): from a random slot, the
// first expiring entry on.
func (n *Node) sampleKey(ks *keyspace, all bool) *entry {
	i := int(n.env.Rand() % uint64(len(ks.entries)))
	if all {
		return &ks.entries[i]
	}
	for range ks.entries {
		if e := &ks.entries[i]; e.expireAt != 0 {
			return e
		}
		if i++; i == len(ks.entries) {
			i = 0
		}
	}
	return nil
}

// populatePool is evictionPoolPopulate: sample keys of one db into the pool.
func (n *Node) populatePool(db int, all bool) {
	ks := n.dbs[db]
	st := &n.evict
	for range n.cfg.MaxMemorySamples {
		e := n.sampleKey(ks, all)
		if e == nil {
			continue
		}
		score := n.evictScore(e)
		dup := false
		for _, p := range st.pool {
			if p.db == db && p.key == e.key {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if len(st.pool) == evictionPoolSize && score <= st.pool[0].score {
			continue
		}
		at := 0
		for at < len(st.pool) && st.pool[at].score < score {
			at++
		}
		st.pool = append(st.pool, poolEntry{})
		copy(st.pool[at+1:], st.pool[at:])
		st.pool[at] = poolEntry{db: db, key: e.key, score: score}
		if len(st.pool) > evictionPoolSize {
			st.pool = append(st.pool[:0], st.pool[1:]...)
		}
	}
}

// pickVictim chooses the next key to evict, or ok false when no key fits
// the policy.
func (n *Node) pickVictim() (db int, key string, ok bool) {
	p := n.cfg.MaxMemoryPolicy
	all := policyAll(p) || n.bug(BugVolatileEvictsPersistent)
	count := func(ks *keyspace) int {
		if all {
			return ks.len()
		}
		return ks.expires
	}
	if !policyPool(p) {
		for range n.dbs {
			n.evict.nextDB = (n.evict.nextDB + 1) % len(n.dbs)
			ks := n.dbs[n.evict.nextDB]
			if count(ks) == 0 {
				continue
			}
			if e := n.sampleKey(ks, all); e != nil {
				return n.evict.nextDB, e.key, true
			}
		}
		return 0, "", false
	}
	for {
		total := 0
		for i, ks := range n.dbs {
			if c := count(ks); c > 0 {
				total += c
				n.populatePool(i, all)
			}
		}
		if total == 0 {
			return 0, "", false
		}
		pool := &n.evict.pool
		for len(*pool) > 0 {
			best := (*pool)[len(*pool)-1]
			*pool = (*pool)[:len(*pool)-1]
			if e := n.dbs[best.db].lookup(best.key); e != nil && (all || e.expireAt != 0) {
				return best.db, best.key, true
			}
		}
	}
}

// performEvictions frees keys until the memory counted for eviction is
// within maxmemory, as Redis's performEvictions. It reports false when it
// cannot get there (nothing left the policy may evict). Replicas never
// evict (replica-ignore-maxmemory yes).
func (n *Node) performEvictions() bool {
	if n.cfg.MaxMemory == 0 || (n.repl.isReplica() && !n.bug(BugReplicaEvicts)) {
		return true
	}
	used := n.memoryForEviction()
	if used <= n.cfg.MaxMemory {
		return true
	}
	if n.cfg.MaxMemoryPolicy == "noeviction" {
		return false
	}
	for used > n.cfg.MaxMemory {
		db, key, ok := n.pickVictim()
		if !ok {
			return false
		}
		// performEvictions counts evicted_keys, not server.dirty.
		n.dbs[db].remove(key)
		n.stats.evictedKeys++
		if !n.bug(BugEvictionNotPropagated) {
			del := encodeCommand("DEL", key)
			n.feedAOF(db, del)
			n.feedStream(db, del)
		}
		if t, ok := n.env.(tap.EvictTap); ok {
			t.Evicted(db, key, n.cfg.MaxMemoryPolicy)
		}
		used = n.memoryForEviction()
	}
	return true
}

// denyOOM is the maxmemory check of processCommand: it answers -OOM and
// reports true when cmd may not run because memory is over maxmemory and
// eviction cannot help. The master link is exempt.
func (n *Node) denyOOM(c *client, cmd *command) bool {
	if n.cfg.MaxMemory == 0 || c.isMasterLink {
		return false
	}
	if n.performEvictions() {
		return false
	}
	// EXEC is refused when a queued command may use memory (Redis checks
	// the transaction's flags: "EXEC with at least one use-memory command
	// should fail").
	reject := cmd.flags&flagDenyOOM != 0 || (cmd.name == "exec" && c.inMulti && c.multiFlags&flagDenyOOM != 0) ||
		(c.inMulti && cmd.name != "exec" && cmd.name != "discard" && cmd.name != "multi" && cmd.name != "watch" &&
			cmd.name != "quit" && cmd.name != "reset")
	if reject {
		n.rejectCommand(c, cmd, errOOM)
	}
	return reject
}
