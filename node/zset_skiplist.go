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

// zslNode is one element. Level 0 is inline and has no span field: a
// level-0 link always spans 1 (Redis stores the 1). The three in four
// nodes of level 1 are thus one 48-byte allocation; a taller node keeps
// its levels from 1 up in up.
type zslNode struct {
	member   string
	score    float64
	backward *zslNode
	next     *zslNode // level 0's forward
	up       *[]zslLevel
}

type zslLevel struct {
	forward *zslNode
	span    int
}

// zslMaxLevel and the 1/4 promotion chance are ZSKIPLIST_MAXLEVEL and
// ZSKIPLIST_P.
const zslMaxLevel = 32

func newZslNode(level int, score float64, member string) *zslNode {
	x := &zslNode{member: member, score: score}
	if level > 1 {
		up := make([]zslLevel, level-1)
		x.up = &up
	}
	return x
}

// levels is the node's height.
func (x *zslNode) levels() int {
	if x.up == nil {
		return 1
	}
	return 1 + len(*x.up)
}

// forward is the next node at level i.
func (x *zslNode) forward(i int) *zslNode {
	if i == 0 {
		return x.next
	}
	return (*x.up)[i-1].forward
}

// span is how many level-0 steps the link at level i covers.
func (x *zslNode) span(i int) int {
	if i == 0 {
		return 1
	}
	return (*x.up)[i-1].span
}

// link sets the link at level i; at level 0 the span is 1 whenever
// forward is not nil, and unused when it is.
func (x *zslNode) link(i int, forward *zslNode, span int) {
	if i == 0 {
		x.next = forward
		return
	}
	(*x.up)[i-1] = zslLevel{forward, span}
}

// addSpan changes the span of the link at level i (i > 0) by d.
func (x *zslNode) addSpan(i, d int) { (*x.up)[i-1].span += d }

func newSkiplist() *zskiplist {
	return &zskiplist{header: newZslNode(zslMaxLevel, 0, ""), level: 1, rnd: 0x9E3779B97F4A7C15}
}

// first is the lowest element, or nil.
func (zsl *zskiplist) first() *zslNode { return zsl.header.next }

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
		for f := x.forward(i); f != nil && zslLess(f.score, f.member, score, member); f = x.forward(i) {
			rank[i] += x.span(i)
			x = f
		}
		update[i] = x
	}
	level := zsl.randomLevel()
	if level > zsl.level {
		for i := zsl.level; i < level; i++ {
			rank[i] = 0
			update[i] = zsl.header
			update[i].link(i, nil, zsl.length)
		}
		zsl.level = level
	}
	x = newZslNode(level, score, member)
	for i := 0; i < level; i++ {
		u := update[i]
		x.link(i, u.forward(i), u.span(i)-(rank[0]-rank[i]))
		u.link(i, x, rank[0]-rank[i]+1)
	}
	for i := level; i < zsl.level; i++ {
		update[i].addSpan(i, 1)
	}
	if update[0] != zsl.header {
		x.backward = update[0]
	}
	if x.next != nil {
		x.next.backward = x
	} else {
		zsl.tail = x
	}
	zsl.length++
	return x
}

func (zsl *zskiplist) deleteNode(x *zslNode, update *[zslMaxLevel]*zslNode) {
	for i := 0; i < zsl.level; i++ {
		u := update[i]
		if u.forward(i) == x {
			u.link(i, x.forward(i), u.span(i)+x.span(i)-1)
		} else {
			u.addSpan(i, -1)
		}
	}
	if x.next != nil {
		x.next.backward = x.backward
	} else {
		zsl.tail = x.backward
	}
	for zsl.level > 1 && zsl.header.forward(zsl.level-1) == nil {
		zsl.level--
	}
	zsl.length--
}

// delete removes the element and reports whether it was there.
func (zsl *zskiplist) delete(score float64, member string) bool {
	var update [zslMaxLevel]*zslNode
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for f := x.forward(i); f != nil && zslLess(f.score, f.member, score, member); f = x.forward(i) {
			x = f
		}
		update[i] = x
	}
	x = x.next
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
		for f := x.forward(i); f != nil && before(f); f = x.forward(i) {
			rank += x.span(i)
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
		for x.forward(i) != nil && traversed+x.span(i) <= want {
			traversed += x.span(i)
			x = x.forward(i)
		}
		if traversed == want {
			return x
		}
	}
	return nil
}
