package node

import (
	"sort"
	"strconv"

	"github.com/replsim/replsim/node/listpack"
)

// HSCAN, SSCAN and ZSCAN share SCAN's cursor scheme (see scan_cursor.go)
// for collections in a table encoding, over their dense slices; a compact
// encoding (listpack, intset) returns everything at once with cursor 0, as
// in Redis.

func hscanCommand(n *Node, c *client, args [][]byte) { collScanCommand(n, c, args, kindHash) }
func sscanCommand(n *Node, c *client, args [][]byte) { collScanCommand(n, c, args, kindSet) }
func zscanCommand(n *Node, c *client, args [][]byte) { collScanCommand(n, c, args, kindZset) }

// collScanner is what HSCAN, SSCAN and ZSCAN need of their collection.
type collScanner interface {
	// scanPairs reports whether items come in pairs (a field or member,
	// then its value or score); MATCH looks at the first of each.
	scanPairs() bool
	// scanCompact returns every item when the encoding is compact, or
	// false for a table.
	scanCompact() ([]string, bool)
	// scanDenseLen is the length of the table's dense slice.
	scanDenseLen() int
	// scanAppend appends the items at position i of the dense slice.
	scanAppend(items []string, i int) []string
}

// collScanCommand is scanGenericCommand for the collection of the given
// kind under args[1], cursor args[2], options after it.
func collScanCommand(n *Node, c *client, args [][]byte, kind valueKind) {
	cursor, ok := parseCursor(args[2])
	if !ok {
		c.addError("ERR invalid cursor")
		return
	}
	e, ok := n.lookupKind(c, args[1], kind)
	if !ok {
		return
	}
	if e == nil {
		addEmptyScan(c)
		return
	}
	opts, ok := parseCollScanOptions(c, args[3:])
	if !ok {
		return
	}
	coll := e.obj.(collScanner)
	pairs := coll.scanPairs()
	if items, compact := coll.scanCompact(); compact {
		replyCollScan(c, 0, items, opts, pairs)
		return
	}
	lo, hi, next := denseScan(coll.scanDenseLen(), cursor, opts.count)
	per := 1
	if pairs {
		per = 2
	}
	items := make([]string, 0, per*(hi-lo))
	for i := hi - 1; i >= lo; i-- {
		items = coll.scanAppend(items, i)
	}
	replyCollScan(c, next, items, opts, pairs)
}

func (h *hashValue) scanPairs() bool { return true }

func (h *hashValue) scanCompact() ([]string, bool) {
	if h.lp == nil {
		return nil, false
	}
	var items []string
	h.each(func(f, v string) bool {
		items = append(items, f, v)
		return true
	})
	return items, true
}

func (h *hashValue) scanDenseLen() int { return len(h.pairs) }

func (h *hashValue) scanAppend(items []string, i int) []string {
	return append(items, h.pairs[i].field, h.pairs[i].value)
}

func (s *setValue) scanPairs() bool { return false }

func (s *setValue) scanCompact() ([]string, bool) {
	if s.is == nil {
		return nil, false
	}
	items := make([]string, 0, s.len())
	s.each(func(m string) bool {
		items = append(items, m)
		return true
	})
	return items, true
}

func (s *setValue) scanDenseLen() int { return len(s.members) }

func (s *setValue) scanAppend(items []string, i int) []string { return append(items, s.members[i]) }

func (z *zsetValue) scanPairs() bool { return true }

func (z *zsetValue) scanCompact() ([]string, bool) {
	if z.lp == nil {
		return nil, false
	}
	items := make([]string, 0, 2*z.len())
	for p := listpack.First(z.lp); p != listpack.End(z.lp); p = listpack.Next(z.lp, p) {
		items = append(items, listpack.Get(z.lp, p).String())
	}
	return items, true
}

func (z *zsetValue) scanDenseLen() int { return len(z.nodes) }

func (z *zsetValue) scanAppend(items []string, i int) []string {
	return append(items, z.nodes[i].member, formatScore(z.nodes[i].score))
}

type collScanOpts struct {
	count   int64
	pattern []byte // nil: everything
}

// parseCollScanOptions parses COUNT and MATCH (TYPE is for SCAN only).
func parseCollScanOptions(c *client, args [][]byte) (collScanOpts, bool) {
	o := collScanOpts{count: 10}
	for i := 0; i < len(args); i += 2 {
		more := len(args) - i
		switch {
		case equalFold(args[i], "count") && more >= 2:
			v, ok := parseInt(args[i+1])
			if !ok {
				c.addError(errNotInteger)
				return o, false
			}
			if v < 1 {
				c.addError(errSyntax)
				return o, false
			}
			o.count = v
		case equalFold(args[i], "match") && more >= 2:
			p := args[i+1]
			if len(p) == 1 && p[0] == '*' {
				o.pattern = nil
			} else {
				o.pattern = p
			}
		default:
			c.addError(errSyntax)
			return o, false
		}
	}
	return o, true
}

func addEmptyScan(c *client) {
	c.addArrayLen(2)
	c.addBulk("0")
	c.addArrayLen(0)
}

// replyCollScan filters items by the pattern (pairs: every other item is
// a value that goes with its field) and replies.
func replyCollScan(c *client, next uint64, items []string, o collScanOpts, pairs bool) {
	step := 1
	if pairs {
		step = 2
	}
	kept := items[:0]
	for i := 0; i < len(items); i += step {
		if o.pattern != nil && !globMatch(o.pattern, []byte(items[i])) {
			continue
		}
		kept = append(kept, items[i:i+step]...)
	}
	c.addArrayLen(2)
	c.addBulk(strconv.FormatUint(next, 10))
	c.addArrayLen(len(kept))
	for _, s := range kept {
		c.addBulk(s)
	}
}

func sortInts(a []int) { sort.Ints(a) }
