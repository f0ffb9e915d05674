package node

import "slices"

// entry is one key: a string (val, with obj nil or a strEnc tag) or a
// collection (obj).
type entry struct {
	key string
	val string
	obj value
	// expireAt is the absolute expiry in Unix milliseconds; 0 means none.
	expireAt int64
	// lru is Redis's robj lru field: the LRU clock of the last access, or
	// LFU data (memory.go).
	lru uint32
}

// keyspace is one logical database. Entries live in a dense slice indexed by
// a map, so iteration order depends only on the history of operations (never
// on Go's map order) and a random key costs O(1).
type keyspace struct {
	index   keyIndex
	entries []entry
	expires int // entries with expireAt != 0
	// expireSet, when set, hears of every key given a TTL (see
	// replica_expire.go).
	expireSet func(key string)
	// onAdd hears of every key added (not overwritten) holding a
	// collection: blocked clients wait for lists and sorted sets.
	onAdd func(key string, obj value)
	// mem is what Redis would allocate for the entries (memory.go; the
	// strings only: collections are not counted yet).
	mem int64
	// collMem is what mem counts for each collection (memory_coll.go),
	// refreshed when the key is put or a command writes it.
	collMem map[string]int64
	// lruFor, when set, gives the lru field of a key put over old (nil
	// for a new key): Redis's createObject stamps every new value.
	lruFor func(old *entry) uint32
	// watched maps a key to the clients that WATCH it in this db
	// (db_watch.go).
	watched map[string][]*watchedKey
}

func newKeyspace() *keyspace {
	ks := &keyspace{}
	ks.index.entries = &ks.entries
	return ks
}

func (ks *keyspace) len() int { return len(ks.entries) }

// lookup returns the entry for key without regard to expiry.
func (ks *keyspace) lookup(key string) *entry {
	i := ks.index.find(key)
	if i < 0 {
		return nil
	}
	return &ks.entries[i]
}

// set stores the string val under key and sets its expiry.
func (ks *keyspace) set(key, val string, expireAt int64) {
	ks.put(key, val, nil, expireAt)
}

// put stores val and obj (see entry) under key and sets its expiry,
// replacing whatever the key held.
func (ks *keyspace) put(key, val string, obj value, expireAt int64) *entry {
	if i := ks.index.find(key); i >= 0 {
		e := &ks.entries[i]
		if e.expireAt != 0 {
			ks.expires--
		}
		ks.mem += valueMem(val) - valueMem(e.val) + expireMem(expireAt) - expireMem(e.expireAt)
		e.val, e.obj = val, obj
		kept := expireAt == e.expireAt
		e.expireAt = expireAt
		if obj != nil || ks.collMem != nil {
			ks.noteCollMem(key, obj)
		}
		if ks.lruFor != nil {
			e.lru = ks.lruFor(e)
		}
		if expireAt != 0 {
			ks.expires++
			// A write that keeps the key's TTL (INCR, SET KEEPTTL, a
			// collection's) gives none: Redis calls setExpire only where
			// a command sets one.
			if !kept {
				ks.noteExpire(key)
			}
		}
		ks.touchWatched(key)
		return e
	}
	ks.entries = append(ks.entries, entry{key: key, val: val, obj: obj, expireAt: expireAt})
	ks.index.insert(key, int32(len(ks.entries)-1))
	if ks.lruFor != nil {
		ks.entries[len(ks.entries)-1].lru = ks.lruFor(nil)
	}
	ks.mem += entryMem(key, val, expireAt)
	if obj != nil {
		ks.noteCollMem(key, obj)
	}
	if expireAt != 0 {
		ks.expires++
		ks.noteExpire(key)
	}
	if obj != nil && ks.onAdd != nil {
		ks.onAdd(key, obj)
	}
	ks.touchWatched(key)
	return &ks.entries[len(ks.entries)-1]
}

// reserve makes room for n more keys at once, so a command that adds many
// keys (a huge MSET, a load) grows the index and the entries once instead
// of doubling its way there.
func (ks *keyspace) reserve(n int) {
	if n <= 0 {
		return
	}
	ks.entries = slices.Grow(ks.entries, n)
	ks.index.reserve(len(ks.entries) + n)
}

// rewrite changes the string an existing entry holds in place (APPEND,
// SETRANGE), keeping the memory count true.
func (ks *keyspace) rewrite(e *entry, val string, obj value) {
	ks.mem += valueMem(val) - valueMem(e.val)
	e.val, e.obj = val, obj
}

func (ks *keyspace) noteExpire(key string) {
	if ks.expireSet != nil {
		ks.expireSet(key)
	}
}

// setExpire changes the expiry of an existing key.
func (ks *keyspace) setExpire(e *entry, expireAt int64) {
	ks.mem += expireMem(expireAt) - expireMem(e.expireAt)
	if e.expireAt != 0 {
		ks.expires--
	}
	e.expireAt = expireAt
	if expireAt != 0 {
		ks.expires++
		ks.noteExpire(e.key)
	}
	ks.touchWatched(e.key)
}

// remove deletes key and reports whether it existed.
func (ks *keyspace) remove(key string) bool {
	i := ks.index.find(key)
	if i < 0 {
		return false
	}
	if ks.entries[i].expireAt != 0 {
		ks.expires--
	}
	ks.mem -= entryMem(key, ks.entries[i].val, ks.entries[i].expireAt)
	ks.dropCollMem(key)
	ks.index.remove(key, i)
	last := int32(len(ks.entries) - 1)
	if i != last {
		ks.index.move(ks.entries[last].key, last, i)
		ks.entries[i] = ks.entries[last]
	}
	ks.entries[last] = entry{}
	ks.entries = ks.entries[:last]
	ks.touchWatched(key)
	return true
}

// clear empties the db, first dirtying the clients that watch a key in it.
func (ks *keyspace) clear() {
	if len(ks.watched) > 0 {
		ks.touchAllWatched(nil, nil)
	}
	ks.entries = nil
	ks.index = keyIndex{entries: &ks.entries}
	ks.expires = 0
	ks.mem = 0
	ks.collMem = nil
}
