package difftest

import "strconv"

// Keys of the list commands: mostly lists, sometimes any typed key (so
// WRONGTYPE paths run).
var listKeys = []string{"l1", "l2", "l3"}

// elems are list elements: integers (listpack int encodings), strings,
// non-canonical integers and a long value.
var elems = []string{"a", "b", "c", "1", "2", "-3", "100000", "5000000000", "01", "+1", "1.5", "", "x y",
	"9223372036854775807", "-9223372036854775808", "9223372036854775808",
	"a-rather-long-list-element-that-takes-more-than-sixty-four-bytes-in-a-listpack-node"}

func (g *Gen) lkey() string {
	if g.chance(8) {
		return g.pick(typedKeys)
	}
	return g.pick(listKeys)
}

func (g *Gen) elem() string {
	if g.chance(3) {
		return strconv.Itoa(g.r.IntN(20) - 5)
	}
	return g.pick(elems)
}

// listIndex returns an index argument: small, negative, out of range or
// invalid.
func (g *Gen) listIndex() string {
	if g.chance(12) {
		return g.pick([]string{"x", "", "1.5", "9223372036854775807", "-9223372036854775808", "100"})
	}
	return strconv.Itoa(g.r.IntN(14) - 7)
}

func (g *Gen) side() string {
	if g.chance(20) {
		return "middle"
	}
	return g.caseMix(g.pick([]string{"left", "right"}))
}

// blockTimeout is a blocking command's timeout: short (Redis answers an
// empty key's wait after it), sometimes invalid. Never 0, which would
// wait forever on one connection.
func (g *Gen) blockTimeout() string {
	if g.chance(10) {
		return g.pick([]string{"-1", "x", "inf", "0x1p-9", "-0.002"})
	}
	return g.pick([]string{"0.01", "0.001", "0.02"})
}

// lmpopTail returns LEFT|RIGHT [COUNT n] for LMPOP/BLMPOP.
func (g *Gen) lmpopTail() []string {
	args := []string{g.side()}
	if g.chance(2) {
		args = append(args, g.caseMix("count"), g.pick([]string{"1", "2", "5", "100", "0", "-1", "x"}))
	}
	if g.chance(20) {
		args = append(args, "COUNT", "1")
	}
	return args
}

// lmpopKeys returns numkeys key...: sometimes a wrong numkeys.
func (g *Gen) lmpopKeys() []string {
	n := 1 + g.r.IntN(3)
	args := append([]string{strconv.Itoa(n)}, g.many(n, g.lkey)...)
	if g.chance(15) {
		args[0] = g.pick([]string{"0", "x", "-1", "9", "9223372036854775807"})
	}
	return args
}

// List returns a random list command.
func (g *Gen) List() []string {
	switch g.r.IntN(36) {
	case 0, 1, 2, 3, 4, 5:
		cmd := g.pick([]string{"LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"})
		return append([]string{cmd, g.lkey()}, g.many(1+g.r.IntN(4), g.elem)...)
	case 6, 7:
		args := []string{g.pick([]string{"LPOP", "RPOP"}), g.lkey()}
		if g.chance(2) {
			args = append(args, g.pick([]string{"0", "1", "2", "3", "10", "-1", "x"}))
		}
		return args
	case 8:
		return []string{"LLEN", g.lkey()}
	case 9, 10:
		return []string{"LINDEX", g.lkey(), g.listIndex()}
	case 11:
		return []string{"LSET", g.lkey(), g.listIndex(), g.elem()}
	case 12, 13:
		return []string{"LRANGE", g.lkey(), g.listIndex(), g.listIndex()}
	case 14:
		return []string{"LTRIM", g.lkey(), g.listIndex(), g.listIndex()}
	case 15, 16:
		return []string{"LREM", g.lkey(), g.pick([]string{"0", "1", "2", "-1", "-2", "x"}), g.elem()}
	case 17, 18:
		where := g.caseMix(g.pick([]string{"before", "after"}))
		if g.chance(20) {
			where = "middle"
		}
		return []string{"LINSERT", g.lkey(), where, g.elem(), g.elem()}
	case 19, 20:
		args := []string{"LPOS", g.lkey(), g.elem()}
		for n := g.r.IntN(3); n > 0; n-- {
			switch g.r.IntN(4) {
			case 0:
				args = append(args, "RANK", g.pick([]string{"1", "2", "-1", "-2", "0", "x", "-9223372036854775808"}))
			case 1:
				args = append(args, "COUNT", g.pick([]string{"0", "1", "2", "-1", "x"}))
			case 2:
				args = append(args, "MAXLEN", g.pick([]string{"0", "1", "3", "-1", "x"}))
			default:
				args = append(args, g.pick([]string{"RANK", "bogus"}))
			}
		}
		return args
	case 21, 22:
		return []string{"LMOVE", g.lkey(), g.lkey(), g.side(), g.side()}
	case 23:
		return []string{"RPOPLPUSH", g.lkey(), g.lkey()}
	case 24, 25:
		return append(append([]string{"LMPOP"}, g.lmpopKeys()...), g.lmpopTail()...)
	case 26, 27:
		args := append([]string{g.pick([]string{"BLPOP", "BRPOP"})}, g.many(1+g.r.IntN(3), g.lkey)...)
		return append(args, g.blockTimeout())
	case 28:
		return []string{"BLMOVE", g.lkey(), g.lkey(), g.side(), g.side(), g.blockTimeout()}
	case 29:
		return []string{"BRPOPLPUSH", g.lkey(), g.lkey(), g.blockTimeout()}
	case 30:
		return append(append([]string{"BLMPOP", g.blockTimeout()}, g.lmpopKeys()...), g.lmpopTail()...)
	case 31:
		return []string{g.pick([]string{"TYPE", "OBJECT"}), g.lkey()}
	case 32:
		return []string{"OBJECT", "ENCODING", g.lkey()}
	case 33:
		return append([]string{"DEBUG", "DIGEST-VALUE"}, g.many(1+g.r.IntN(3), g.lkey)...)
	case 34:
		return []string{"CONFIG", "SET", "list-max-listpack-size", g.pick([]string{"-2", "-1", "2", "3", "5", "-5"})}
	default:
		return listArityErrors[g.r.IntN(len(listArityErrors))]
	}
}

// listArityErrors are the list commands with a wrong number of arguments.
var listArityErrors = [][]string{
	{"LPUSH", "l"}, {"RPUSH"}, {"LPUSHX", "l"}, {"RPUSHX", "l"}, {"LINSERT", "l", "before", "a"}, {"LLEN"},
	{"LINDEX", "l"}, {"LSET", "l", "0"}, {"LPOP"}, {"RPOP", "l", "1", "2"}, {"LRANGE", "l", "0"}, {"LTRIM", "l"},
	{"LPOS", "l"}, {"LREM", "l", "0"}, {"RPOPLPUSH", "l"}, {"LMOVE", "a", "b", "left"}, {"LMPOP", "1", "l"},
	{"BLPOP", "l"}, {"BRPOP"}, {"BRPOPLPUSH", "a", "b"}, {"BLMOVE", "a", "b", "left", "left"}, {"BLMPOP", "0", "1", "l"},
}
