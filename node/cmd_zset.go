package node

import "strconv"

func init() {
	register(
		&command{name: "zadd", arity: -4, flags: flagWrite | flagDenyOOM, fn: zaddCommand},
		&command{name: "zincrby", arity: 4, flags: flagWrite | flagDenyOOM, fn: zincrbyCommand},
		&command{name: "zrem", arity: -3, flags: flagWrite, fn: zremCommand},
		&command{name: "zcard", arity: 2, flags: flagReadOnly, fn: zcardCommand},
		&command{name: "zscore", arity: 3, flags: flagReadOnly, fn: zscoreCommand},
		&command{name: "zmscore", arity: -3, flags: flagReadOnly, fn: zmscoreCommand},
		&command{name: "zrank", arity: 3, flags: flagReadOnly, fn: zrankCommand},
		&command{name: "zrevrank", arity: 3, flags: flagReadOnly, fn: zrevrankCommand},
		&command{name: "zpopmin", arity: -2, flags: flagWrite, fn: zpopminCommand},
		&command{name: "zpopmax", arity: -2, flags: flagWrite, fn: zpopmaxCommand},
		&command{name: "zmpop", arity: -4, flags: flagWrite, fn: zmpopCommand},
		&command{name: "zrandmember", arity: -2, flags: flagReadOnly, fn: zrandmemberCommand},
		&command{name: "zscan", arity: -3, flags: flagReadOnly, fn: zscanCommand},
	)
}

const (
	errZsetNaN       = "ERR resulting score is not a number (NaN)"
	errMinMaxFloat   = "ERR min or max is not a float"
	errMinMaxLex     = "ERR min or max not valid string range item"
	errMustPositive  = "ERR value is out of range, must be positive"
	errValueOutRange = "ERR value is out of range"
)

// lookupZset returns key's sorted set (nil when missing); false after a
// WRONGTYPE reply.
func (n *Node) lookupZset(c *client, key []byte) (*zsetValue, bool) {
	e, ok := n.lookupKind(c, key, kindZset)
	if e == nil {
		return nil, ok
	}
	return e.obj.(*zsetValue), true
}

// addScore is addReplyDouble.
func (c *client) addScore(f float64) { c.addBulk(formatScore(f)) }

// parseLongOrReply is getLongFromObjectOrReply.
func parseLongOrReply(c *client, b []byte) (int64, bool) {
	v, ok := parseInt(b)
	if !ok {
		c.addError(errNotInteger)
	}
	return v, ok
}

func zaddCommand(n *Node, c *client, args [][]byte) { zaddGeneric(n, c, args, zaddFlags{}) }
func zincrbyCommand(n *Node, c *client, args [][]byte) {
	zaddGeneric(n, c, args, zaddFlags{incr: true})
}

// zaddGeneric is zaddGenericCommand (ZADD and ZINCRBY). Both propagate as
// they are when they changed the set.
func zaddGeneric(n *Node, c *client, args [][]byte, f zaddFlags) {
	ch := false
	idx := 2
	for ; idx < len(args); idx++ {
		switch o := args[idx]; {
		case equalFold(o, "nx"):
			f.nx = true
		case equalFold(o, "xx"):
			f.xx = true
		case equalFold(o, "ch"):
			ch = true
		case equalFold(o, "incr"):
			f.incr = true
		case equalFold(o, "gt"):
			f.gt = true
		case equalFold(o, "lt"):
			f.lt = true
		default:
			goto done
		}
	}
done:
	elements := len(args) - idx
	if elements%2 != 0 || elements == 0 {
		c.addError(errSyntax)
		return
	}
	elements /= 2
	if f.nx && f.xx {
		c.addError("ERR XX and NX options at the same time are not compatible")
		return
	}
	if (f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt) {
		c.addError("ERR GT, LT, and/or NX options at the same time are not compatible")
		return
	}
	if f.incr && elements > 1 {
		c.addError("ERR INCR option supports a single increment-element pair")
		return
	}
	scores := make([]float64, elements)
	for j := range scores {
		s, ok := parseScore(args[idx+2*j])
		if !ok || (s < 0 && !f.incr && n.bug(BugZaddRefusesNegative)) {
			c.addError(errNotFloat)
			return
		}
		scores[j] = s
	}
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	var added, updated, processed int
	var score float64
	if z == nil && !f.xx {
		z = newZsetFor(n, len(args[idx+1]))
		n.dbs[c.db].put(string(args[1]), "", z, 0)
	}
	if z != nil {
		for j, s := range scores {
			res, ns := z.add(n, s, string(args[idx+1+2*j]), f)
			switch res {
			case zaddNaN:
				c.addError(errZsetNaN)
				return
			case zaddAdded:
				added++
			case zaddUpdated:
				updated++
			}
			if res != zaddNop {
				processed++
			}
			score = ns
		}
	}
	if added+updated > 0 {
		n.dirty += int64(added + updated)
		if n.bug(BugZincrAsZadd) && f.incr {
			n.propagate([]byte("ZADD"), args[1], args[idx], args[idx+1])
		} else {
			n.propagate(args...)
		}
	}
	switch {
	case f.incr && processed > 0:
		c.addScore(score)
	case f.incr:
		c.addNull()
	case ch:
		c.addInt(int64(added + updated))
	default:
		c.addInt(int64(added))
	}
}

func zremCommand(n *Node, c *client, args [][]byte) {
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.addInt(0)
		return
	}
	deleted := 0
	for _, m := range args[2:] {
		if z.remove(string(m)) {
			deleted++
		}
		if n.deleteIfEmpty(c, args[1], z.len()) {
			break
		}
	}
	if deleted > 0 {
		n.dirty += int64(deleted)
		n.propagate(args...)
	}
	c.addInt(int64(deleted))
}

func zscoreCommand(n *Node, c *client, args [][]byte) {
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z != nil {
		if s, ok := z.score(string(args[2])); ok {
			c.addScore(s)
			return
		}
	}
	c.addNull()
}

func zmscoreCommand(n *Node, c *client, args [][]byte) {
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	c.addArrayLen(len(args) - 2)
	for _, m := range args[2:] {
		if z != nil {
			if s, ok := z.score(string(m)); ok {
				c.addScore(s)
				continue
			}
		}
		c.addNull()
	}
}

func zrankCommand(n *Node, c *client, args [][]byte)    { zrankGeneric(n, c, args, false) }
func zrevrankCommand(n *Node, c *client, args [][]byte) { zrankGeneric(n, c, args, true) }

func zrankGeneric(n *Node, c *client, args [][]byte, rev bool) {
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z != nil {
		if r, ok := z.rank(string(args[2])); ok {
			if rev {
				r = z.len() - 1 - r
			}
			c.addInt(int64(r))
			return
		}
	}
	c.addNull()
}

func zpopminCommand(n *Node, c *client, args [][]byte) { zpopMinMax(n, c, args, false) }
func zpopmaxCommand(n *Node, c *client, args [][]byte) { zpopMinMax(n, c, args, true) }

// zpopMinMax is ZPOPMIN and ZPOPMAX; they propagate as they are.
func zpopMinMax(n *Node, c *client, args [][]byte, max bool) {
	if len(args) > 3 {
		c.addError(errSyntax)
		return
	}
	count := int64(-1)
	if len(args) == 3 {
		v, ok := parseInt(args[2])
		if !ok || v < 0 {
			c.addError(errMustPositive)
			return
		}
		count = v
	}
	if _, popped := n.zpop(c, args[1:2], max, count, zpopFlat, false); popped > 0 {
		n.propagate(args...)
	}
}

// zpopReply is the shape of a pop's reply (genericZpopCommand's emitkey
// and use_nested_array in RESP2).
type zpopReply uint8

const (
	// zpopFlat is ZPOPMIN/ZPOPMAX: member, score, member, score...
	zpopFlat zpopReply = iota
	// zpopKeyFlat is BZPOPMIN/BZPOPMAX: key, member, score.
	zpopKeyFlat
	// zpopKeyNested is ZMPOP/BZMPOP: key, then [member, score] pairs.
	zpopKeyNested
)

// zpop is genericZpopCommand for the first of keys holding a sorted set:
// it pops up to count members (count -1: one) from the low or (max) high
// end and replies in shape; when no key holds a set it replies a null
// array (nilWhenEmpty) or an empty one. It returns the key and how many
// members it popped, and leaves propagation to the caller: ZPOPMIN and
// ZPOPMAX propagate as they are, everything else as zpopPropagation says.
// A blocking pop served later (BZPOPMIN, BZPOPMAX, BZMPOP) can call it the
// same way.
func (n *Node) zpop(c *client, keys [][]byte, max bool, count int64, shape zpopReply, nilWhenEmpty bool) ([]byte, int) {
	var z *zsetValue
	var key []byte
	for _, k := range keys {
		v, ok := n.lookupZset(c, k)
		if !ok {
			return nil, 0
		}
		if v != nil {
			z, key = v, k
			break
		}
	}
	if z == nil {
		if nilWhenEmpty {
			c.addNullArray()
		} else {
			c.addArrayLen(0)
		}
		return nil, 0
	}
	if count == 0 {
		c.addArrayLen(0)
		return nil, 0
	}
	if count == -1 {
		count = 1
	}
	llen := z.len()
	k := int(min(count, int64(llen)))
	switch shape {
	case zpopFlat:
		c.addArrayLen(2 * k)
	case zpopKeyFlat:
		c.addArrayLen(2*k + 1)
		c.addBulkBytes(key)
	case zpopKeyNested:
		c.addArrayLen(2)
		c.addBulkBytes(key)
		c.addArrayLen(k)
	}
	for i := 0; i < k; i++ {
		r := 0
		if max {
			r = z.len() - 1
		}
		m, s := z.at(r)
		z.remove(m)
		n.dirty++
		if shape == zpopKeyNested {
			c.addArrayLen(2)
		}
		c.addBulk(m)
		c.addScore(s)
	}
	n.deleteIfEmpty(c, key, z.len())
	return key, k
}

// zpopPropagation is what ZMPOP becomes in the replication stream:
// ZPOPMIN or ZPOPMAX of the key with the number of members popped. (Redis
// 7.0 propagates a served BZMPOP the same way, and a served BZPOPMIN or
// BZPOPMAX as ZPOPMIN or ZPOPMAX of the key without a count.)
func (n *Node) zpopPropagation(max bool, key []byte, popped int) [][]byte {
	name := "ZPOPMIN"
	if max {
		name = "ZPOPMAX"
	}
	if n.bug(BugZmpopMaxAsMin) {
		name = "ZPOPMIN"
	}
	return [][]byte{[]byte(name), key, []byte(strconv.Itoa(popped))}
}

func zmpopCommand(n *Node, c *client, args [][]byte) {
	keys, max, count, ok := parseZmpop(c, args, 1)
	if !ok {
		return
	}
	if key, popped := n.zpop(c, keys, max, count, zpopKeyNested, true); popped > 0 {
		n.propagate(n.zpopPropagation(max, key, popped)...)
	}
}

// parseZmpop parses ZMPOP's (or, from numkeysIdx 2, BZMPOP's) numkeys,
// keys, MIN|MAX and COUNT.
func parseZmpop(c *client, args [][]byte, numkeysIdx int) (keys [][]byte, max bool, count int64, ok bool) {
	numkeys, isInt := parseInt(args[numkeysIdx])
	if !isInt || numkeys < 1 {
		c.addError("ERR numkeys should be greater than 0")
		return nil, false, 0, false
	}
	whereIdx := int64(numkeysIdx) + numkeys + 1
	if whereIdx >= int64(len(args)) {
		c.addError(errSyntax)
		return nil, false, 0, false
	}
	switch w := args[whereIdx]; {
	case equalFold(w, "min"):
	case equalFold(w, "max"):
		max = true
	default:
		c.addError(errSyntax)
		return nil, false, 0, false
	}
	count = -1
	for j := int(whereIdx) + 1; j < len(args); j++ {
		if count == -1 && equalFold(args[j], "count") && j+1 < len(args) {
			j++
			v, isInt := parseInt(args[j])
			if !isInt || v < 1 {
				c.addError("ERR count should be greater than 0")
				return nil, false, 0, false
			}
			count = v
			continue
		}
		c.addError(errSyntax)
		return nil, false, 0, false
	}
	if count == -1 {
		count = 1
	}
	return args[numkeysIdx+1 : whereIdx], max, count, true
}

func zrandmemberCommand(n *Node, c *client, args [][]byte) {
	if len(args) >= 3 {
		l, ok := parseInt(args[2])
		if !ok {
			c.addError(errNotInteger)
			return
		}
		if l < -maxInt64 {
			c.addError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
			return
		}
		withScores := false
		if len(args) > 4 || (len(args) == 4 && !equalFold(args[3], "withscores")) {
			c.addError(errSyntax)
			return
		} else if len(args) == 4 {
			withScores = true
			if l < -maxInt64/2 || l > maxInt64/2 {
				c.addError(errValueOutRange)
				return
			}
		}
		zrandmemberWithCount(n, c, args, l, withScores)
		return
	}
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.addNull()
		return
	}
	m, _ := z.at(int(n.env.Rand() % uint64(z.len())))
	c.addBulk(m)
}

func zrandmemberWithCount(n *Node, c *client, args [][]byte, l int64, withScores bool) {
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.addArrayLen(0)
		return
	}
	per := 1
	if withScores {
		per = 2
	}
	at := z.at
	if z.lp != nil {
		// A listpack seeks in O(n): read it once (count may be large).
		var ms []string
		var ss []float64
		z.walk(0, false, func(m string, s float64) bool {
			ms, ss = append(ms, m), append(ss, s)
			return true
		})
		at = func(r int) (string, float64) { return ms[r], ss[r] }
	}
	reply := func(r int) {
		m, s := at(r)
		c.addBulk(m)
		if withScores {
			c.addScore(s)
		}
	}
	size := z.len()
	if l == 0 {
		c.addArrayLen(0)
		return
	}
	if l < 0 || l == 1 {
		count := l
		if count < 0 {
			count = -count
		}
		if count > maxRandomReply {
			c.addError(errRandomTooBig)
			return
		}
		c.addArrayLen(int(count) * per)
		for ; count > 0; count-- {
			reply(int(n.env.Rand() % uint64(size)))
		}
		return
	}
	if l >= int64(size) {
		// The whole set, as zuiNext walks it: from the top down.
		c.addArrayLen(size * per)
		z.walk(size-1, true, func(m string, s float64) bool {
			c.addBulk(m)
			if withScores {
				c.addScore(s)
			}
			return true
		})
		return
	}
	pick := randomSubset(n, size, l)
	c.addArrayLen(len(pick) * per)
	for _, r := range pick {
		reply(r)
	}
}
