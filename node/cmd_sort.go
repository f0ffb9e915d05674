package node

import (
	"bytes"
	"math"
	"math/big"
	"sort"

	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
)

func init() {
	register(
		&command{name: "sort", arity: -2, flags: flagWrite | flagDenyOOM, fn: sortCommand},
		&command{name: "sort_ro", arity: -2, flags: flagReadOnly, fn: sortroCommand},
	)
	commandKeys["sort"] = keyPos{1, 1, 1}
	commandKeys["sort_ro"] = keyPos{1, 1, 1}
}

// SORT and SORT_RO, as Redis's sort.c: the elements of a list, set or
// sorted set, sorted as numbers (strtod) or strings (ALPHA), by
// themselves or by the values of keys a BY pattern names (key*, or
// key*->field of a hash), optionally not at all (BY without '*'), cut by
// LIMIT, each answered as itself or as the GET patterns' values. STORE
// saves the result as a list and propagates as given.
//
// Elements are read through the value's RDB form (sortElements), so lists
// and sorted sets work as soon as the node has them. Two things can differ
// from Redis: a hash-table set's own order (BY nosort, like SMEMBERS), and
// the order of elements whose sort keys tie under ALPHA BY with LIMIT
// (Redis's partial quicksort is not stable; we keep the input order).

func sortCommand(n *Node, c *client, args [][]byte)   { sortGeneric(n, c, args, false) }
func sortroCommand(n *Node, c *client, args [][]byte) { sortGeneric(n, c, args, true) }

type sortItem struct {
	elem  string
	score float64
	by    *string // ALPHA BY: the value compared; nil when missing
}

func sortGeneric(n *Node, c *client, args [][]byte, readonly bool) {
	var desc, alpha, dontsort bool
	var limitStart, limitCount int64 = 0, -1
	var sortBy, store []byte
	var gets [][]byte
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch {
		case equalFold(args[j], "asc"):
			desc = false
		case equalFold(args[j], "desc"):
			desc = true
		case equalFold(args[j], "alpha"):
			alpha = true
		case equalFold(args[j], "limit") && left >= 2:
			s, ok1 := parseInt(args[j+1])
			if !ok1 {
				c.addError(errNotInteger)
				return
			}
			cnt, ok2 := parseInt(args[j+2])
			if !ok2 {
				c.addError(errNotInteger)
				return
			}
			limitStart, limitCount = s, cnt
			j += 2
		case !readonly && equalFold(args[j], "store") && left >= 1:
			store = args[j+1]
			j++
		case equalFold(args[j], "by") && left >= 1:
			sortBy = args[j+1]
			dontsort = bytes.IndexByte(sortBy, '*') < 0
			j++
		case equalFold(args[j], "get") && left >= 1:
			gets = append(gets, args[j+1])
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	src := n.lookupRead(c, args[1])
	kind := kindList // a missing key sorts as an empty list
	if src != nil {
		kind = src.kind()
		if kind != kindSet && kind != kindList && kind != kindZset {
			c.addError(errWrongType)
			return
		}
	}
	if dontsort && kind == kindSet && store != nil {
		// The order of a set is not the same on a replica: sort it.
		dontsort, alpha, sortBy = false, true, nil
	}
	var elems []string
	if src != nil {
		elems = sortElements(src)
	}
	length := int64(len(elems))
	start := min(max(limitStart, 0), length)
	limitCount = min(max(limitCount, -1), length)
	end := length - 1
	if limitCount >= 0 {
		end = start + limitCount - 1
	}
	if start >= length {
		start, end = length-1, length-2
	}
	end = min(end, length-1)
	items := make([]sortItem, len(elems))
	if dontsort && kind != kindSet {
		// A list or sorted set is read in its order, from the end for
		// DESC, only the LIMIT range.
		if desc {
			for i, j := 0, len(elems)-1; i < j; i, j = i+1, j-1 {
				elems[i], elems[j] = elems[j], elems[i]
			}
		}
		if end >= start {
			elems = elems[start : end+1]
		} else {
			elems = nil
		}
		items = make([]sortItem, len(elems))
		end -= start
		start = 0
	}
	for i, e := range elems {
		items[i].elem = e
	}
	if !dontsort {
		convErr := false
		for i := range items {
			var by string
			if sortBy != nil {
				v, ok := n.sortLookup(c, sortBy, items[i].elem)
				if !ok {
					continue
				}
				by = v
			} else {
				by = items[i].elem
			}
			if alpha {
				if sortBy != nil {
					items[i].by = &by
				}
				continue
			}
			f, ok := strtodWhole(by)
			if !ok {
				convErr = true
			}
			items[i].score = f
		}
		if convErr {
			c.addError("ERR One or more scores can't be converted into double")
			return
		}
		sort.SliceStable(items, func(a, b int) bool {
			cmp := sortCompare(&items[a], &items[b], alpha, sortBy != nil, store != nil)
			if desc {
				cmp = -cmp
			}
			return cmp < 0
		})
	}
	count := end - start + 1
	outLen := count
	if len(gets) > 0 {
		outLen = int64(len(gets)) * count
	}
	if store == nil {
		c.addArrayLen(int(outLen))
		for j := start; j <= end; j++ {
			if len(gets) == 0 {
				c.addBulk(items[j].elem)
			}
			for _, g := range gets {
				if v, ok := n.sortLookup(c, g, items[j].elem); ok {
					c.addBulk(v)
				} else {
					c.addNull()
				}
			}
		}
		return
	}
	var out []string
	for j := start; j <= end; j++ {
		if len(gets) == 0 {
			out = append(out, items[j].elem)
		}
		for _, g := range gets {
			v, _ := n.sortLookup(c, g, items[j].elem)
			out = append(out, v)
		}
	}
	ks := n.dbs[c.db]
	if outLen > 0 {
		val, obj, ok := n.newListFrom(out)
		if !ok {
			c.addError("ERR SORT STORE needs lists, which this node does not have yet")
			return
		}
		if old := n.lookup(c, store); old != nil {
			n.rememberStale(old.key, old)
		}
		ks.put(string(store), val, obj, 0)
		n.dirty += outLen
		n.propagate(args...)
	} else if ks.lookup(string(store)) != nil {
		ks.remove(string(store))
		n.dirty++
		n.propagate(args...)
	}
	c.addInt(outLen)
}

// sortCompare is Redis's sortCompare before DESC: numbers, ties broken by
// the elements' bytes; ALPHA BY by the looked-up values (a missing one
// first); ALPHA by the elements. Without STORE, strings compare as strcoll
// in the C locale (up to a NUL byte), with STORE as binary.
func sortCompare(a, b *sortItem, alpha, byPattern, store bool) int {
	if !alpha {
		switch {
		case a.score > b.score:
			return 1
		case a.score < b.score:
			return -1
		}
		return bytes.Compare([]byte(a.elem), []byte(b.elem))
	}
	x, y := a.elem, b.elem
	if byPattern {
		if a.by == nil || b.by == nil {
			switch {
			case a.by == b.by:
				return 0
			case a.by == nil:
				return -1
			}
			return 1
		}
		x, y = *a.by, *b.by
	}
	if !store {
		x, y = cString([]byte(x)), cString([]byte(y))
	}
	return bytes.Compare([]byte(x), []byte(y))
}

// sortLookup is lookupKeyByPattern: "#" is the element itself; otherwise
// the first '*' of pattern is replaced by the element and the key read (a
// string), or with "->field" after the '*' a field of the hash there.
func (n *Node) sortLookup(c *client, pattern []byte, elem string) (string, bool) {
	if len(pattern) == 1 && pattern[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(pattern, '*')
	if star < 0 {
		return "", false
	}
	var field []byte
	rest := pattern[star+1:]
	if f := bytes.Index(rest, []byte("->")); f >= 0 && f+2 < len(rest) {
		field = rest[f+2:]
		rest = rest[:f]
	}
	key := make([]byte, 0, len(pattern)+len(elem))
	key = append(append(append(key, pattern[:star]...), elem...), rest...)
	e := n.lookupRead(c, key)
	if e == nil {
		return "", false
	}
	if field != nil {
		h, ok := e.obj.(*hashValue)
		if !ok {
			return "", false
		}
		return h.get(string(field))
	}
	if e.kind() != kindString {
		return "", false
	}
	return e.val, true
}

// strtodWhole parses s as SORT does with strtod: leading white space, then
// a decimal or hex number, "inf" or "infinity", with nothing after it (as
// a C string: a NUL ends it). NaN and out-of-range values fail; an empty
// string is 0.
func strtodWhole(s string) (float64, bool) {
	b := []byte(cString([]byte(s)))
	if len(b) == 0 {
		return 0, true
	}
	for len(b) > 0 && isCSpace(b[0]) {
		b = b[1:]
	}
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if isInfWord(b) {
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	base, body := 10, b
	if len(b) >= 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		base, body = 16, b[2:]
	}
	if !validFloatBody(body, base) {
		return 0, false
	}
	text, parseBase := string(body), 10
	if base == 16 {
		text, parseBase = string(b), 0
	}
	f, _, err := big.ParseFloat(text, parseBase, 53, big.ToNearestEven)
	if err != nil {
		return 0, false
	}
	v, _ := f.Float64()
	if math.IsInf(v, 0) || (v == 0 && f.Sign() != 0) || (v != 0 && math.Abs(v) < 0x1p-1022) {
		return 0, false // strtod's ERANGE
	}
	if neg {
		v = -v
	}
	return v, true
}

// sortElements lists a list's, set's or sorted set's elements in the
// value's own order (a sorted set's by rank), read from its RDB form so
// that any type the node can save can be sorted.
func sortElements(e *entry) []string {
	if s, ok := e.obj.(*setValue); ok {
		out := make([]string, 0, s.len())
		s.each(func(m string) bool {
			out = append(out, m)
			return true
		})
		return out
	}
	re := e.rdbEntry()
	var out []string
	switch re.Type {
	case rdb.TypeListQuicklist2:
		for _, nd := range re.Nodes {
			if nd.Plain {
				out = append(out, string(nd.Data))
				continue
			}
			out = append(out, lpStrings(nd.Data, 1)...)
		}
	case rdb.TypeZsetListpack:
		out = lpStrings(re.Value, 2)
	case rdb.TypeZset2:
		idx := make([]int, len(re.Items))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool {
			x, y := idx[a], idx[b]
			if re.Scores[x] != re.Scores[y] {
				return re.Scores[x] < re.Scores[y]
			}
			return re.Items[x] < re.Items[y]
		})
		for _, i := range idx {
			out = append(out, re.Items[i])
		}
	case rdb.TypeSet:
		out = re.Items
	}
	return out
}

// lpStrings returns every step-th element of a listpack, from the first.
func lpStrings(lp []byte, step int) []string {
	var out []string
	i := 0
	for p := listpack.First(lp); p != listpack.End(lp); p = listpack.Next(lp, p) {
		if i%step == 0 {
			out = append(out, listpack.Get(lp, p).String())
		}
		i++
	}
	return out
}

// newListFrom builds a list value of elems as Redis's pushes would lay it
// out (quicklist nodes of list-max-listpack-size -2: listpacks of at most
// 8 KB), through the RDB conversion; ok is false while the node has no
// lists.
func (n *Node) newListFrom(elems []string) (string, value, bool) {
	if !loadableType(rdb.TypeListQuicklist2) {
		return "", nil, false
	}
	const limit, overhead = 8192, 8
	var nodes []rdb.ListNode
	var cur [][]byte
	size := 0
	flush := func() {
		if len(cur) > 0 {
			nodes = append(nodes, rdb.ListNode{Data: listpack.FromStrings(cur)})
			cur, size = nil, 0
		}
	}
	for _, s := range elems {
		if len(cur) > 0 && size+len(s)+overhead > limit {
			flush()
		}
		if len(cur) == 0 {
			size = len(listpack.New())
		}
		cur = append(cur, []byte(s))
		size += listpack.EntryBytes([]byte(s))
	}
	flush()
	re := rdb.Entry{Type: rdb.TypeListQuicklist2, Nodes: nodes}
	val, obj := n.valueFromRDB(&re)
	return val, obj, true
}
