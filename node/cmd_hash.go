package node

func init() {
	register(
		&command{name: "hset", arity: -4, flags: flagWrite | flagDenyOOM, fn: hsetCommand},
		&command{name: "hmset", arity: -4, flags: flagWrite | flagDenyOOM, fn: hsetCommand},
		&command{name: "hsetnx", arity: 4, flags: flagWrite | flagDenyOOM, fn: hsetnxCommand},
		&command{name: "hget", arity: 3, flags: flagReadOnly, fn: hgetCommand},
		&command{name: "hmget", arity: -3, flags: flagReadOnly, fn: hmgetCommand},
		&command{name: "hdel", arity: -3, flags: flagWrite, fn: hdelCommand},
		&command{name: "hlen", arity: 2, flags: flagReadOnly, fn: hlenCommand},
		&command{name: "hstrlen", arity: 3, flags: flagReadOnly, fn: hstrlenCommand},
		&command{name: "hexists", arity: 3, flags: flagReadOnly, fn: hexistsCommand},
		&command{name: "hkeys", arity: 2, flags: flagReadOnly, fn: hkeysCommand},
		&command{name: "hvals", arity: 2, flags: flagReadOnly, fn: hvalsCommand},
		&command{name: "hgetall", arity: 2, flags: flagReadOnly, fn: hgetallCommand},
		&command{name: "hincrby", arity: 4, flags: flagWrite | flagDenyOOM, fn: hincrbyCommand},
		&command{name: "hincrbyfloat", arity: 4, flags: flagWrite | flagDenyOOM, fn: hincrbyfloatCommand},
		&command{name: "hrandfield", arity: -2, flags: flagReadOnly, fn: hrandfieldCommand},
		&command{name: "hscan", arity: -3, flags: flagReadOnly, fn: hscanCommand},
	)
}

// lookupHash returns key's hash (nil when missing); false after a
// WRONGTYPE reply.
func (n *Node) lookupHash(c *client, key []byte) (*hashValue, bool) {
	e, ok := n.lookupKind(c, key, kindHash)
	if e == nil {
		return nil, ok
	}
	return e.obj.(*hashValue), true
}

// hashForWrite is hashTypeLookupWriteOrCreate: key's hash, created empty
// (and stored) when missing.
func (n *Node) hashForWrite(c *client, key []byte) (*hashValue, bool) {
	h, ok := n.lookupHash(c, key)
	if !ok || h != nil {
		return h, ok
	}
	h = newHash()
	n.dbs[c.db].put(string(key), "", h, 0)
	return h, true
}

// deleteIfEmpty removes key once its collection is empty, as the
// commands that remove elements do.
func (n *Node) deleteIfEmpty(c *client, key []byte, size int) bool {
	if size > 0 {
		return false
	}
	n.dbs[c.db].remove(string(key))
	return true
}

func hsetCommand(n *Node, c *client, args [][]byte) {
	if len(args)%2 == 1 {
		c.addError(errWrongArgs(string(lowerASCII(args[0]))))
		return
	}
	h, ok := n.hashForWrite(c, args[1])
	if !ok {
		return
	}
	h.tryConversion(n, args[2:])
	created := 0
	for i := 2; i < len(args); i += 2 {
		if !h.set(n, string(args[i]), string(args[i+1])) {
			created++
		}
	}
	if equalFold(args[0], "hset") {
		c.addInt(int64(created))
	} else {
		c.addOK()
	}
	n.dirty += int64(len(args)-2) / 2
	n.propagate(args...)
}

func hsetnxCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.hashForWrite(c, args[1])
	if !ok {
		return
	}
	if h.exists(string(args[2])) {
		c.addInt(0)
		return
	}
	h.tryConversion(n, args[2:4])
	h.set(n, string(args[2]), string(args[3]))
	c.addInt(1)
	n.dirty++
	n.propagate(args...)
}

func hgetCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.addNull()
		return
	}
	addHashField(c, h, args[2])
}

func addHashField(c *client, h *hashValue, field []byte) {
	if h == nil {
		c.addNull()
		return
	}
	if v, ok := h.get(string(field)); ok {
		c.addBulk(v)
	} else {
		c.addNull()
	}
}

func hmgetCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	c.addArrayLen(len(args) - 2)
	for _, f := range args[2:] {
		addHashField(c, h, f)
	}
}

func hdelCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.addInt(0)
		return
	}
	deleted := 0
	for _, f := range args[2:] {
		if h.del(string(f)) {
			deleted++
			if n.deleteIfEmpty(c, args[1], h.len()) {
				break
			}
		}
	}
	if deleted > 0 {
		n.dirty += int64(deleted)
		n.propagate(args...)
	}
	c.addInt(int64(deleted))
}

func hstrlenCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.addInt(0)
		return
	}
	v, _ := h.get(string(args[2]))
	c.addInt(int64(len(v)))
}

func hexistsCommand(n *Node, c *client, args [][]byte) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h != nil && h.exists(string(args[2])) {
		c.addInt(1)
		return
	}
	c.addInt(0)
}

func hkeysCommand(n *Node, c *client, args [][]byte)   { hgetallGeneric(n, c, args, true, false) }
func hvalsCommand(n *Node, c *client, args [][]byte)   { hgetallGeneric(n, c, args, false, true) }
func hgetallCommand(n *Node, c *client, args [][]byte) { hgetallGeneric(n, c, args, true, true) }
func hgetallGeneric(n *Node, c *client, args [][]byte, keys, vals bool) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.addArrayLen(0)
		return
	}
	k := h.len()
	if keys && vals {
		k *= 2
	}
	c.addArrayLen(k)
	h.each(func(f, v string) bool {
		if keys {
			c.addBulk(f)
		}
		if vals {
			c.addBulk(v)
		}
		return true
	})
}

func hincrbyCommand(n *Node, c *client, args [][]byte) {
	incr, ok := parseInt(args[3])
	if !ok || (incr < 0 && n.bug(BugHincrbyRefusesNegative)) {
		c.addError(errNotInteger)
		return
	}
	h, ok := n.hashForWrite(c, args[1])
	if !ok {
		return
	}
	var cur int64
	if v, found := h.get(string(args[2])); found {
		if cur, ok = parseInt([]byte(v)); !ok {
			c.addError("ERR hash value is not an integer")
			return
		}
	}
	if (incr < 0 && cur < 0 && incr < minInt64-cur) || (incr > 0 && cur > 0 && incr > maxInt64-cur) {
		c.addError(errOverflow)
		return
	}
	cur += incr
	h.set(n, string(args[2]), itoa(cur))
	c.addInt(cur)
	n.dirty++
	n.propagate(args...)
}

func hincrbyfloatCommand(n *Node, c *client, args [][]byte) {
	incr, ok := parseLongDouble(args[3])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	if incr.f.IsInf() {
		c.addError("ERR value is NaN or Infinity")
		return
	}
	h, ok := n.hashForWrite(c, args[1])
	if !ok {
		return
	}
	cur := longDouble{f: zeroLongDouble()}
	if v, found := h.get(string(args[2])); found {
		if cur, ok = parseLongDouble([]byte(v)); !ok {
			c.addError("ERR hash value is not a float")
			return
		}
	}
	sum, ok := addLongDouble(cur, incr)
	if !ok {
		c.addError(errNaNOrInf)
		return
	}
	val := formatLongDoubleHuman(sum)
	h.set(n, string(args[2]), val)
	c.addBulk(val)
	n.dirty++
	if n.bug(BugHincrbyfloatVerbatim) {
		n.propagate(args...)
	} else {
		n.propagate([]byte("HSET"), args[1], args[2], []byte(val))
	}
}

// maxRandomReply bounds the reply of HRANDFIELD/SRANDMEMBER with a
// negative count (and ZRANDMEMBER): Redis would build it however large it
// gets; this node refuses rather than exhaust memory.
const maxRandomReply = 1 << 24

const errRandomTooBig = "ERR count is too large for this server (more than 16777216 elements)"

func hrandfieldCommand(n *Node, c *client, args [][]byte) {
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
		if len(args) > 4 || (len(args) == 4 && !equalFold(args[3], "withvalues")) {
			c.addError(errSyntax)
			return
		}
		withValues := len(args) == 4
		if withValues && (l < -maxInt64/2 || l > maxInt64/2) {
			c.addError("ERR value is out of range")
			return
		}
		hrandfieldWithCount(n, c, args, l, withValues)
		return
	}
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil {
		c.addNull()
		return
	}
	f, _ := h.at(int(n.env.Rand() % uint64(h.len())))
	c.addBulk(f)
}

func hrandfieldWithCount(n *Node, c *client, args [][]byte, l int64, withValues bool) {
	h, ok := n.lookupHash(c, args[1])
	if !ok {
		return
	}
	if h == nil || l == 0 {
		c.addArrayLen(0)
		return
	}
	size := h.len()
	per := 1
	if withValues {
		per = 2
	}
	if l < 0 {
		count := -l
		if count > maxRandomReply {
			c.addError(errRandomTooBig)
			return
		}
		c.addArrayLen(int(count) * per)
		for ; count > 0; count-- {
			f, v := h.at(int(n.env.Rand() % uint64(size)))
			c.addBulk(f)
			if withValues {
				c.addBulk(v)
			}
		}
		return
	}
	pick := randomSubset(n, size, l)
	c.addArrayLen(len(pick) * per)
	for _, i := range pick {
		f, v := h.at(i)
		c.addBulk(f)
		if withValues {
			c.addBulk(v)
		}
	}
}

// randomSubset returns count distinct indexes below size in ascending
// order (all of them when count >= size), drawn with the node's Rand.
func randomSubset(n *Node, size int, count int64) []int {
	if count >= int64(size) {
		out := make([]int, size)
		for i := range out {
			out[i] = i
		}
		return out
	}
	// Partial Fisher-Yates over a permutation, then sort the choice.
	perm := make([]int, size)
	for i := range perm {
		perm[i] = i
	}
	for i := 0; i < int(count); i++ {
		j := i + int(n.env.Rand()%uint64(size-i))
		perm[i], perm[j] = perm[j], perm[i]
	}
	pick := perm[:count]
	sortInts(pick)
	return pick
}
