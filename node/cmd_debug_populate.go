package node

import "strconv"

func init() {
	debugSubcommands["populate"] = debugPopulate
}

// debugPopulate is DEBUG POPULATE count [prefix] [size]: it adds string
// keys prefix:0 .. prefix:count-1 ("key" by default; keys longer than 127
// bytes are cut, as Redis's buffer cuts them) holding "value:<i>", or
// that text cut or zero-padded to size bytes. Existing keys are left
// alone. Like Redis it neither propagates nor counts as a change.
func debugPopulate(n *Node, c *client, args [][]byte) {
	if len(args) < 3 || len(args) > 5 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	count, ok := positiveLong(c, args[2])
	if !ok {
		return
	}
	var size int64
	if len(args) == 5 {
		if size, ok = positiveLong(c, args[4]); !ok {
			return
		}
	}
	prefix := "key"
	if len(args) >= 4 {
		prefix = string(args[3])
	}
	ks := n.dbs[c.db]
	lru := policyLRU(n.cfg.MaxMemoryPolicy) || policyLFU(n.cfg.MaxMemoryPolicy)
	for j := int64(0); j < count; j++ {
		key := prefix + ":" + strconv.FormatInt(j, 10)
		if len(key) > 127 {
			key = key[:127]
		}
		if n.lookup(c, []byte(key)) != nil {
			continue
		}
		val := "value:" + strconv.FormatInt(j, 10)
		if size > 0 {
			b := make([]byte, size)
			copy(b, val)
			val = string(b)
		}
		ks.set(key, val, 0)
		if lru {
			n.touchNew(ks.lookup(key))
		}
	}
	c.addOK()
}

// positiveLong is Redis's getPositiveLongFromObjectOrReply: a word that
// is not an integer gets the same error as a negative one (checked on
// redis-server 7.0.15: DEBUG POPULATE abc).
func positiveLong(c *client, b []byte) (int64, bool) {
	v, ok := parseInt(b)
	if !ok || v < 0 {
		c.addError("ERR value is out of range, must be positive")
		return 0, false
	}
	return v, true
}
