package node

// zskiplist is the ordered half of a big sorted set: a skiplist keyed by
// (score, member) with spans, so that rank lookups, rank-to-element and
// range bounds are O(log n), as in Redis's t_zset.c. The levels come from
// the list's own xorshift generator with a fixed seed, so the shape of the
// list (and nothing observable) is deterministic.
type zskiplist struct {
	header *zslNode
	tail   *zslNode
	length int
	level  int
	rnd    uint64
}

type zslNode struct {
	member   string
	score    float64
	backward *zslNode
	level    []zslLevel
}

type zslLevel struct {
	forward *zslNode
	span    int
}

// zslMaxLevel and the 1/4 promotion chance are ZSKIPLIST_MAXLEVEL and
// ZSKIPLIST_P.
const zslMaxLevel = 32

func newSkiplist() *zskiplist {
	return &zskiplist{header: &zslNode{level: make([]zslLevel, zslMaxLevel)}, level: 1, rnd: 0x9E3779B97F4A7C15}
}

func (zsl *zskiplist) randomLevel() int {
	level := 1
	for level < zslMaxLevel {
		zsl.rnd ^= zsl.rnd << 13
		zsl.rnd ^= zsl.rnd >> 7
		zsl.rnd ^= zsl.rnd << 17
		if zsl.rnd&3 != 0 {
			break
		}
		level++
	}
	return level
}

// zslLess orders elements by score, then member bytes.
func zslLess(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// insert adds an element that is not in the list yet.
func (zsl *zskiplist) insert(score float64, member string) *zslNode {
	var update [zslMaxLevel]*zslNode
	var rank [zslMaxLevel]int
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		if i < zsl.level-1 {
			rank[i] = rank[i+1]
		}
		for f := x.level[i].forward; f != nil && zslLess(f.score, f.member, score, member); f = x.level[i].forward {
			rank[i] += x.level[i].span
			x = f
		}
		update[i] = x
	}
	level := zsl.randomLevel()
	if level > zsl.level {
		for i := zsl.level; i < level; i++ {
			rank[i] = 0
			update[i] = zsl.header
			update[i].level[i].span = zsl.length
		}
		zsl.level = level
	}
	x = &zslNode{member: member, score: score, level: make([]zslLevel, level)}
	for i := 0; i < level; i++ {
		x.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = x
		x.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	for i := level; i < zsl.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != zsl.header {
		x.backward = update[0]
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x
	} else {
		zsl.tail = x
	}
	zsl.length++
	return x
}

func (zsl *zskiplist) deleteNode(x *zslNode, update *[zslMaxLevel]*zslNode) {
	for i := 0; i < zsl.level; i++ {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		zsl.tail = x.backward
	}
	for zsl.level > 1 && zsl.header.level[zsl.level-1].forward == nil {
		zsl.level--
	}
	zsl.length--
}

// delete removes the element and reports whether it was there.
func (zsl *zskiplist) delete(score float64, member string) bool {
	var update [zslMaxLevel]*zslNode
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && zslLess(f.score, f.member, score, member); f = x.level[i].forward {
			x = f
		}
		update[i] = x
	}
	x = x.level[0].forward
	if x != nil && x.score == score && x.member == member {
		zsl.deleteNode(x, &update)
		return true
	}
	return false
}

// countBefore is the number of leading elements for which before holds;
// before must hold for a prefix of the list and fail after it.
func (zsl *zskiplist) countBefore(before func(*zslNode) bool) int {
	x, rank := zsl.header, 0
	for i := zsl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && before(f); f = x.level[i].forward {
			rank += x.level[i].span
			x = f
		}
	}
	return rank
}

// rankOf is the 0-based rank of an element known to be in the list.
func (zsl *zskiplist) rankOf(score float64, member string) int {
	return zsl.countBefore(func(n *zslNode) bool { return zslLess(n.score, n.member, score, member) })
}

// byRank returns the element at 0-based rank r, or nil.
func (zsl *zskiplist) byRank(r int) *zslNode {
	if r < 0 || r >= zsl.length {
		return nil
	}
	want := r + 1
	x, traversed := zsl.header, 0
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= want {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == want {
			return x
		}
	}
	return nil
}
