package node

import (
	"math"

	"github.com/replsim/replsim/node/listpack"
)

// zsetValue is a sorted set. Small ones are a listpack of member, score,
// member, score... ordered by (score, member), exactly Redis's bytes
// (scores written by d2string); past zset-max-listpack-entries members or
// a member longer than zset-max-listpack-value bytes they become a
// skiplist (OBJECT ENCODING skiplist): a zskiplist for order and ranks, a
// dense slice of its nodes (in no particular order, swap-remove) that
// ZSCAN's cursor walks (scan_cursor.go), and a keyIndex from member to
// position in that slice (8-byte slots, where a Go map took 40-50 bytes
// a member). Every order seen comes from the skiplist or the slice.
type zsetValue struct {
	lp    []byte // nil once a skiplist
	sl    *zskiplist
	nodes []*zslNode
	index keyIndex
}

func newZsetListpack() *zsetValue { return &zsetValue{lp: listpack.New()} }

func newZsetSkiplist() *zsetValue {
	z := &zsetValue{sl: newSkiplist()}
	z.index.nodes = &z.nodes
	return z
}

// node returns member's skiplist node, or nil.
func (z *zsetValue) node(member string) *zslNode {
	if i := z.index.find(member); i >= 0 {
		return z.nodes[i]
	}
	return nil
}

// newZsetFor is zaddGenericCommand's choice of encoding for a new key
// whose first member is firstLen bytes long.
func newZsetFor(n *Node, firstLen int) *zsetValue {
	if n.cfg.ZsetMaxListpackEntries == 0 || int64(firstLen) > n.cfg.ZsetMaxListpackValue {
		return newZsetSkiplist()
	}
	return newZsetListpack()
}

func (z *zsetValue) kind() valueKind { return kindZset }

func (z *zsetValue) encoding() string {
	if z.lp != nil {
		return "listpack"
	}
	return "skiplist"
}

func (z *zsetValue) len() int {
	if z.lp != nil {
		return listpack.Len(z.lp) / 2
	}
	return z.sl.length
}

// lpScoreAt reads the score entry at p (zzlGetScore).
func lpScoreAt(lp []byte, p int) float64 {
	e := listpack.Get(lp, p)
	if e.IsInt {
		return float64(e.Int)
	}
	return lpScore(e.Str)
}

// lpFind returns the position of member's entry and its score, or -1.
func (z *zsetValue) lpFind(member string) (int, float64) {
	lp := z.lp
	for p := listpack.First(lp); p != listpack.End(lp); {
		s := listpack.Next(lp, p)
		if listpack.Get(lp, p).Equal([]byte(member)) {
			return p, lpScoreAt(lp, s)
		}
		p = listpack.Next(lp, s)
	}
	return -1, 0
}

// lpInsert is zzlInsert: member goes before the first element ordered
// after it.
func (z *zsetValue) lpInsert(member string, score float64) {
	lp := z.lp
	p := listpack.First(lp)
	for p != listpack.End(lp) {
		s := listpack.Next(lp, p)
		cur := lpScoreAt(lp, s)
		if cur > score || (cur == score && listpack.Get(lp, p).String() > member) {
			break
		}
		p = listpack.Next(lp, s)
	}
	z.lp = listpack.Insert(lp, p, []byte(member), []byte(d2string(score)))
}

// score returns member's score.
func (z *zsetValue) score(member string) (float64, bool) {
	if z.lp != nil {
		p, s := z.lpFind(member)
		return s, p >= 0
	}
	if x := z.node(member); x != nil {
		return x.score, true
	}
	return 0, false
}

// convert turns a listpack into a skiplist (zsetConvert).
func (z *zsetValue) convert() {
	if z.lp == nil {
		return
	}
	c := newZsetSkiplist()
	c.nodes = make([]*zslNode, 0, z.len())
	c.index.reserve(z.len())
	z.walk(0, false, func(m string, s float64) bool {
		c.insertNew(s, m)
		return true
	})
	z.lp, z.sl, z.nodes = nil, c.sl, c.nodes
	z.index = c.index
	z.index.nodes = &z.nodes
}

// toListpack turns a skiplist into a listpack (the other direction of
// zsetConvert).
func (z *zsetValue) toListpack() {
	if z.lp != nil {
		return
	}
	items := make([]string, 0, 2*z.len())
	for x := z.sl.first(); x != nil; x = x.next {
		items = append(items, x.member, d2string(x.score))
	}
	z.lp, z.sl, z.nodes, z.index = listpack.FromStrings(items), nil, nil, keyIndex{}
}

// convertToListpackIfNeeded is zsetConvertToListpackIfNeeded, for the
// results of ZUNIONSTORE and friends and ZRANGESTORE.
func (z *zsetValue) convertToListpackIfNeeded(n *Node, maxlen int) {
	if z.lp == nil && int64(z.len()) <= n.cfg.ZsetMaxListpackEntries && int64(maxlen) <= n.cfg.ZsetMaxListpackValue {
		z.toListpack()
	}
}

// zaddFlags are zsetAdd's input options.
type zaddFlags struct{ incr, nx, xx, gt, lt bool }

// zaddResult is zsetAdd's outcome.
type zaddResult uint8

const (
	zaddNop zaddResult = iota
	zaddAdded
	zaddUpdated
	zaddSame // processed, score unchanged
	zaddNaN
)

// add is zsetAdd: it returns what happened and the member's new score.
func (z *zsetValue) add(n *Node, score float64, member string, f zaddFlags) (zaddResult, float64) {
	if math.IsNaN(score) {
		return zaddNaN, 0
	}
	cur, exists := z.score(member)
	if exists {
		if f.nx {
			return zaddNop, 0
		}
		if f.incr {
			score += cur
			if math.IsNaN(score) {
				return zaddNaN, 0
			}
		}
		if (f.lt && score >= cur) || (f.gt && score <= cur) {
			return zaddNop, 0
		}
		if score == cur {
			return zaddSame, score
		}
		z.rescore(member, cur, score)
		return zaddUpdated, score
	}
	if f.xx {
		return zaddNop, 0
	}
	if z.lp != nil && (int64(z.len()+1) > n.cfg.ZsetMaxListpackEntries || int64(len(member)) > n.cfg.ZsetMaxListpackValue) {
		z.convert()
	}
	z.insertNew(score, member)
	return zaddAdded, score
}

// insertNew adds a member known to be absent, in the current encoding.
func (z *zsetValue) insertNew(score float64, member string) {
	if z.lp != nil {
		z.lpInsert(member, score)
		return
	}
	z.nodes = append(z.nodes, z.sl.insert(score, member))
	z.index.insert(member, int32(len(z.nodes)-1))
}

// rescore changes an existing member's score from cur, keeping its place
// in nodes (so a ZSCAN under way still finds it).
func (z *zsetValue) rescore(member string, cur, score float64) {
	if z.lp != nil {
		z.remove(member)
		z.lpInsert(member, score)
		return
	}
	i := z.index.find(member)
	z.sl.delete(cur, member)
	z.nodes[i] = z.sl.insert(score, member)
}

// remove is zsetDel.
func (z *zsetValue) remove(member string) bool {
	if z.lp != nil {
		p, _ := z.lpFind(member)
		if p < 0 {
			return false
		}
		z.lp = listpack.Delete(z.lp, p, 2)
		return true
	}
	i := z.index.find(member)
	if i < 0 {
		return false
	}
	z.index.remove(member, i)
	z.sl.delete(z.nodes[i].score, member)
	last := int32(len(z.nodes) - 1)
	if i != last {
		z.nodes[i] = z.nodes[last]
		z.index.move(z.nodes[i].member, last, i)
	}
	z.nodes[last] = nil
	z.nodes = z.nodes[:last]
	return true
}

// rank is member's 0-based rank in ascending order.
func (z *zsetValue) rank(member string) (int, bool) {
	if z.lp != nil {
		lp, r := z.lp, 0
		for p := listpack.First(lp); p != listpack.End(lp); p = listpack.Next(lp, listpack.Next(lp, p)) {
			if listpack.Get(lp, p).Equal([]byte(member)) {
				return r, true
			}
			r++
		}
		return 0, false
	}
	x := z.node(member)
	if x == nil {
		return 0, false
	}
	return z.sl.rankOf(x.score, member), true
}

// at returns the element at 0-based ascending rank r.
func (z *zsetValue) at(r int) (string, float64) {
	if z.lp != nil {
		p := listpack.Seek(z.lp, 2*r)
		return listpack.Get(z.lp, p).String(), lpScoreAt(z.lp, listpack.Next(z.lp, p))
	}
	x := z.sl.byRank(r)
	return x.member, x.score
}

// walk calls fn for the elements from 0-based ascending rank start,
// towards higher ranks or (rev) lower ones, until fn returns false or the
// set ends.
func (z *zsetValue) walk(start int, rev bool, fn func(member string, score float64) bool) {
	if start < 0 || start >= z.len() {
		return
	}
	if z.lp != nil {
		lp := z.lp
		p := listpack.Seek(lp, 2*start)
		for {
			s := listpack.Next(lp, p)
			if !fn(listpack.Get(lp, p).String(), lpScoreAt(lp, s)) {
				return
			}
			if rev {
				if p == listpack.First(lp) {
					return
				}
				p = listpack.Prev(lp, listpack.Prev(lp, p))
			} else {
				p = listpack.Next(lp, s)
				if p == listpack.End(lp) {
					return
				}
			}
		}
	}
	for x := z.sl.byRank(start); x != nil; {
		if !fn(x.member, x.score) {
			return
		}
		if rev {
			x = x.backward
		} else {
			x = x.next
		}
	}
}

// countBefore is the number of leading elements (ascending) for which
// before holds; before must hold for a prefix and fail after it.
func (z *zsetValue) countBefore(before func(member string, score float64) bool) int {
	if z.lp != nil {
		k := 0
		z.walk(0, false, func(m string, s float64) bool {
			if !before(m, s) {
				return false
			}
			k++
			return true
		})
		return k
	}
	return z.sl.countBefore(func(x *zslNode) bool { return before(x.member, x.score) })
}

// scoreRange is a zrangespec: min and max, each inclusive or not.
type scoreRange struct {
	min, max     float64
	minex, maxex bool
}

// scoreBounds returns the ascending ranks [lo, hi) of the elements in r.
func (z *zsetValue) scoreBounds(r scoreRange) (int, int) {
	lo := z.countBefore(func(_ string, s float64) bool {
		if r.minex {
			return s <= r.min
		}
		return s < r.min
	})
	hi := z.countBefore(func(_ string, s float64) bool {
		if r.maxex {
			return s < r.max
		}
		return s <= r.max
	})
	return lo, max(lo, hi)
}

// lexBound is one end of a zlexrangespec: "-" (neg), "+" (pos), or a
// string, inclusive or not.
type lexBound struct {
	s        string
	ex       bool
	neg, pos bool
}

// lexRange is a zlexrangespec.
type lexRange struct{ min, max lexBound }

// cmpLex is sdscmplex: the bound "-" below every string, "+" above.
func cmpLex(a, b lexBound) int {
	ra, rb := lexRank(a), lexRank(b)
	if ra != 0 || rb != 0 {
		if ra == rb {
			return 0
		}
		if ra < rb {
			return -1
		}
		return 1
	}
	switch {
	case a.s < b.s:
		return -1
	case a.s > b.s:
		return 1
	}
	return 0
}

func lexRank(b lexBound) int {
	switch {
	case b.neg:
		return -2
	case b.pos:
		return 2
	}
	return 0
}

func (r lexRange) gteMin(m string) bool {
	c := cmpLex(lexBound{s: m}, r.min)
	if r.min.ex {
		return c > 0
	}
	return c >= 0
}

func (r lexRange) lteMax(m string) bool {
	c := cmpLex(lexBound{s: m}, r.max)
	if r.max.ex {
		return c < 0
	}
	return c <= 0
}

// empty is zslIsInLexRange's quick rejection: min above max.
func (r lexRange) empty() bool {
	c := cmpLex(r.min, r.max)
	return c > 0 || (c == 0 && (r.min.ex || r.max.ex))
}

// lexBounds returns the ascending ranks [lo, hi) of the elements in r,
// as Redis finds them: the first element at or after the range start,
// then on while elements stay at or below the end. With members ordered
// (one score for all) this is the range; otherwise Redis's answer depends
// on its encoding, and so does this one.
func (z *zsetValue) lexBounds(r lexRange) (int, int) {
	if r.empty() || z.len() == 0 {
		return 0, 0
	}
	var lo int
	if z.lp != nil {
		lo = -1
		i := 0
		z.walk(0, false, func(m string, _ float64) bool {
			if r.gteMin(m) {
				lo = i
				return false
			}
			i++
			return true
		})
		if lo < 0 {
			return 0, 0
		}
	} else {
		lo = z.countBefore(func(m string, _ float64) bool { return !r.gteMin(m) })
		if lo >= z.len() {
			return 0, 0
		}
	}
	hi := lo
	z.walk(lo, false, func(m string, _ float64) bool {
		if !r.lteMax(m) {
			return false
		}
		hi++
		return true
	})
	return lo, hi
}

func (z *zsetValue) digest(d *digest) {
	z.walk(0, false, func(m string, s float64) bool {
		var e digest
		e.mixString(m)
		e.mixString(formatScore(s))
		d.xorDigest(&e)
		return true
	})
}

// clone returns an independent copy (COPY, snapshots).
func (z *zsetValue) clone() *zsetValue {
	if z.lp != nil {
		return &zsetValue{lp: append([]byte(nil), z.lp...)}
	}
	c := newZsetSkiplist()
	z.walk(0, false, func(m string, s float64) bool {
		c.insertNew(s, m)
		return true
	})
	return c
}

// maxMemberLen is the length of the longest member.
func (z *zsetValue) maxMemberLen() int {
	m := 0
	z.walk(0, false, func(member string, _ float64) bool {
		m = max(m, len(member))
		return true
	})
	return m
}

// removeRanks deletes the elements of ascending ranks [lo, hi).
func (z *zsetValue) removeRanks(lo, hi int) {
	if lo >= hi {
		return
	}
	if z.lp != nil {
		z.lp = listpack.Delete(z.lp, listpack.Seek(z.lp, 2*lo), 2*(hi-lo))
		return
	}
	var members []string
	k := hi - lo
	z.walk(lo, false, func(m string, _ float64) bool {
		members = append(members, m)
		k--
		return k > 0
	})
	for _, m := range members {
		z.remove(m)
	}
}
