package node

// Memory of hashes, sets and sorted sets as Redis 7.0's objectComputeSize
// reckons it (lists: listValue.memUsage): the object, the listpack or
// intset blob as jemalloc rounds it, or for a table the dict, its bucket
// array and the average of the first samples elements (dict entry, sds
// strings, skiplist node) times the number of elements. Sampling walks
// our own element order, not Redis's hash order, so for tables of unequal
// elements the figure is close to Redis's, not equal to it.
//
// The same figure, with the default 5 samples, is what used_memory and
// the maxmemory accounting count for a collection (keyspace.collMem): it
// is refreshed after each command that writes the key, so evictions see
// collections grow.

const (
	// dictStructSize is sizeof(dict) in 7.0.
	dictStructSize = 56
	// zsetStructSize and zskiplistSize are sizeof(zset), sizeof(zskiplist).
	zsetStructSize = 16
	zskiplistSize  = 32
	// zslNodeSize is sizeof(zskiplistNode) without its levels; each level
	// adds zslLevelSize.
	zslNodeSize  = 24
	zslLevelSize = 16
)

// dictSlots is the number of buckets of a dict holding n entries.
func dictSlots(n int) int64 { return dictTableMem(n) / 8 }

// sampleMean returns the sum of the first samples sizes and how many.
func sampleLimit(samples int64, n int) int {
	if samples <= 0 || samples > int64(n) {
		return n
	}
	return int(samples)
}

func (h *hashValue) memUsage(samples int64) int64 {
	if h.lp != nil {
		return robjSize + jemallocSize(len(h.lp))
	}
	size := float64(robjSize + dictStructSize + 8*dictSlots(len(h.pairs)))
	k := sampleLimit(samples, len(h.pairs))
	if k == 0 {
		return int64(size)
	}
	var ele float64
	for _, p := range h.pairs[:k] {
		ele += float64(sdsMem(len(p.field)) + sdsMem(len(p.value)) + dictEntrySize)
	}
	return int64(size + ele/float64(k)*float64(len(h.pairs)))
}

func (s *setValue) memUsage(samples int64) int64 {
	if s.is != nil {
		return robjSize + jemallocSize(len(s.is))
	}
	size := float64(robjSize + dictStructSize + 8*dictSlots(len(s.members)))
	k := sampleLimit(samples, len(s.members))
	if k == 0 {
		return int64(size)
	}
	var ele float64
	for _, m := range s.members[:k] {
		ele += float64(dictEntrySize + sdsMem(len(m)))
	}
	return int64(size + ele/float64(k)*float64(len(s.members)))
}

func (z *zsetValue) memUsage(samples int64) int64 {
	if z.lp != nil {
		return robjSize + jemallocSize(len(z.lp))
	}
	size := float64(robjSize + zsetStructSize + zskiplistSize + dictStructSize + 8*dictSlots(z.sl.length) +
		jemallocSize(zslNodeSize+zslMaxLevel*zslLevelSize))
	k := sampleLimit(samples, z.sl.length)
	if k == 0 {
		return int64(size)
	}
	var ele float64
	nd := z.sl.first()
	for i := 0; i < k && nd != nil; i++ {
		ele += float64(sdsMem(len(nd.member)) + dictEntrySize + jemallocSize(zslNodeSize+nd.levels()*zslLevelSize))
		nd = nd.next
	}
	return int64(size + ele/float64(k)*float64(z.sl.length))
}

// collMemOf is what used_memory counts for a collection value (0 for a
// string, which valueMem counts).
func collMemOf(obj value) int64 {
	if s, ok := obj.(memSizer); ok {
		return s.memUsage(memUsageSamples)
	}
	return 0
}

// noteCollMem refreshes the figure counted for key's collection (after a
// put or an in-place change); a key that holds no collection counts 0.
func (ks *keyspace) noteCollMem(key string, obj value) {
	m := collMemOf(obj)
	old, had := ks.collMem[key]
	if m == 0 {
		if had {
			ks.mem -= old
			delete(ks.collMem, key)
		}
		return
	}
	if ks.collMem == nil {
		ks.collMem = make(map[string]int64)
	}
	ks.mem += m - old
	ks.collMem[key] = m
}

// dropCollMem stops counting key's collection (the key is gone).
func (ks *keyspace) dropCollMem(key string) {
	if old, ok := ks.collMem[key]; ok {
		ks.mem -= old
		delete(ks.collMem, key)
	}
}

// refreshCollMem re-reckons the collections under keys after a command
// that may have changed them in place.
func (n *Node) refreshCollMem(db int, keys [][]byte) {
	ks := n.dbs[db]
	for _, k := range keys {
		if e := ks.lookup(string(k)); e != nil {
			ks.noteCollMem(e.key, e.obj)
		} else {
			ks.dropCollMem(string(k))
		}
	}
}

// refreshWrittenColls re-reckons, after a write command that changed
// something, the collections among its key arguments in c's db (those it
// may have changed in place; keys it replaced were counted by put).
func (n *Node) refreshWrittenColls(c *client, cmd *command, args [][]byte, dirtyBefore int64) {
	if cmd.flags&flagWrite == 0 || n.dirty == dirtyBefore || c.db >= len(n.dbs) || len(n.dbs[c.db].collMem) == 0 {
		return
	}
	m := metaFor(cmd)
	if m == nil {
		return
	}
	refs, ok := m.keys(args)
	if !ok {
		return
	}
	ks := n.dbs[c.db]
	for _, r := range refs {
		if r.pos < len(args) {
			if e := ks.lookup(string(args[r.pos])); e != nil && isCollection(e.obj) {
				ks.noteCollMem(e.key, e.obj)
			}
		}
	}
}

// isCollection reports whether obj is a collection, whose memory the
// keyspace counts (a string's encoding is not: put and rewrite count
// strings, and a string that replaced a collection was put).
func isCollection(obj value) bool {
	_, ok := obj.(memSizer)
	return ok
}
