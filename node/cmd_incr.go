package node

import "strconv"

func init() {
	register(
		&command{name: "incr", arity: 2, flags: flagWrite | flagDenyOOM, fn: incrCommand},
		&command{name: "decr", arity: 2, flags: flagWrite | flagDenyOOM, fn: decrCommand},
		&command{name: "incrby", arity: 3, flags: flagWrite | flagDenyOOM, fn: incrbyCommand},
		&command{name: "decrby", arity: 3, flags: flagWrite | flagDenyOOM, fn: decrbyCommand},
		&command{name: "incrbyfloat", arity: 3, flags: flagWrite | flagDenyOOM, fn: incrbyfloatCommand},
	)
}

func incrCommand(n *Node, c *client, args [][]byte)   { incrBy(n, c, args, 1) }
func decrCommand(n *Node, c *client, args [][]byte)   { incrBy(n, c, args, -1) }
func incrbyCommand(n *Node, c *client, args [][]byte) { incrByArg(n, c, args, false) }
func decrbyCommand(n *Node, c *client, args [][]byte) { incrByArg(n, c, args, true) }

func incrByArg(n *Node, c *client, args [][]byte, negate bool) {
	by, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if negate {
		if by == minInt64 {
			c.addError("ERR decrement would overflow")
			return
		}
		by = -by
	}
	incrBy(n, c, args, by)
}

// incrBy adds by to the integer at args[1] (0 when missing), keeping the
// key's expiry, and propagates the command as given.
func incrBy(n *Node, c *client, args [][]byte, by int64) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	var cur, expireAt int64
	if e != nil {
		v, ok := parseInt([]byte(e.val))
		if !ok {
			c.addError(errNotInteger)
			return
		}
		cur, expireAt = v, e.expireAt
	}
	if (by < 0 && cur < 0 && by < minInt64-cur) || (by > 0 && cur > 0 && by > maxInt64-cur) {
		c.addError(errOverflow)
		return
	}
	cur += by
	if n.bug(BugWatchMissesIncr) {
		ks := n.dbs[c.db]
		saved := ks.watched
		ks.watched = nil
		defer func() { ks.watched = saved }()
	}
	n.setValue(c, args[1], e, strconv.FormatInt(cur, 10), expireAt)
	n.propagate(args...)
	c.addInt(cur)
}

// incrbyfloatCommand adds a float in long double precision and propagates
// SET key <result> KEEPTTL, so replicas never redo the arithmetic.
func incrbyfloatCommand(n *Node, c *client, args [][]byte) {
	e, ok := n.lookupString(c, args[1])
	if !ok {
		return
	}
	cur := longDouble{f: zeroLongDouble()}
	var expireAt int64
	if e != nil {
		v, ok := parseLongDouble([]byte(e.val))
		if !ok {
			c.addError(errNotFloat)
			return
		}
		cur, expireAt = v, e.expireAt
	}
	by, ok := parseLongDouble(args[2])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	sum, ok := addLongDouble(cur, by)
	if !ok {
		c.addError(errNaNOrInf)
		return
	}
	val := formatLongDoubleHuman(sum)
	n.setValue(c, args[1], e, val, expireAt)
	n.dbs[c.db].lookup(string(args[1])).obj = strEmbstr
	c.addBulk(val)
	n.propagateStrings("SET", string(args[1]), val, "KEEPTTL")
}
