package node

import (
	"sort"
	"strconv"
)

// HSCAN, SSCAN and ZSCAN share SCAN's cursor scheme (see scan_cursor.go)
// for collections in a table encoding, over their dense slices; a compact encoding (listpack, intset)
// returns everything at once with cursor 0, as in Redis.

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
