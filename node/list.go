package node

import (
	"slices"

	"github.com/replsim/replsim/node/listpack"
)

// listValue is a list, laid out as Redis 7.0's quicklist: a sequence of
// listpack nodes, each holding as many elements as the list's fill allows
// (list-max-listpack-size when the list was made; -2 is 8 KB nodes). The
// node boundaries follow quicklist.c's rules for pushes, inserts (split
// and merge), deletes and trims, so a list's RDB bytes are Redis's.
// OBJECT ENCODING of a 7.0 list is always "quicklist".
//
// An element of at least the packed threshold (1 GB, or what DEBUG
// QUICKLIST-PACKED-THRESHOLD set) is a plain node of its own, as in
// Redis. Not modelled: in-memory LZF compression of inner nodes
// (list-compress-depth), which only changes memory.
type listValue struct {
	nodes []qlNode
	count int
	fill  int
	// packed points to the node's packed threshold (nil: 1 GB).
	packed *int64
}

// qlNode is one quicklist node: a listpack and its element count, or a
// plain node holding one element's bytes.
type qlNode struct {
	lp    []byte
	n     int
	plain bool
}

// defaultPackedThreshold is quicklist.c's packed_threshold default.
const defaultPackedThreshold = 1 << 30

// isLarge is isLargeElement.
func (l *listValue) isLarge(sz int) bool {
	t := int64(defaultPackedThreshold)
	if l.packed != nil && *l.packed != 0 {
		t = *l.packed
	}
	return int64(sz) >= t
}

// Positions in a node: listpack offsets, or 0 (the element) and 1 (the
// end) in a plain node.

func (nd *qlNode) first() int {
	if nd.plain {
		return 0
	}
	return listpack.First(nd.lp)
}

func (nd *qlNode) end() int {
	if nd.plain {
		return 1
	}
	return listpack.End(nd.lp)
}

func (nd *qlNode) next(p int) int {
	if nd.plain {
		return 1
	}
	return listpack.Next(nd.lp, p)
}

func (nd *qlNode) prev(p int) int {
	if nd.plain {
		return 0
	}
	return listpack.Prev(nd.lp, p)
}

func (nd *qlNode) get(p int) listpack.Entry {
	if nd.plain {
		return listpack.Entry{Str: nd.lp}
	}
	return listpack.Get(nd.lp, p)
}

func (nd *qlNode) seek(off int) int {
	if nd.plain {
		return 0
	}
	return listpack.Seek(nd.lp, off)
}

func plainNode(v []byte) qlNode { return qlNode{lp: append([]byte(nil), v...), n: 1, plain: true} }

const (
	// qlSizeSafetyLimit is SIZE_SAFETY_LIMIT: no node grows past 8 KB
	// under a count-based fill.
	qlSizeSafetyLimit = 8192
	// qlSizeEstimateOverhead is SIZE_ESTIMATE_OVERHEAD.
	qlSizeEstimateOverhead = 8
	// qlFillMax is FILL_MAX.
	qlFillMax = 1 << 15
)

// qlOptimizationLevel are the node sizes of fill -1..-5.
var qlOptimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// newList returns an empty list with fill clamped as quicklistSetFill.
func newList(fill int64) *listValue {
	f := int(max(min(fill, qlFillMax), -5))
	return &listValue{fill: f}
}

func (l *listValue) kind() valueKind { return kindList }

func (l *listValue) encoding() string { return "quicklist" }

func (l *listValue) len() int { return l.count }

// sizeMeetsOptimization is _quicklistNodeSizeMeetsOptimizationRequirement.
func sizeMeetsOptimization(sz, fill int) bool {
	if fill >= 0 {
		return false
	}
	off := -fill - 1
	return off < len(qlOptimizationLevel) && sz <= qlOptimizationLevel[off]
}

// allowInsert is _quicklistNodeAllowInsert for an element of sz bytes.
func (l *listValue) allowInsert(i, sz int) bool {
	if i < 0 || i >= len(l.nodes) || l.nodes[i].plain || l.isLarge(sz) {
		return false
	}
	nd := &l.nodes[i]
	newSz := len(nd.lp) + sz + qlSizeEstimateOverhead
	if sizeMeetsOptimization(newSz, l.fill) {
		return true
	}
	if newSz > qlSizeSafetyLimit {
		return false
	}
	return nd.n < l.fill
}

// allowMerge is _quicklistNodeAllowMerge of nodes i and j.
func (l *listValue) allowMerge(i, j int) bool {
	if i < 0 || j < 0 || i >= len(l.nodes) || j >= len(l.nodes) || l.nodes[i].plain || l.nodes[j].plain {
		return false
	}
	a, b := &l.nodes[i], &l.nodes[j]
	sz := len(a.lp) + len(b.lp) - 11
	if sizeMeetsOptimization(sz, l.fill) {
		return true
	}
	if sz > qlSizeSafetyLimit {
		return false
	}
	return a.n+b.n <= l.fill
}

func newNode(v []byte) qlNode { return qlNode{lp: listpack.Append(listpack.New(), v), n: 1} }

// push adds v at the head or the tail (quicklistPushHead/Tail).
func (l *listValue) push(v []byte, head bool) {
	if l.isLarge(len(v)) {
		if head {
			l.nodes = slices.Insert(l.nodes, 0, plainNode(v))
		} else {
			l.nodes = append(l.nodes, plainNode(v))
		}
		l.count++
		return
	}
	if head {
		if l.allowInsert(0, len(v)) {
			nd := &l.nodes[0]
			nd.lp = listpack.Insert(nd.lp, listpack.First(nd.lp), v)
			nd.n++
		} else {
			l.nodes = slices.Insert(l.nodes, 0, newNode(v))
		}
	} else {
		last := len(l.nodes) - 1
		if l.allowInsert(last, len(v)) {
			nd := &l.nodes[last]
			nd.lp = listpack.Append(nd.lp, v)
			nd.n++
		} else {
			l.nodes = append(l.nodes, newNode(v))
		}
	}
	l.count++
}

// pop removes and returns the head or tail element; the list must not
// be empty.
func (l *listValue) pop(head bool) string {
	i := 0
	if !head {
		i = len(l.nodes) - 1
	}
	nd := &l.nodes[i]
	p := nd.first()
	if !head {
		p = nd.prev(nd.end())
	}
	s := nd.get(p).String()
	l.delAt(i, p)
	return s
}

// delAt deletes the element at position p of node i (quicklistDelIndex)
// and reports whether the node went away.
func (l *listValue) delAt(i, p int) bool {
	l.count--
	nd := &l.nodes[i]
	if nd.n == 1 {
		l.nodes = slices.Delete(l.nodes, i, i+1)
		return true
	}
	nd.lp = listpack.Delete(nd.lp, p, 1)
	nd.n--
	return false
}

// locate returns the node and the offset in it of element idx
// (0 <= idx < count).
func (l *listValue) locate(idx int) (node, off int) {
	if idx >= l.count/2 {
		acc := l.count
		for i := len(l.nodes) - 1; i >= 0; i-- {
			acc -= l.nodes[i].n
			if idx >= acc {
				return i, idx - acc
			}
		}
	}
	for i := range l.nodes {
		if idx < l.nodes[i].n {
			return i, idx
		}
		idx -= l.nodes[i].n
	}
	return -1, -1
}

// normIndex turns a possibly negative index into 0..count-1, or false.
func (l *listValue) normIndex(idx int64) (int, bool) {
	if idx < 0 {
		idx += int64(l.count)
	}
	if idx < 0 || idx >= int64(l.count) {
		return 0, false
	}
	return int(idx), true
}

// index returns element idx (negative from the tail).
func (l *listValue) index(idx int64) (string, bool) {
	i, ok := l.normIndex(idx)
	if !ok {
		return "", false
	}
	ni, off := l.locate(i)
	nd := &l.nodes[ni]
	return nd.get(nd.seek(off)).String(), true
}

// replace sets element idx to v (quicklistReplaceEntry): in place in a
// listpack node; a large value replacing a packed element is inserted
// after it (in a plain node, splitting the node) and the old element
// deleted; a plain node gets the new bytes, or a small value inserted
// after it and the plain node deleted.
func (l *listValue) replace(idx int64, v []byte) bool {
	i, ok := l.normIndex(idx)
	if !ok {
		return false
	}
	ni, off := l.locate(i)
	nd := &l.nodes[ni]
	large := l.isLarge(len(v))
	switch {
	case !nd.plain && !large:
		nd.lp = listpack.Replace(nd.lp, listpack.Seek(nd.lp, off), v)
	case nd.plain && large:
		nd.lp = append([]byte(nil), v...)
	case nd.plain:
		l.insert(ni, 0, 0, v, true)
		l.count--
		l.nodes = slices.Delete(l.nodes, ni, ni+1)
	default:
		l.insert(ni, off, listpack.Seek(nd.lp, off), v, true)
		nd = &l.nodes[ni]
		if nd.n == 1 {
			l.count--
			l.nodes = slices.Delete(l.nodes, ni, ni+1)
		} else {
			l.delAt(ni, listpack.Prev(nd.lp, listpack.End(nd.lp)))
		}
	}
	return true
}

// rangeEach calls fn for count elements from start (0 <= start < count)
// towards the tail, or towards the head when reverse.
func (l *listValue) rangeEach(start, count int, reverse bool, fn func(listpack.Entry)) {
	ni, off := l.locate(start)
	nd := &l.nodes[ni]
	p := nd.seek(off)
	for ; count > 0; count-- {
		fn(nd.get(p))
		if reverse {
			if p == nd.first() {
				ni--
				if ni < 0 {
					return
				}
				nd = &l.nodes[ni]
				p = nd.prev(nd.end())
				continue
			}
			p = nd.prev(p)
			continue
		}
		p = nd.next(p)
		if p == nd.end() {
			ni++
			if ni >= len(l.nodes) {
				return
			}
			nd = &l.nodes[ni]
			p = nd.first()
		}
	}
}

// each calls fn for every element from head to tail until it returns
// false.
func (l *listValue) each(fn func(listpack.Entry) bool) {
	for i := range l.nodes {
		nd := &l.nodes[i]
		for p := nd.first(); p != nd.end(); p = nd.next(p) {
			if !fn(nd.get(p)) {
				return
			}
		}
	}
}

// strings returns the elements head to tail.
func (l *listValue) strings() []string {
	out := make([]string, 0, l.count)
	l.each(func(e listpack.Entry) bool {
		out = append(out, e.String())
		return true
	})
	return out
}

// delRange deletes count elements from start (0 <= start),
// quicklistDelRange.
func (l *listValue) delRange(start, count int) {
	if count <= 0 || start >= l.count {
		return
	}
	extent := min(count, l.count-start)
	ni, off := l.locate(start)
	for extent > 0 && ni < len(l.nodes) {
		nd := &l.nodes[ni]
		del := min(nd.n-off, extent)
		extent -= del
		l.count -= del
		if del == nd.n || nd.plain {
			l.nodes = slices.Delete(l.nodes, ni, ni+1)
		} else {
			nd.lp = listpack.Delete(nd.lp, listpack.Seek(nd.lp, off), del)
			nd.n -= del
			ni++
		}
		off = 0
	}
}

// find returns the node, offset and position of the first element equal
// to v from the head, or node -1.
func (l *listValue) find(v []byte) (node, off, pos int) {
	for i := range l.nodes {
		nd := &l.nodes[i]
		k := 0
		for p := nd.first(); p != nd.end(); p = nd.next(p) {
			if nd.get(p).Equal(v) {
				return i, k, p
			}
			k++
		}
	}
	return -1, -1, -1
}

// insert puts v before or after the element at position p (offset off)
// of node i, as _quicklistInsert decides: in the node when it has room,
// at the edge of a neighbour, in a new node, or splitting the node and
// merging around it.
func (l *listValue) insert(i, off, p int, v []byte, after bool) {
	sz := len(v)
	nd := &l.nodes[i]
	full := !l.allowInsert(i, sz)
	atTail := after && off == nd.n-1
	availNext := atTail && l.allowInsert(i+1, sz)
	atHead := !after && off == 0
	availPrev := atHead && l.allowInsert(i-1, sz)
	l.count++
	if l.isLarge(sz) {
		at := i
		if after {
			at = i + 1
		}
		if nd.plain || atTail || atHead {
			l.nodes = slices.Insert(l.nodes, at, plainNode(v))
			return
		}
		l.splitAround(i, off, v, after)
		return
	}
	switch {
	case !full && after:
		nd.lp = listpack.Insert(nd.lp, listpack.Next(nd.lp, p), v)
		nd.n++
	case !full:
		nd.lp = listpack.Insert(nd.lp, p, v)
		nd.n++
	case atTail && availNext:
		nx := &l.nodes[i+1]
		nx.lp = listpack.Insert(nx.lp, listpack.First(nx.lp), v)
		nx.n++
	case atHead && availPrev:
		pv := &l.nodes[i-1]
		pv.lp = listpack.Append(pv.lp, v)
		pv.n++
	case atTail || atHead:
		at := i
		if after {
			at = i + 1
		}
		l.nodes = slices.Insert(l.nodes, at, newNode(v))
	default:
		l.split(i, off, v, after)
	}
}

// split is the "splitting node" case of _quicklistInsert: node i is cut
// at off, v goes to the edge of the new half, and nodes merge around i.
func (l *listValue) split(i, off int, v []byte, after bool) {
	nd := &l.nodes[i]
	elems := lpElems(nd.lp)
	var keep, moved [][]byte
	if after {
		keep, moved = elems[:off+1], append([][]byte{v}, elems[off+1:]...)
	} else {
		keep, moved = elems[off:], append(elems[:off:off], v)
	}
	nd.lp, nd.n = listpack.FromStrings(keep), len(keep)
	newNd := qlNode{lp: listpack.FromStrings(moved), n: len(moved)}
	center := i
	if after {
		l.nodes = slices.Insert(l.nodes, i+1, newNd)
	} else {
		l.nodes = slices.Insert(l.nodes, i, newNd)
		center = i + 1
	}
	l.mergeAround(center)
}

// splitAround is _quicklistInsert's large-element split: node i is cut at
// off and a plain node with v goes between the halves (no merging).
func (l *listValue) splitAround(i, off int, v []byte, after bool) {
	nd := &l.nodes[i]
	elems := lpElems(nd.lp)
	var left, right [][]byte
	if after {
		left, right = elems[:off+1], elems[off+1:]
	} else {
		left, right = elems[:off], elems[off:]
	}
	mk := func(es [][]byte) qlNode { return qlNode{lp: listpack.FromStrings(es), n: len(es)} }
	l.nodes = slices.Replace(l.nodes, i, i+1, mk(left), plainNode(v), mk(right))
}

// lpElems returns lp's elements as byte strings.
func lpElems(lp []byte) [][]byte {
	var out [][]byte
	for p := listpack.First(lp); p != listpack.End(lp); p = listpack.Next(lp, p) {
		out = append(out, []byte(listpack.Get(lp, p).String()))
	}
	return out
}

// mergeAround is _quicklistMergeNodes around node c.
func (l *listValue) mergeAround(c int) {
	if l.allowMerge(c-1, c-2) {
		l.mergeInto(c - 2)
		c--
	}
	if l.allowMerge(c+1, c+2) {
		l.mergeInto(c + 1)
	}
	target := c
	if l.allowMerge(c, c-1) {
		l.mergeInto(c - 1)
		target = c - 1
	}
	if l.allowMerge(target, target+1) {
		l.mergeInto(target)
	}
}

// mergeInto joins node i+1 onto node i.
func (l *listValue) mergeInto(i int) {
	a, b := &l.nodes[i], &l.nodes[i+1]
	elems := append(lpElems(a.lp), lpElems(b.lp)...)
	a.lp, a.n = listpack.FromStrings(elems), len(elems)
	l.nodes = slices.Delete(l.nodes, i+1, i+2)
}

// remove deletes up to limit elements equal to v (all when limit is 0),
// scanning from the tail when fromTail, and returns how many it removed
// (LREM).
func (l *listValue) remove(v []byte, limit int64, fromTail bool) int64 {
	var removed int64
	done := func() bool { return limit != 0 && removed == limit }
	if !fromTail {
		for i := 0; i < len(l.nodes) && !done(); {
			nd := &l.nodes[i]
			p := nd.first()
			gone := false
			for p != nd.end() && !done() {
				if !nd.get(p).Equal(v) {
					p = nd.next(p)
					continue
				}
				removed++
				if l.delAt(i, p) {
					gone = true
					break
				}
				nd = &l.nodes[i]
			}
			if !gone {
				i++
			}
		}
		return removed
	}
	for i := len(l.nodes) - 1; i >= 0 && !done(); i-- {
		nd := &l.nodes[i]
		p := nd.prev(nd.end())
		for !done() {
			prev := -1
			if p != nd.first() {
				prev = nd.prev(p)
			}
			if nd.get(p).Equal(v) {
				removed++
				if l.delAt(i, p) {
					break
				}
				nd = &l.nodes[i]
			}
			if prev < 0 {
				break
			}
			p = prev
		}
	}
	return removed
}

func (l *listValue) digest(d *digest) {
	l.each(func(e listpack.Entry) bool {
		d.mixString(e.String())
		return true
	})
}

// clone returns an independent copy (COPY).
func (l *listValue) clone() *listValue {
	c := &listValue{nodes: make([]qlNode, len(l.nodes)), count: l.count, fill: l.fill, packed: l.packed}
	for i, nd := range l.nodes {
		c.nodes[i] = qlNode{lp: append([]byte(nil), nd.lp...), n: nd.n, plain: nd.plain}
	}
	return c
}

// addNode appends a loaded quicklist node as it is
// (quicklistAppendListpack, quicklistAppendPlainNode).
func (l *listValue) addNode(data []byte, plain bool) {
	var nd qlNode
	if plain {
		nd = plainNode(data)
	} else {
		nd = qlNode{lp: append([]byte(nil), data...), n: listpack.Len(data)}
	}
	if nd.n == 0 {
		return
	}
	l.nodes = append(l.nodes, nd)
	l.count += nd.n
}

// memUsage is objectComputeSize of a quicklist: the object and quicklist
// structs, and the average of the first samples nodes (node struct and
// listpack allocation) times the number of nodes.
func (l *listValue) memUsage(samples int64) int64 {
	const quicklistSize, quicklistNodeSize = 40, 40
	var ele float64
	k := int64(0)
	for _, nd := range l.nodes {
		if k >= samples {
			break
		}
		ele += float64(quicklistNodeSize + jemallocSize(len(nd.lp)))
		k++
	}
	size := float64(robjSize + quicklistSize)
	if k > 0 {
		size += ele / float64(k) * float64(len(l.nodes))
	}
	return int64(size)
}
