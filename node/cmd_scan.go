package node

import (
	"hash/fnv"
	"sort"
	"strconv"
)

func init() {
	register(&command{name: "scan", arity: -2, flags: flagReadOnly, fn: scanCommand})
}

// SCAN's cursor here is not Redis's reverse-binary bucket index: it is a
// position in the order of a 64-bit hash of the key. Each call returns the
// COUNT keys with the smallest hashes at or after the cursor, and the next
// cursor is one past the last hash returned (0 when nothing is left). So a
// key present for a whole iteration is returned at least once, whatever
// was added or deleted meanwhile, as Redis guarantees.

func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

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

type scanItem struct {
	hash uint64
	key  string
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
	for _, it := range batch {
		if usePattern && !globMatch(pat, []byte(it.key)) {
			continue
		}
		if typ != nil {
			name := "none"
			if e := n.lookup(c, []byte(it.key)); e != nil {
				name = e.kind().String()
			}
			if !equalFold(typ, name) {
				continue
			}
		}
		// Like expireIfNeeded, only a key still present can be expired
		// here: one the TYPE check just deleted stays in the reply.
		if n.dbs[c.db].lookup(it.key) != nil && n.lookup(c, []byte(it.key)) == nil {
			continue
		}
		keys = append(keys, it)
	}
	c.addArrayLen(2)
	c.addBulk(strconv.FormatUint(next, 10))
	c.addArrayLen(len(keys))
	for _, it := range keys {
		c.addBulk(it.key)
	}
	n.touchesArbitraryKeys()
}

// scanBatch picks the count keys of db with the smallest hashes >= cursor
// (plus any sharing the last one's hash) and the cursor after them.
func (n *Node) scanBatch(db int, cursor uint64, count int64) ([]scanItem, uint64) {
	var items []scanItem
	for i := range n.dbs[db].entries {
		k := n.dbs[db].entries[i].key
		if h := keyHash(k); h >= cursor {
			items = append(items, scanItem{h, k})
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].hash != items[j].hash {
			return items[i].hash < items[j].hash
		}
		return items[i].key < items[j].key
	})
	if int64(len(items)) <= count {
		return items, 0
	}
	end := int(count)
	last := items[end-1].hash
	for end < len(items) && items[end].hash == last {
		end++
	}
	if end == len(items) || last == ^uint64(0) {
		return items[:end], 0
	}
	return items[:end], last + 1
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
