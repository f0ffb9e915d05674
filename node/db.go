package node

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
	index   map[string]int32
	entries []entry
	expires int // entries with expireAt != 0
	// expireSet, when set, hears of every key given a TTL (see
	// replica_expire.go).
	expireSet func(key string)
	// mem is what Redis would allocate for the entries (memory.go; the
	// strings only: collections are not counted yet).
	mem int64
	// watched maps a key to the clients that WATCH it in this db
	// (db_watch.go).
	watched map[string][]*watchedKey
}

func newKeyspace() *keyspace { return &keyspace{index: make(map[string]int32)} }

func (ks *keyspace) len() int { return len(ks.entries) }

// lookup returns the entry for key without regard to expiry.
func (ks *keyspace) lookup(key string) *entry {
	i, ok := ks.index[key]
	if !ok {
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
	if i, ok := ks.index[key]; ok {
		e := &ks.entries[i]
		if e.expireAt != 0 {
			ks.expires--
		}
		ks.mem += valueMem(val) - valueMem(e.val) + expireMem(expireAt) - expireMem(e.expireAt)
		e.val, e.obj = val, obj
		e.expireAt = expireAt
		if expireAt != 0 {
			ks.expires++
			ks.noteExpire(key)
		}
		ks.touchWatched(key)
		return e
	}
	ks.index[key] = int32(len(ks.entries))
	ks.entries = append(ks.entries, entry{key: key, val: val, obj: obj, expireAt: expireAt})
	ks.mem += entryMem(key, val, expireAt)
	if expireAt != 0 {
		ks.expires++
		ks.noteExpire(key)
	}
	ks.touchWatched(key)
	return &ks.entries[len(ks.entries)-1]
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
	i, ok := ks.index[key]
	if !ok {
		return false
	}
	if ks.entries[i].expireAt != 0 {
		ks.expires--
	}
	ks.mem -= entryMem(key, ks.entries[i].val, ks.entries[i].expireAt)
	last := len(ks.entries) - 1
	if int(i) != last {
		ks.entries[i] = ks.entries[last]
		ks.index[ks.entries[i].key] = i
	}
	ks.entries[last] = entry{}
	ks.entries = ks.entries[:last]
	delete(ks.index, key)
	ks.touchWatched(key)
	return true
}

// clear empties the db, first dirtying the clients that watch a key in it.
func (ks *keyspace) clear() {
	if len(ks.watched) > 0 {
		ks.touchAllWatched(nil, nil)
	}
	ks.index = make(map[string]int32)
	ks.entries = nil
	ks.expires = 0
	ks.mem = 0
}
