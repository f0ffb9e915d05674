package node

import (
	"strconv"
	"strings"
)

func init() {
	register(
		&command{name: "expire", arity: -3, flags: flagWrite, fn: expireCommand},
		&command{name: "pexpire", arity: -3, flags: flagWrite, fn: pexpireCommand},
		&command{name: "expireat", arity: -3, flags: flagWrite, fn: expireatCommand},
		&command{name: "pexpireat", arity: -3, flags: flagWrite, fn: pexpireatCommand},
		&command{name: "ttl", arity: 2, flags: flagReadOnly, fn: ttlCommand},
		&command{name: "pttl", arity: 2, flags: flagReadOnly, fn: pttlCommand},
		&command{name: "expiretime", arity: 2, flags: flagReadOnly, fn: expiretimeCommand},
		&command{name: "pexpiretime", arity: 2, flags: flagReadOnly, fn: pexpiretimeCommand},
		&command{name: "persist", arity: 2, flags: flagWrite, fn: persistCommand},
	)
}

// alreadyExpired reports whether an expiry at when (Unix ms) means the key
// is to be deleted right away. A replica never does that: it keeps the key
// with its past expiry and waits for its master's DEL; nor does a node
// loading its AOF, whose later commands apply to the key as they did
// before (Redis's checkAlreadyExpired).
func (n *Node) alreadyExpired(when int64) bool {
	return when <= n.nowMs() && !n.repl.isReplica() && !n.persist().loading
}

func expireCommand(n *Node, c *client, args [][]byte)    { expireGeneric(n, c, args, true, true) }
func pexpireCommand(n *Node, c *client, args [][]byte)   { expireGeneric(n, c, args, true, false) }
func expireatCommand(n *Node, c *client, args [][]byte)  { expireGeneric(n, c, args, false, true) }
func pexpireatCommand(n *Node, c *client, args [][]byte) { expireGeneric(n, c, args, false, false) }

const (
	expNX = 1 << iota
	expXX
	expGT
	expLT
)

// parseExpireFlags parses the NX|XX|GT|LT options of the EXPIRE family.
func parseExpireFlags(c *client, args [][]byte) (int, bool) {
	flags := 0
	for _, a := range args[3:] {
		switch {
		case equalFold(a, "nx"):
			flags |= expNX
		case equalFold(a, "xx"):
			flags |= expXX
		case equalFold(a, "gt"):
			flags |= expGT
		case equalFold(a, "lt"):
			flags |= expLT
		default:
			c.addError(noNewlines("ERR Unsupported option " + cString(a)))
			return 0, false
		}
	}
	if flags&expNX != 0 && flags&(expXX|expGT|expLT) != 0 {
		if c.n.bug(BugExpireConflictUnanswered) {
			return 0, false
		}
		c.addError("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if flags&expGT != 0 && flags&expLT != 0 {
		c.addError("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return flags, true
}

// cString is b as C's %s prints it: up to the first NUL byte.
func cString(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

// expireGeneric implements EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT.
// relative says the time is from now, seconds that it is in seconds.
// It propagates PEXPIREAT with the absolute time (the options kept), or
// DEL when the time has already passed.
func expireGeneric(n *Node, c *client, args [][]byte, relative, seconds bool) {
	flags, ok := parseExpireFlags(c, args)
	if !ok {
		return
	}
	when, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	name := string(lowerASCII(args[0]))
	if seconds {
		if when > maxInt64/1000 || when < minInt64/1000 {
			c.addError(errExpireTime(name))
			return
		}
		when *= 1000
	}
	var base int64
	if relative {
		base = n.nowMs()
	}
	if when > maxInt64-base {
		c.addError(errExpireTime(name))
		return
	}
	when += base
	e := n.lookup(c, args[1])
	if e == nil {
		c.addInt(0)
		return
	}
	if flags != 0 {
		cur := e.expireAt // 0: no expiry, which Redis calls -1
		switch {
		case flags&expNX != 0 && cur != 0,
			flags&expXX != 0 && cur == 0,
			flags&expGT != 0 && (cur == 0 || when <= cur),
			flags&expLT != 0 && cur != 0 && when >= cur:
			c.addInt(0)
			return
		}
	}
	if n.alreadyExpired(when) {
		n.dbs[c.db].remove(e.key)
		n.dirty++
		n.propagateStrings("DEL", string(args[1]))
		c.addInt(1)
		return
	}
	n.dbs[c.db].setExpire(e, expireAtOrPast(when))
	n.dirty++
	c.addInt(1)
	prop := make([][]byte, len(args))
	copy(prop, args)
	if relative || seconds {
		prop[0] = []byte("PEXPIREAT")
		prop[2] = []byte(strconv.FormatInt(when, 10))
	}
	n.propagate(prop...)
}

// expireAtOrPast maps an expiry time to what an entry stores: 0 means "no
// expiry" there, so a (replica's) expiry at or before the epoch is kept as
// 1 ms after it: equally in the past.
func expireAtOrPast(when int64) int64 {
	if when <= 0 {
		return 1
	}
	return when
}

func ttlCommand(n *Node, c *client, args [][]byte)         { ttlGeneric(n, c, args, false, false) }
func pttlCommand(n *Node, c *client, args [][]byte)        { ttlGeneric(n, c, args, true, false) }
func expiretimeCommand(n *Node, c *client, args [][]byte)  { ttlGeneric(n, c, args, false, true) }
func pexpiretimeCommand(n *Node, c *client, args [][]byte) { ttlGeneric(n, c, args, true, true) }

// ttlGeneric answers TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a
// missing key, -1 without expiry, else the remaining or absolute time.
func ttlGeneric(n *Node, c *client, args [][]byte, ms, abs bool) {
	e := n.lookupNoTouch(c, args[1])
	if e == nil {
		c.addInt(-2)
		return
	}
	if e.expireAt == 0 {
		c.addInt(-1)
		return
	}
	t := e.expireAt
	if !abs {
		t -= n.nowMs()
	}
	if t < 0 {
		t = 0
	}
	if !ms {
		t = t/1000 + (t%1000+500)/1000 // (t+500)/1000 without overflow
	}
	c.addInt(t)
}

func persistCommand(n *Node, c *client, args [][]byte) {
	e := n.lookup(c, args[1])
	if e == nil || e.expireAt == 0 {
		c.addInt(0)
		return
	}
	n.dbs[c.db].setExpire(e, 0)
	n.dirty++
	n.propagate(args...)
	c.addInt(1)
}
