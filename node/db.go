package node

// entry is one key. Only strings exist in this node.
type entry struct {
	key string
	val string
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
	// mem is what Redis would allocate for the entries (memory.go).
	mem int64
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

// set stores val under key and sets its expiry.
func (ks *keyspace) set(key, val string, expireAt int64) {
	if i, ok := ks.index[key]; ok {
		e := &ks.entries[i]
		if e.expireAt != 0 {
			ks.expires--
		}
		ks.mem += valueMem(val) - valueMem(e.val) + expireMem(expireAt) - expireMem(e.expireAt)
		e.val = val
		e.expireAt = expireAt
		if expireAt != 0 {
			ks.expires++
		}
		return
	}
	ks.index[key] = int32(len(ks.entries))
	ks.entries = append(ks.entries, entry{key: key, val: val, expireAt: expireAt})
	ks.mem += entryMem(key, val, expireAt)
	if expireAt != 0 {
		ks.expires++
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
	}
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
	return true
}

func (ks *keyspace) clear() {
	ks.index = make(map[string]int32)
	ks.entries = nil
	ks.expires = 0
	ks.mem = 0
}
