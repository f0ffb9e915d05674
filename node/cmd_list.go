package node

import "github.com/replsim/replsim/node/listpack"

func init() {
	register(
		&command{name: "lpush", arity: -3, flags: flagWrite | flagDenyOOM, fn: lpushCommand},
		&command{name: "rpush", arity: -3, flags: flagWrite | flagDenyOOM, fn: rpushCommand},
		&command{name: "lpushx", arity: -3, flags: flagWrite | flagDenyOOM, fn: lpushxCommand},
		&command{name: "rpushx", arity: -3, flags: flagWrite | flagDenyOOM, fn: rpushxCommand},
		&command{name: "linsert", arity: 5, flags: flagWrite | flagDenyOOM, fn: linsertCommand},
		&command{name: "llen", arity: 2, flags: flagReadOnly, fn: llenCommand},
		&command{name: "lindex", arity: 3, flags: flagReadOnly, fn: lindexCommand},
		&command{name: "lset", arity: 4, flags: flagWrite | flagDenyOOM, fn: lsetCommand},
		&command{name: "lpop", arity: -2, flags: flagWrite, fn: lpopCommand},
		&command{name: "rpop", arity: -2, flags: flagWrite, fn: rpopCommand},
		&command{name: "lrange", arity: 4, flags: flagReadOnly, fn: lrangeCommand},
		&command{name: "ltrim", arity: 4, flags: flagWrite, fn: ltrimCommand},
		&command{name: "lpos", arity: -3, flags: flagReadOnly, fn: lposCommand},
		&command{name: "lrem", arity: 4, flags: flagWrite, fn: lremCommand},
		&command{name: "rpoplpush", arity: 3, flags: flagWrite | flagDenyOOM, fn: rpoplpushCommand},
		&command{name: "lmove", arity: 5, flags: flagWrite | flagDenyOOM, fn: lmoveCommand},
		&command{name: "lmpop", arity: -4, flags: flagWrite, fn: lmpopCommand},
		&command{name: "blpop", arity: -3, flags: flagWrite, fn: blpopCommand},
		&command{name: "brpop", arity: -3, flags: flagWrite, fn: brpopCommand},
		&command{name: "brpoplpush", arity: 4, flags: flagWrite | flagDenyOOM, fn: brpoplpushCommand},
		&command{name: "blmove", arity: 6, flags: flagWrite | flagDenyOOM, fn: blmoveCommand},
		&command{name: "blmpop", arity: -5, flags: flagWrite, fn: blmpopCommand},
	)
}

const (
	errOutOfRange      = "ERR index out of range"
	errMustBePositive  = "ERR value is out of range, must be positive"
	errTimeoutNotFloat = "ERR timeout is not a float or out of range"
	errTimeoutNegative = "ERR timeout is negative"
)

// lookupList returns key's list (nil when missing); false after a
// WRONGTYPE reply.
func (n *Node) lookupList(c *client, key []byte) (*listValue, bool) {
	e, ok := n.lookupKind(c, key, kindList)
	if e == nil {
		return nil, ok
	}
	return e.obj.(*listValue), true
}

// newListAt creates and stores an empty list under key (dbAdd, which
// signals the key to blocked clients).
func (n *Node) newListAt(db int, key string) *listValue {
	l := newList(n.cfg.ListMaxListpackSize)
	l.packed = &n.listPacked
	n.dbs[db].put(key, "", l, 0)
	return l
}

// listEmptied deletes key once its list is empty, as every command that
// removes elements does, and reports whether it did.
func (n *Node) listEmptied(db int, key string, l *listValue) bool {
	if l.len() > 0 {
		return false
	}
	n.dbs[db].remove(key)
	return true
}

func lpushCommand(n *Node, c *client, args [][]byte)  { pushGeneric(n, c, args, true, false) }
func rpushCommand(n *Node, c *client, args [][]byte)  { pushGeneric(n, c, args, false, false) }
func lpushxCommand(n *Node, c *client, args [][]byte) { pushGeneric(n, c, args, true, true) }
func rpushxCommand(n *Node, c *client, args [][]byte) { pushGeneric(n, c, args, false, true) }

// pushGeneric is pushGenericCommand; xx pushes only onto an existing list.
func pushGeneric(n *Node, c *client, args [][]byte, head, xx bool) {
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		if xx {
			c.addInt(0)
			return
		}
		l = n.newListAt(c.db, string(args[1]))
	}
	for _, v := range args[2:] {
		l.push(v, head)
	}
	n.dirty += int64(len(args) - 2)
	c.addInt(int64(l.len()))
	n.propagate(args...)
}

func linsertCommand(n *Node, c *client, args [][]byte) {
	var after bool
	switch {
	case equalFold(args[2], "after"):
		after = true
	case equalFold(args[2], "before"):
	default:
		c.addError(errSyntax)
		return
	}
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addInt(0)
		return
	}
	ni, off, p := l.find(args[3])
	if ni < 0 {
		c.addInt(-1)
		return
	}
	l.insert(ni, off, p, args[4], after)
	n.dirty++
	n.propagate(args...)
	c.addInt(int64(l.len()))
}

func lindexCommand(n *Node, c *client, args [][]byte) {
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addNull()
		return
	}
	idx, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if v, ok := l.index(idx); ok {
		c.addBulk(v)
		return
	}
	c.addNull()
}

func lsetCommand(n *Node, c *client, args [][]byte) {
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addError(errNoSuchKey)
		return
	}
	idx, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if !l.replace(idx, args[3]) {
		c.addError(errOutOfRange)
		return
	}
	c.addOK()
	n.dirty++
	n.propagate(args...)
}

// addListRange is addListRangeReply: elements start..end (inclusive,
// negative from the tail), reversed when reverse.
func addListRange(c *client, l *listValue, start, end int64, reverse bool) {
	llen := int64(l.len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		c.addArrayLen(0)
		return
	}
	if end >= llen {
		end = llen - 1
	}
	k := int(end - start + 1)
	c.addArrayLen(k)
	from := int(start)
	if reverse {
		from = int(end)
	}
	l.rangeEach(from, k, reverse, func(e listpack.Entry) { addEntry(c, e) })
}

// addEntry replies with a listpack element as a bulk string.
func addEntry(c *client, e listpack.Entry) {
	if e.IsInt {
		c.addBulk(e.String())
		return
	}
	c.addBulkBytes(e.Str)
}

func lpopCommand(n *Node, c *client, args [][]byte) { popGeneric(n, c, args, true) }
func rpopCommand(n *Node, c *client, args [][]byte) { popGeneric(n, c, args, false) }

// popGeneric is popGenericCommand: LPOP/RPOP key [count].
func popGeneric(n *Node, c *client, args [][]byte, head bool) {
	if len(args) > 3 {
		c.addError(errWrongArgs(string(lowerASCII(args[0]))))
		return
	}
	hasCount := len(args) == 3
	var count int64
	if hasCount {
		v, ok := parseInt(args[2])
		if !ok || v < 0 {
			c.addError(errMustBePositive)
			return
		}
		count = v
	}
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		if hasCount {
			c.addNullArray()
		} else {
			c.addNull()
		}
		return
	}
	if hasCount && count == 0 {
		c.addArrayLen(0)
		return
	}
	key := string(args[1])
	if !hasCount {
		c.addBulk(l.pop(head))
		n.dirty++
		n.listEmptied(c.db, key, l)
		n.propagate(args...)
		return
	}
	k := popRange(c, l, head, count)
	n.dirty += k
	n.listEmptied(c.db, key, l)
	if n.bug(BugListTrimWrongEnd) {
		n.propagateStrings(popName(!head), key, string(args[2]))
		return
	}
	n.propagate(args...)
}

// popRange replies with and removes up to count elements from one end,
// as popGenericCommand's count form; it returns how many.
func popRange(c *client, l *listValue, head bool, count int64) int64 {
	k := min(count, int64(l.len()))
	if head {
		addListRange(c, l, 0, k-1, false)
		l.delRange(0, int(k))
	} else {
		addListRange(c, l, -k, -1, true)
		l.delRange(l.len()-int(k), int(k))
	}
	return k
}

func lrangeCommand(n *Node, c *client, args [][]byte) {
	start, ok1 := parseInt(args[2])
	end, ok2 := parseInt(args[3])
	if !ok1 || !ok2 {
		c.addError(errNotInteger)
		return
	}
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addArrayLen(0)
		return
	}
	addListRange(c, l, start, end, false)
}

func ltrimCommand(n *Node, c *client, args [][]byte) {
	start, ok1 := parseInt(args[2])
	end, ok2 := parseInt(args[3])
	if !ok1 || !ok2 {
		c.addError(errNotInteger)
		return
	}
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addOK()
		return
	}
	llen := int64(l.len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	var ltrim, rtrim int64
	if start > end || start >= llen {
		ltrim, rtrim = llen, 0
	} else {
		if end >= llen {
			end = llen - 1
		}
		ltrim, rtrim = start, llen-end-1
	}
	l.delRange(0, int(ltrim))
	if rtrim > 0 {
		l.delRange(l.len()-int(rtrim), int(rtrim))
	}
	n.listEmptied(c.db, string(args[1]), l)
	if ltrim+rtrim > 0 {
		n.dirty += ltrim + rtrim
		n.propagate(args...)
	}
	c.addOK()
}

func lposCommand(n *Node, c *client, args [][]byte) {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case equalFold(args[j], "rank") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok {
				c.addError(errNotInteger)
				return
			}
			if v == 0 {
				c.addError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
				return
			}
			rank = v
		case equalFold(args[j], "count") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok || v < 0 {
				c.addError("ERR COUNT can't be negative")
				return
			}
			count = v
		case equalFold(args[j], "maxlen") && more > 0:
			j++
			v, ok := parseInt(args[j])
			if !ok || v < 0 {
				c.addError("ERR MAXLEN can't be negative")
				return
			}
			maxlen = v
		default:
			c.addError(errSyntax)
			return
		}
	}
	fromTail := false
	if rank < 0 {
		rank = -rank
		fromTail = true
	}
	e := n.lookup(c, args[1])
	if e == nil {
		if count != -1 {
			c.addArrayLen(0)
		} else {
			c.addNull()
		}
		return
	}
	if e.kind() != kindList {
		c.addError(errWrongType)
		return
	}
	l := e.obj.(*listValue)
	llen := int64(l.len())
	var matches, index int64
	var found []int64
	match := int64(-1)
	scan := func(el listpack.Entry) bool {
		if maxlen != 0 && index >= maxlen {
			return false
		}
		if el.Equal(args[2]) {
			matches++
			pos := index
			if fromTail {
				pos = llen - index - 1
			}
			if matches >= rank {
				if count == -1 {
					match = pos
					return false
				}
				found = append(found, pos)
				if count != 0 && matches-rank+1 >= count {
					return false
				}
			}
		}
		index++
		return true
	}
	if llen > 0 {
		if fromTail {
			stop := false
			l.rangeEach(int(llen-1), int(llen), true, func(el listpack.Entry) {
				if !stop && !scan(el) {
					stop = true
				}
			})
		} else {
			l.each(scan)
		}
	}
	if count != -1 {
		c.addArrayLen(len(found))
		for _, p := range found {
			c.addInt(p)
		}
		return
	}
	if match < 0 {
		c.addNull()
		return
	}
	c.addInt(match)
}

func lremCommand(n *Node, c *client, args [][]byte) {
	toRemove, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	l, ok := n.lookupList(c, args[1])
	if !ok {
		return
	}
	if l == nil {
		c.addInt(0)
		return
	}
	fromTail := toRemove < 0
	if fromTail {
		toRemove = -toRemove
	}
	removed := l.remove(args[3], toRemove, fromTail)
	n.listEmptied(c.db, string(args[1]), l)
	if removed > 0 {
		n.dirty += removed
		n.propagate(args...)
	}
	c.addInt(removed)
}

// listSide parses LEFT or RIGHT (true for LEFT), replying a syntax error
// otherwise.
func listSide(c *client, arg []byte) (head, ok bool) {
	switch {
	case equalFold(arg, "left"):
		return true, true
	case equalFold(arg, "right"):
		return false, true
	}
	c.addError(errSyntax)
	return false, false
}

func rpoplpushCommand(n *Node, c *client, args [][]byte) {
	lmoveGeneric(n, c, args[1], args[2], false, true, args)
}

func lmoveCommand(n *Node, c *client, args [][]byte) {
	from, ok := listSide(c, args[3])
	if !ok {
		return
	}
	to, ok := listSide(c, args[4])
	if !ok {
		return
	}
	lmoveGeneric(n, c, args[1], args[2], from, to, args)
}

// lmoveGeneric is lmoveGenericCommand: it pops from src and pushes onto
// dst, replying with the element, and propagates as LMOVE or RPOPLPUSH
// (prop names the command and its arguments as they go out).
func lmoveGeneric(n *Node, c *client, src, dst []byte, from, to bool, prop [][]byte) {
	sl, ok := n.lookupList(c, src)
	if !ok {
		return
	}
	if sl == nil || sl.len() == 0 {
		c.addNull()
		return
	}
	if !n.moveElement(c, sl, src, dst, from, to) {
		return
	}
	n.propagate(prop...)
}

// moveElement moves one element of sl (src's list) from one end onto
// dst, replying with it; false after a WRONGTYPE reply for dst.
func (n *Node) moveElement(c *client, sl *listValue, src, dst []byte, from, to bool) bool {
	dl, ok := n.lookupList(c, dst)
	if !ok {
		return false
	}
	v := sl.pop(from)
	if dl == nil {
		dl = n.newListAt(c.db, string(dst))
	}
	dl.push([]byte(v), to)
	c.addBulk(v)
	n.listEmptied(c.db, string(src), sl)
	n.dirty++
	return true
}

// lmpopArgs is LMPOP/BLMPOP's parsed arguments.
type lmpopArgs struct {
	keys  [][]byte
	head  bool
	count int64
}

// parseLMPOP parses numkeys key... LEFT|RIGHT [COUNT count] from
// args[at], replying on error.
func parseLMPOP(c *client, args [][]byte, at int) (lmpopArgs, bool) {
	var a lmpopArgs
	numkeys, ok := parseInt(args[at])
	if !ok || numkeys < 1 {
		c.addError("ERR numkeys should be greater than 0")
		return a, false
	}
	whereIdx := int64(at) + numkeys + 1
	if numkeys >= int64(len(args)) || whereIdx >= int64(len(args)) {
		c.addError(errSyntax)
		return a, false
	}
	head, ok := listSide(c, args[whereIdx])
	if !ok {
		return a, false
	}
	a.keys, a.head, a.count = args[at+1:whereIdx], head, -1
	for j := int(whereIdx) + 1; j < len(args); j++ {
		more := len(args) - 1 - j
		if a.count == -1 && equalFold(args[j], "count") && more > 0 {
			j++
			v, ok := parseInt(args[j])
			if !ok || v < 1 {
				c.addError("ERR count should be greater than 0")
				return a, false
			}
			a.count = v
			continue
		}
		c.addError(errSyntax)
		return a, false
	}
	if a.count == -1 {
		a.count = 1
	}
	return a, true
}

func lmpopCommand(n *Node, c *client, args [][]byte) {
	a, ok := parseLMPOP(c, args, 1)
	if !ok {
		return
	}
	for _, key := range a.keys {
		l, ok := n.lookupList(c, key)
		if !ok {
			return
		}
		if l == nil || l.len() == 0 {
			continue
		}
		n.popWithKey(c, l, string(key), a.head, a.count, nil)
		return
	}
	c.addNullArray()
}

// popWithKey is listPopRangeAndReplyWithKey plus the [LR]POP key count
// that Redis propagates for it; sent, if not nil, goes out instead (a
// planted bug).
func (n *Node) popWithKey(c *client, l *listValue, key string, head bool, count int64, sent [][]byte) {
	k := min(count, int64(l.len()))
	c.addArrayLen(2)
	c.addBulk(key)
	popRange(c, l, head, k)
	n.dirty += k
	n.listEmptied(c.db, key, l)
	switch {
	case sent != nil:
		n.propagate(sent...)
		return
	case n.bug(BugLmpopCountDropped):
		n.propagateStrings(popName(head), key)
		return
	}
	n.propagateStrings(popName(head), key, itoa(k))
}

func popName(head bool) string {
	if head {
		return "LPOP"
	}
	return "RPOP"
}

// setPackedThreshold is DEBUG QUICKLIST-PACKED-THRESHOLD size: elements
// of at least size bytes go to plain nodes (0 restores 1 GB), for every
// list, as quicklistisSetPackedThreshold.
func (n *Node) setPackedThreshold(c *client, arg []byte) {
	sz, ok := memToUint64(string(arg))
	if !ok || sz > 1<<32-1<<20 {
		c.addError("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
		return
	}
	n.listPacked = int64(sz)
	c.addOK()
}
