package node

import "strconv"

func init() {
	register(
		&command{name: "get", arity: 2, flags: flagReadOnly, fn: getCommand},
		&command{name: "set", arity: -3, flags: flagWrite | flagDenyOOM, fn: setCommand},
		&command{name: "setnx", arity: 3, flags: flagWrite | flagDenyOOM, fn: setnxCommand},
		&command{name: "setex", arity: 4, flags: flagWrite | flagDenyOOM, fn: setexCommand},
		&command{name: "psetex", arity: 4, flags: flagWrite | flagDenyOOM, fn: psetexCommand},
		&command{name: "getset", arity: 3, flags: flagWrite | flagDenyOOM, fn: getsetCommand},
		&command{name: "getdel", arity: 2, flags: flagWrite, fn: getdelCommand},
		&command{name: "getex", arity: -2, flags: flagWrite, fn: getexCommand},
		&command{name: "mget", arity: -2, flags: flagReadOnly, fn: mgetCommand},
		&command{name: "mset", arity: -3, flags: flagWrite | flagDenyOOM, fn: msetCommand},
		&command{name: "msetnx", arity: -3, flags: flagWrite | flagDenyOOM, fn: msetnxCommand},
		&command{name: "append", arity: 3, flags: flagWrite | flagDenyOOM, fn: appendCommand},
		&command{name: "strlen", arity: 2, flags: flagReadOnly, fn: strlenCommand},
		&command{name: "getrange", arity: 4, flags: flagReadOnly, fn: getrangeCommand},
		&command{name: "setrange", arity: 4, flags: flagWrite | flagDenyOOM, fn: setrangeCommand},
		// SUBSTR is GETRANGE's old name, still in Redis 7.0.
		&command{name: "substr", arity: 4, flags: flagReadOnly, fn: getrangeCommand},
	)
}

func getCommand(n *Node, c *client, args [][]byte) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.addNull()
		return
	}
	if n.bug(BugStaleRead) {
		if old, ok := n.staleVals[e.key]; ok && n.env.Rand()%4 == 0 {
			c.addBulk(old)
			return
		}
	}
	c.addBulk(e.val)
}

// rememberStale keeps a key's previous value for the stale-read bug.
func (n *Node) rememberStale(key string, old *entry) {
	if !n.bug(BugStaleRead) || old == nil {
		return
	}
	if n.staleVals == nil {
		n.staleVals = map[string]string{}
	}
	n.staleVals[key] = old.val
}

// setValue stores val under key in c's db, as Redis's setKey: the expiry
// becomes expireAt (0 = none).
func (n *Node) setValue(c *client, key []byte, old *entry, val string, expireAt int64) {
	n.rememberStale(string(key), old)
	n.dbs[c.db].set(string(key), val, expireAt)
	if p := n.cfg.MaxMemoryPolicy; policyLRU(p) || policyLFU(p) {
		n.touchNew(n.dbs[c.db].lookup(string(key)))
	}
	n.dirty++
}

func setCommand(n *Node, c *client, args [][]byte) {
	o, ok := parseStringOptions(c, args, 3, false)
	if !ok {
		return
	}
	setGeneric(n, c, "set", args[1], args[2], o, args)
}

func setnxCommand(n *Node, c *client, args [][]byte) {
	old := n.lookup(c, args[1])
	if old != nil {
		c.addInt(0)
		return
	}
	n.setValue(c, args[1], old, string(args[2]), 0)
	n.propagate(args...)
	c.addInt(1)
}

func setexCommand(n *Node, c *client, args [][]byte) {
	o := strOpts{flags: optEX, expire: args[2]}
	setGeneric(n, c, "setex", args[1], args[3], o, nil)
}

func psetexCommand(n *Node, c *client, args [][]byte) {
	o := strOpts{flags: optPX, expire: args[2]}
	setGeneric(n, c, "psetex", args[1], args[3], o, nil)
}

// setGeneric is SET with parsed options; name is the command for error
// texts and args the original arguments (nil when they never propagate
// as given).
func setGeneric(n *Node, c *client, name string, key, val []byte, o strOpts, args [][]byte) {
	var expireAt int64
	if o.expire != nil {
		var ok bool
		if expireAt, ok = n.expireArgMs(c, name, o.flags, o.expire); !ok {
			return
		}
	}
	old := n.lookup(c, key)
	if o.flags&optGet != 0 {
		if old != nil && old.kind() != kindString {
			c.addError(errWrongType)
			return
		}
		if old == nil {
			c.addNull()
		} else {
			c.addBulk(old.val)
		}
	}
	if (o.flags&optNX != 0 && old != nil) || (o.flags&optXX != 0 && old == nil) {
		if o.flags&optGet == 0 {
			c.addNull()
		}
		return
	}
	if o.flags&optKeepTTL != 0 && old != nil {
		expireAt = old.expireAt
	}
	n.setValue(c, key, old, string(val), expireAt)
	switch {
	case o.expire != nil:
		n.propagateStrings("SET", string(key), string(val), "PXAT", strconv.FormatInt(expireAt, 10))
	case o.flags&optGet != 0:
		n.propagate(withoutGet(args)...)
	default:
		n.propagate(args...)
	}
	if o.flags&optGet == 0 {
		c.addOK()
	}
}

// withoutGet drops every GET option from SET's arguments, as Redis does
// before propagating SET ... GET.
func withoutGet(args [][]byte) [][]byte {
	out := make([][]byte, 0, len(args))
	for i, a := range args {
		if i >= 3 && equalFold(a, "get") {
			continue
		}
		out = append(out, a)
	}
	return out
}

func getsetCommand(n *Node, c *client, args [][]byte) {
	old, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if old == nil {
		c.addNull()
	} else {
		c.addBulk(old.val)
	}
	n.setValue(c, args[1], old, string(args[2]), 0)
	n.propagate(append([][]byte{[]byte("SET")}, args[1:]...)...)
}

// getdelCommand is GETDEL key: getGenericCommand's read, then dbSyncDelete,
// which on a writable replica also deletes a key that read as expired
// (not counted as expired: redis-server 7.0.15's expired_keys stays).
func getdelCommand(n *Node, c *client, args [][]byte) {
	done := n.reading()
	e, ok := n.lookupString(c, args[1])
	done()
	if !ok {
		return
	}
	if e == nil {
		c.addNull()
		e = n.dbs[c.db].lookup(string(args[1]))
		if e == nil {
			return
		}
	} else {
		c.addBulk(e.val)
	}
	n.rememberStale(e.key, e)
	n.dbs[c.db].remove(e.key)
	n.dirty++
	n.propagateStrings("DEL", string(args[1]))
}

func getexCommand(n *Node, c *client, args [][]byte) {
	o, ok := parseStringOptions(c, args, 2, true)
	if !ok {
		return
	}
	done := n.reading()
	e, ok := n.lookupString(c, args[1])
	done()
	if !ok {
		return
	}
	if e == nil {
		c.addNull()
		return
	}
	var expireAt int64
	if o.expire != nil {
		if expireAt, ok = n.expireArgMs(c, "getex", o.flags, o.expire); !ok {
			return
		}
	}
	c.addBulk(e.val)
	key := string(args[1])
	switch {
	case o.flags&(optEXAT|optPXAT) != 0 && n.alreadyExpired(expireAt):
		n.dbs[c.db].remove(e.key)
		n.dirty++
		n.propagateStrings("DEL", key)
	case o.expire != nil:
		n.dbs[c.db].setExpire(e, expireAt)
		n.dirty++
		n.propagateStrings("PEXPIREAT", key, strconv.FormatInt(expireAt, 10))
	case o.flags&optPersist != 0 && e.expireAt != 0:
		n.dbs[c.db].setExpire(e, 0)
		n.dirty++
		if !n.bug(BugGetexPersistNotPropagated) {
			n.propagateStrings("PERSIST", key)
		}
	}
}

func mgetCommand(n *Node, c *client, args [][]byte) {
	c.addArrayLen(len(args) - 1)
	for _, k := range args[1:] {
		if e := n.lookup(c, k); e != nil && e.kind() == kindString {
			c.addBulk(e.val)
		} else {
			c.addNull()
		}
	}
}

func msetCommand(n *Node, c *client, args [][]byte)   { msetGeneric(n, c, args, false) }
func msetnxCommand(n *Node, c *client, args [][]byte) { msetGeneric(n, c, args, true) }

func msetGeneric(n *Node, c *client, args [][]byte, nx bool) {
	if len(args)%2 == 0 {
		c.addError(errWrongArgs(string(lowerASCII(args[0]))))
		return
	}
	if nx {
		for i := 1; i < len(args); i += 2 {
			if n.lookup(c, args[i]) != nil {
				c.addInt(0)
				return
			}
		}
	}
	n.dbs[c.db].reserve(len(args) / 2)
	for i := 1; i < len(args); i += 2 {
		old := n.lookup(c, args[i]) // expires a dead key first, as setKey does
		n.setValue(c, args[i], old, string(args[i+1]), 0)
	}
	n.propagate(args...)
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
}

func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		out[i] = ch
	}
	return out
}

func appendCommand(n *Node, c *client, args [][]byte) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	var val string
	if e == nil {
		val = string(args[2])
	} else {
		if !n.checkStringLength(c, int64(len(e.val)), int64(len(args[2]))) {
			return
		}
		val = e.val + string(args[2])
		n.rememberStale(e.key, e)
	}
	if e == nil {
		n.dbs[c.db].set(string(args[1]), val, 0)
	} else {
		n.dbs[c.db].rewrite(e, val, strRaw)
	}
	n.dirty++
	n.propagate(args...)
	c.addInt(int64(len(val)))
}

// checkStringLength refuses a string that would outgrow proto-max-bulk-len
// (our master's stream is obeyed regardless).
func (n *Node) checkStringLength(c *client, size, add int64) bool {
	if c.isMasterLink {
		return true
	}
	limit := n.cfg.ProtoMaxBulkLen
	if limit <= 0 {
		limit = 512 << 20
	}
	total := size + add
	if total > limit || total < size || total < add {
		c.addError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
		return false
	}
	return true
}

func strlenCommand(n *Node, c *client, args [][]byte) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(len(e.val)))
}

func getrangeCommand(n *Node, c *client, args [][]byte) {
	start, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	end, ok := parseInt(args[3])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	if e == nil {
		c.addBulk("")
		return
	}
	c.addBulk(substr(e.val, start, end))
}

// substr is GETRANGE's slice of s: negative indexes count from the end,
// both ends inclusive, clamped to the string.
func substr(s string, start, end int64) string {
	size := int64(len(s))
	if start < 0 && end < 0 && start > end {
		return ""
	}
	if start < 0 {
		start += size
	}
	if end < 0 {
		end += size
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = 0
	}
	if end >= size {
		end = size - 1
	}
	if start > end || size == 0 {
		return ""
	}
	return s[start : end+1]
}

func setrangeCommand(n *Node, c *client, args [][]byte) {
	offset, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if offset < 0 {
		c.addError("ERR offset is out of range")
		return
	}
	value := args[3]
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	var cur string
	if e != nil {
		cur = e.val
	}
	if len(value) == 0 {
		c.addInt(int64(len(cur)))
		return
	}
	if !n.checkStringLength(c, offset, int64(len(value))) {
		return
	}
	size := int64(len(cur))
	if need := offset + int64(len(value)); need > size {
		size = need
	}
	buf := make([]byte, size)
	copy(buf, cur)
	copy(buf[offset:], value)
	if e == nil {
		n.dbs[c.db].put(string(args[1]), string(buf), strRaw, 0)
	} else {
		n.rememberStale(e.key, e)
		n.dbs[c.db].rewrite(e, string(buf), strRaw)
	}
	n.dirty++
	n.propagate(args...)
	c.addInt(size)
}
