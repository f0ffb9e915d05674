package node

// Options of SET and GETEX (Redis's parseExtendedStringArgumentsOrReply).
const (
	optNX = 1 << iota
	optXX
	optGet
	optKeepTTL
	optPersist
	optEX
	optPX
	optEXAT
	optPXAT
)

const optExpire = optEX | optPX | optEXAT | optPXAT

// strOpts are parsed SET/GETEX options; expire is the EX/PX/EXAT/PXAT
// argument, nil when there is none.
type strOpts struct {
	flags  int
	expire []byte
}

// parseStringOptions parses args[from:] as SET (forGet false) or GETEX
// (forGet true) options, replying a syntax error on anything else,
// including options that conflict with one already given.
func parseStringOptions(c *client, args [][]byte, from int, forGet bool) (strOpts, bool) {
	var o strOpts
	for i := from; i < len(args); i++ {
		a := args[i]
		hasNext := i+1 < len(args)
		set := !forGet
		var add int
		switch {
		case set && equalFold(a, "nx") && o.flags&optXX == 0:
			add = optNX
		case set && equalFold(a, "xx") && o.flags&optNX == 0:
			add = optXX
		case set && equalFold(a, "get"):
			add = optGet
		case set && equalFold(a, "keepttl") && o.flags&(optPersist|optExpire) == 0:
			add = optKeepTTL
		case forGet && equalFold(a, "persist") && o.flags&(optExpire|optKeepTTL) == 0:
			add = optPersist
		case hasNext && o.flags&(optKeepTTL|optPersist) == 0:
			for _, u := range [...]struct {
				name string
				flag int
			}{{"ex", optEX}, {"px", optPX}, {"exat", optEXAT}, {"pxat", optPXAT}} {
				if equalFold(a, u.name) && o.flags&(optExpire&^u.flag) == 0 {
					add = u.flag
				}
			}
			if add != 0 {
				o.expire = args[i+1]
				i++
			}
		}
		if add == 0 {
			c.addError(errSyntax)
			return o, false
		}
		o.flags |= add
	}
	return o, true
}

// expireArgMs turns an EX/PX/EXAT/PXAT argument into absolute Unix ms, as
// getExpireMillisecondsOrReply: positive, no overflow in unit conversion
// or in adding the current time. cmd names the command in the error.
func (n *Node) expireArgMs(c *client, cmd string, flags int, arg []byte) (int64, bool) {
	v, ok := parseInt(arg)
	if !ok {
		c.addError(errNotInteger)
		return 0, false
	}
	seconds := flags&(optEX|optEXAT) != 0
	if v <= 0 || (seconds && v > maxInt64/1000) {
		c.addError(errExpireTime(cmd))
		return 0, false
	}
	if seconds {
		v *= 1000
	}
	if flags&(optEX|optPX) != 0 {
		now := n.nowMs()
		if v > maxInt64-now {
			c.addError(errExpireTime(cmd))
			return 0, false
		}
		v += now
	}
	return v, true
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)

func errExpireTime(cmd string) string {
	return "ERR invalid expire time in '" + cmd + "' command"
}
