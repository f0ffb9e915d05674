package node

import "strconv"

func init() {
	register(&command{name: "scan", arity: -2, flags: flagReadOnly, fn: scanCommand})
}

// SCAN's cursor is not Redis's reverse-binary bucket index but a position
// in the keyspace's dense entry slice, walked from its end (see
// scan_cursor.go): each call costs O(COUNT), and a key present for a whole
// iteration is returned at least once, whatever was added or deleted
// meanwhile, as Redis guarantees.

// parseCursor parses a SCAN cursor like Redis's strtoul-based check: no
// leading space, optional sign (a negative cursor wraps around), digits to
// the end, no overflow. The empty string is cursor 0.
func parseCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if isCSpace(b[0]) {
		return 0, false
	}
	neg := false
	s := b
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func scanCommand(n *Node, c *client, args [][]byte) {
	cursor, ok := parseCursor(args[1])
	if !ok {
		c.addError("ERR invalid cursor")
		return
	}
	count := int64(10)
	var pat, typ []byte
	for i := 2; i < len(args); i += 2 {
		more := len(args) - i
		switch {
		case equalFold(args[i], "count") && more >= 2:
			v, ok := parseInt(args[i+1])
			if !ok {
				c.addError(errNotInteger)
				return
			}
			if v < 1 {
				c.addError(errSyntax)
				return
			}
			count = v
		case equalFold(args[i], "match") && more >= 2:
			pat = args[i+1]
		case equalFold(args[i], "type") && more >= 2:
			typ = args[i+1]
		default:
			c.addError(errSyntax)
			return
		}
	}
	usePattern := pat != nil && !(len(pat) == 1 && pat[0] == '*')

	batch, next := n.scanBatch(c.db, cursor, count)
	keys := batch[:0]
	for _, key := range batch {
		if usePattern && !globMatch(pat, []byte(key)) {
			continue
		}
		if typ != nil {
			name := "none"
			if e := n.lookup(c, []byte(key)); e != nil {
				name = e.kind().String()
			}
			if !equalFold(typ, name) {
				continue
			}
		}
		// Like expireIfNeeded, only a key still present can be expired
		// here: one the TYPE check just deleted stays in the reply.
		if n.dbs[c.db].lookup(key) != nil && n.lookup(c, []byte(key)) == nil {
			continue
		}
		keys = append(keys, key)
	}
	c.addArrayLen(2)
	c.addBulk(strconv.FormatUint(next, 10))
	c.addArrayLen(len(keys))
	for _, key := range keys {
		c.addBulk(key)
	}
	n.touchesArbitraryKeys()
}

// scanBatch returns the keys of db that a call with cursor visits for
// count, and the cursor after them.
func (n *Node) scanBatch(db int, cursor uint64, count int64) ([]string, uint64) {
	entries := n.dbs[db].entries
	lo, hi, next := denseScan(len(entries), cursor, count)
	keys := make([]string, 0, hi-lo)
	for i := hi - 1; i >= lo; i-- {
		keys = append(keys, entries[i].key)
	}
	return keys, next
}

// touchesArbitraryKeys marks the running top-level command as one that
// may expire keys it was not asked about (SCAN, RANDOMKEY): like Redis, the
// DELs it causes go out without a MULTI/EXEC around them, each its own
// unit for a replica.
func (n *Node) touchesArbitraryKeys() {
	if n.prop.depth == 1 {
		n.prop.wrap, n.prop.split = false, true
	}
}
