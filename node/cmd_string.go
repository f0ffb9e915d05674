package node

import "strconv"

func init() {
	register(
		&command{name: "get", arity: 2, flags: flagReadOnly, fn: getCommand},
		&command{name: "set", arity: -3, flags: flagWrite | flagDenyOOM, fn: setCommand},
		&command{name: "incr", arity: 2, flags: flagWrite | flagDenyOOM, fn: incrCommand},
		&command{name: "decr", arity: 2, flags: flagWrite | flagDenyOOM, fn: decrCommand},
		&command{name: "incrby", arity: 3, flags: flagWrite | flagDenyOOM, fn: incrbyCommand},
		&command{name: "decrby", arity: 3, flags: flagWrite | flagDenyOOM, fn: decrbyCommand},
	)
}

func getCommand(n *Node, c *client, args [][]byte) {
	e := n.lookup(c, args[1])
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

const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
)

// parseSetOptions parses SET's options from args[3:]. It returns the flags
// and the expire argument, or an error reply.
func parseSetOptions(args [][]byte) (flags int, expire []byte, errReply string) {
	for i := 3; i < len(args); i++ {
		a := args[i]
		hasNext := i+1 < len(args)
		switch {
		case equalFold(a, "nx") && flags&(setXX) == 0:
			flags |= setNX
		case equalFold(a, "xx") && flags&(setNX) == 0:
			flags |= setXX
		case equalFold(a, "get"):
			flags |= setGet
		case equalFold(a, "keepttl") && flags&(setEX|setPX|setEXAT|setPXAT) == 0:
			flags |= setKeepTTL
		case equalFold(a, "ex") && flags&(setKeepTTL|setPX|setEXAT|setPXAT) == 0 && hasNext:
			flags |= setEX
			expire = args[i+1]
			i++
		case equalFold(a, "px") && flags&(setKeepTTL|setEX|setEXAT|setPXAT) == 0 && hasNext:
			flags |= setPX
			expire = args[i+1]
			i++
		case equalFold(a, "exat") && flags&(setKeepTTL|setEX|setPX|setPXAT) == 0 && hasNext:
			flags |= setEXAT
			expire = args[i+1]
			i++
		case equalFold(a, "pxat") && flags&(setKeepTTL|setEX|setPX|setEXAT) == 0 && hasNext:
			flags |= setPXAT
			expire = args[i+1]
			i++
		default:
			return 0, nil, errSyntax
		}
	}
	return flags, expire, ""
}

// expireMs turns an EX/PX/EXAT/PXAT argument into absolute Unix ms.
func (n *Node) expireMs(flags int, arg []byte, cmd string) (int64, string) {
	v, ok := parseInt(arg)
	if !ok {
		return 0, errNotInteger
	}
	invalid := "ERR invalid expire time in '" + cmd + "' command"
	if v <= 0 {
		return 0, invalid
	}
	if flags&(setEX|setEXAT) != 0 {
		if v > (1<<63-1)/1000 {
			return 0, invalid
		}
		v *= 1000
	}
	if flags&(setEX|setPX) != 0 {
		now := n.nowMs()
		if v > 1<<63-1-now {
			return 0, invalid
		}
		v += now
	}
	return v, ""
}

func setCommand(n *Node, c *client, args [][]byte) {
	flags, expArg, errReply := parseSetOptions(args)
	if errReply != "" {
		c.addError(errReply)
		return
	}
	var expireAt int64
	if expArg != nil {
		expireAt, errReply = n.expireMs(flags, expArg, "set")
		if errReply != "" {
			c.addError(errReply)
			return
		}
	}
	ks := n.dbs[c.db]
	old := n.lookup(c, args[1])
	var oldVal string
	hadOld := old != nil
	if hadOld {
		oldVal = old.val
	}
	if (flags&setNX != 0 && hadOld) || (flags&setXX != 0 && !hadOld) {
		if flags&setGet != 0 && hadOld {
			c.addBulk(oldVal)
		} else {
			c.addNull()
		}
		return
	}
	if flags&setKeepTTL != 0 && hadOld {
		expireAt = old.expireAt
	}
	n.rememberStale(string(args[1]), old)
	ks.set(string(args[1]), string(args[2]), expireAt)
	n.dirty++
	if flags&(setEX|setPX|setEXAT) != 0 {
		n.propagateStrings("SET", string(args[1]), string(args[2]), "PXAT", strconv.FormatInt(expireAt, 10))
	} else {
		n.propagate(args...)
	}
	switch {
	case flags&setGet != 0 && hadOld:
		c.addBulk(oldVal)
	case flags&setGet != 0:
		c.addNull()
	default:
		c.addOK()
	}
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
		if by == -1<<63 {
			c.addError("ERR decrement would overflow")
			return
		}
		by = -by
	}
	incrBy(n, c, args, by)
}

func incrBy(n *Node, c *client, args [][]byte, by int64) {
	e := n.lookup(c, args[1])
	var cur int64
	var expireAt int64
	if e != nil {
		v, ok := parseInt([]byte(e.val))
		if !ok {
			c.addError(errNotInteger)
			return
		}
		cur, expireAt = v, e.expireAt
	}
	if (by < 0 && cur < 0 && by < -1<<63-cur) || (by > 0 && cur > 0 && by > 1<<63-1-cur) {
		c.addError(errOverflow)
		return
	}
	cur += by
	n.rememberStale(string(args[1]), e)
	n.dbs[c.db].set(string(args[1]), strconv.FormatInt(cur, 10), expireAt)
	n.dirty++
	n.propagate(args...)
	c.addInt(cur)
}
