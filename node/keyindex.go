package node

import "math/bits"

// keyIndex finds a key's position in a keyspace's dense entry slice. It is
// an open-addressing hash table of 8-byte slots (linear probing,
// backward-shift deletion, so no tombstones): a slot holds the entry's
// position plus one in its low half (0 is empty) and the high half of the
// key's hash, which settles most mismatches without touching the entry.
// A Go map[string]int32 costs 40-50 bytes a key (its own copy of the string
// header, and load-factor slack); this costs 11-21. The hash is fixed (no
// per-process seed), so the layout depends only on the history of
// operations, like everything else in the node.
type keyIndex struct {
	slots []uint64
	mask  uint64
	used  int
	// entries is the owner's entry slice, where a slot's key is read; a
	// set's table indexes its members slice instead (strs), a hash's its
	// pairs, a sorted set's its skiplist nodes.
	entries *[]entry
	strs    *[]string
	pairs   *[]hashPair
	nodes   *[]*zslNode
}

func (x *keyIndex) keyOf(i int32) string {
	switch {
	case x.strs != nil:
		return (*x.strs)[i]
	case x.pairs != nil:
		return (*x.pairs)[i].field
	case x.nodes != nil:
		return (*x.nodes)[i].member
	}
	return (*x.entries)[i].key
}

// keyIndexMinSlots is the table size of an empty keyspace's first key.
const keyIndexMinSlots = 8

// find returns the position of key in entries, or -1.
func (x *keyIndex) find(key string) int32 {
	if x.used == 0 {
		return -1
	}
	h := hashKey(key)
	tag := h >> 32
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots[p]
		if s == 0 {
			return -1
		}
		if s>>32 == tag {
			if i := int32(uint32(s)) - 1; x.keyOf(i) == key {
				return i
			}
		}
	}
}

// insert records that key (not in the index) is at position i.
func (x *keyIndex) insert(key string, i int32) {
	if (x.used+1)*4 > len(x.slots)*3 {
		x.resize(max(keyIndexMinSlots, len(x.slots)*2))
	}
	x.place(hashKey(key), i)
	x.used++
}

func (x *keyIndex) place(h uint64, i int32) {
	p := h & x.mask
	for x.slots[p] != 0 {
		p = (p + 1) & x.mask
	}
	x.slots[p] = h>>32<<32 | uint64(uint32(i+1))
}

// slotOf returns the slot that holds position i of key.
func (x *keyIndex) slotOf(key string, i int32) uint64 {
	want := uint64(uint32(i + 1))
	for p := hashKey(key) & x.mask; ; p = (p + 1) & x.mask {
		if uint64(uint32(x.slots[p])) == want {
			return p
		}
	}
}

// move records that key, at position from, is now at position to.
func (x *keyIndex) move(key string, from, to int32) {
	p := x.slotOf(key, from)
	x.slots[p] = x.slots[p]>>32<<32 | uint64(uint32(to+1))
}

// remove forgets key, at position i, shifting back the run after it so
// that every key stays reachable from its home slot.
func (x *keyIndex) remove(key string, i int32) {
	p := x.slotOf(key, i)
	x.used--
	for q := (p + 1) & x.mask; x.slots[q] != 0; q = (q + 1) & x.mask {
		home := x.homeOf(q)
		// The slot at q may fill the hole at p unless its home lies
		// cyclically in (p, q].
		if (q > p && (home <= p || home > q)) || (q < p && home <= p && home > q) {
			x.slots[p] = x.slots[q]
			p = q
		}
	}
	x.slots[p] = 0
}

// homeOf is the slot where the key in slot q would start probing. The tag
// keeps only the hash's high half, so the home comes from rehashing the
// key.
func (x *keyIndex) homeOf(q uint64) uint64 {
	return hashKey(x.keyOf(int32(uint32(x.slots[q]))-1)) & x.mask
}

// resize rebuilds the table with n slots (a power of two).
func (x *keyIndex) resize(n int) {
	old := x.slots
	x.slots = make([]uint64, n)
	x.mask = uint64(n - 1)
	for _, s := range old {
		if s != 0 {
			x.place(x.rehash(s), int32(uint32(s))-1)
		}
	}
}

// rehash recovers the full hash of the key in slot s.
func (x *keyIndex) rehash(s uint64) uint64 {
	return hashKey(x.keyOf(int32(uint32(s)) - 1))
}

// reserve makes room for n keys in all without growing again.
func (x *keyIndex) reserve(n int) {
	want := keyIndexMinSlots
	for want*3 < n*4 {
		want *= 2
	}
	if want > len(x.slots) {
		x.resize(want)
	}
}

// hashKey is a fixed, fast 64-bit hash of a key (wyhash-style mixing of 8
// bytes at a time).
func hashKey(s string) uint64 {
	const (
		p0 = 0xa0761d6478bd642f
		p1 = 0xe7037ed1a0b428db
		p2 = 0x8ebc6af09c88c6e3
	)
	h := uint64(len(s)) * p0
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = mix64(h^w, p1)
		s = s[8:]
	}
	var tail uint64
	for i := len(s) - 1; i >= 0; i-- {
		tail = tail<<8 | uint64(s[i])
	}
	return mix64(mix64(h^tail, p2)^h>>29, p1)
}

func mix64(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}
