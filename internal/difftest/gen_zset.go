package difftest

import (
	"strconv"
	"strings"
)

// Sorted set keys: zKeys hold any scores; zLexKeys only ever get score 0,
// since the BYLEX commands' answer on mixed scores depends on each
// server's skiplist shape.
var (
	zKeys    = []string{"z1", "z2", "z3", "s1", "h1", "k1"}
	zLexKeys = []string{"zl1", "zl2"}
)

var zMembers = []string{"a", "b", "c", "d", "1", "2", "-3", "10", "01", "", "x y", "mm", strings.Repeat("L", 70)}

var zScores = []string{"0", "1", "2", "-1", "1.5", "0.1", "-0", "3e5", "1e20", "inf", "-inf", "+inf", "4611686018427387904",
	"12345678901234567890", "0x10", "1e-320", "-2.5"}

var zBadScores = []string{"nan", "abc", "", " 1", "1e400", "1e-400", "1.2.3", "inf1", "0x"}

func (g *Gen) zkey() string {
	if g.chance(8) {
		return g.pick(typedKeys)
	}
	return g.pick(zKeys[:3])
}

func (g *Gen) zlexKey() string { return g.pick(zLexKeys) }

func (g *Gen) zmember() string {
	if g.chance(3) {
		return strconv.Itoa(g.r.IntN(20) - 5)
	}
	return g.pick(zMembers)
}

func (g *Gen) zscore() string {
	switch {
	case g.chance(25):
		return g.pick(zBadScores)
	case g.chance(3):
		return strconv.Itoa(g.r.IntN(20) - 5)
	}
	return g.pick(zScores)
}

// zbound is a score range bound: a score, exclusive or not, or a bad one.
func (g *Gen) zbound() string {
	switch g.r.IntN(12) {
	case 0:
		return g.pick([]string{"x", "(", "((1", "nan", "1 ", ""})
	case 1, 2, 3:
		return "(" + g.zscore()
	case 4:
		return g.pick([]string{"-inf", "+inf", "inf", "(-inf"})
	}
	return strconv.Itoa(g.r.IntN(14) - 4)
}

func (g *Gen) zlexBound() string {
	switch g.r.IntN(10) {
	case 0:
		return g.pick([]string{"x", "", "+x", "-x"})
	case 1, 2:
		return g.pick([]string{"-", "+"})
	case 3, 4, 5:
		return "(" + g.zmember()
	}
	return "[" + g.zmember()
}

func (g *Gen) zrank() string {
	if g.chance(15) {
		return g.pick([]string{"x", "1.5", "", "9223372036854775808"})
	}
	return strconv.Itoa(g.r.IntN(16) - 8)
}

func (g *Gen) zlimit() []string {
	if !g.chance(3) {
		return nil
	}
	return []string{g.caseMix("limit"), g.pick([]string{"0", "1", "2", "-1", "x"}), g.pick([]string{"1", "2", "5", "-1", "0", "x"})}
}

// Zset returns a random sorted set command.
func (g *Gen) Zset() []string {
	switch g.r.IntN(47) {
	case 0, 1, 2, 3, 4:
		args := []string{"ZADD", g.zkey()}
		for n := g.r.IntN(3); n > 0; n-- {
			args = append(args, g.caseMix(g.pick([]string{"nx", "xx", "gt", "lt", "ch", "incr"})))
		}
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			args = append(args, g.zscore(), g.zmember())
		}
		if g.chance(15) {
			args = args[:len(args)-1]
		}
		return args
	case 5, 6:
		args := []string{"ZADD", g.zlexKey()}
		for n := 1 + g.r.IntN(4); n > 0; n-- {
			args = append(args, "0", g.zmember())
		}
		return args
	case 7, 8:
		return []string{"ZINCRBY", g.zkey(), g.zscore(), g.zmember()}
	case 9, 10:
		return append([]string{"ZREM", g.pick([]string{g.zkey(), g.zlexKey()})}, g.many(1+g.r.IntN(3), g.zmember)...)
	case 11:
		return []string{g.pick([]string{"ZCARD", "TYPE"}), g.pick([]string{g.zkey(), g.zlexKey()})}
	case 12:
		return []string{"ZSCORE", g.zkey(), g.zmember()}
	case 13:
		return append([]string{"ZMSCORE", g.zkey()}, g.many(1+g.r.IntN(3), g.zmember)...)
	case 14:
		return []string{g.pick([]string{"ZRANK", "ZREVRANK"}), g.zkey(), g.zmember()}
	case 15:
		return []string{"ZCOUNT", g.zkey(), g.zbound(), g.zbound()}
	case 16:
		return []string{"ZLEXCOUNT", g.zlexKey(), g.zlexBound(), g.zlexBound()}
	case 17, 18, 19:
		return g.zrange()
	case 20:
		args := []string{g.pick([]string{"ZREVRANGE", "ZRANGE"}), g.zkey(), g.zrank(), g.zrank()}
		if g.chance(2) {
			args = append(args, g.caseMix("withscores"))
		}
		return args
	case 21, 22:
		args := []string{g.pick([]string{"ZRANGEBYSCORE", "ZREVRANGEBYSCORE"}), g.zkey(), g.zbound(), g.zbound()}
		if g.chance(2) {
			args = append(args, g.caseMix("withscores"))
		}
		return append(args, g.zlimit()...)
	case 23:
		args := []string{g.pick([]string{"ZRANGEBYLEX", "ZREVRANGEBYLEX"}), g.zlexKey(), g.zlexBound(), g.zlexBound()}
		return append(args, g.zlimit()...)
	case 24:
		return []string{"ZREMRANGEBYRANK", g.pick([]string{g.zkey(), g.zlexKey()}), g.zrank(), g.zrank()}
	case 25:
		return []string{"ZREMRANGEBYSCORE", g.zkey(), g.zbound(), g.zbound()}
	case 26:
		return []string{"ZREMRANGEBYLEX", g.zlexKey(), g.zlexBound(), g.zlexBound()}
	case 27, 28:
		args := []string{g.pick([]string{"ZPOPMIN", "ZPOPMAX"}), g.pick([]string{g.zkey(), g.zlexKey()})}
		if g.chance(2) {
			args = append(args, g.countArg())
		}
		return args
	case 29, 30:
		n := 1 + g.r.IntN(3)
		args := append([]string{"ZMPOP", strconv.Itoa(n)}, g.many(n, g.zkey)...)
		args = append(args, g.pick([]string{"MIN", "max", "bogus"}))
		if g.chance(2) {
			args = append(args, "COUNT", g.countArg())
		}
		if g.chance(15) {
			args[1] = g.pick([]string{"0", "x", "9"})
		}
		return args
	case 31:
		args := []string{"ZRANDMEMBER", g.zkey()}
		if !g.chance(4) {
			args = append(args, g.countArg())
			if g.chance(2) {
				args = append(args, g.caseMix("withscores"))
			}
		}
		return args
	case 32, 33, 34:
		return g.zsetOp()
	case 35:
		return g.collScan("ZSCAN", g.zkey())
	case 36:
		return []string{"OBJECT", "ENCODING", g.pick([]string{g.zkey(), g.zlexKey()})}
	case 37:
		return append([]string{"DEBUG", "DIGEST-VALUE"}, g.many(1+g.r.IntN(2), g.zkey)...)
	case 38:
		return g.zrangestore()
	case 39:
		return []string{g.pick([]string{"DEL", "EXPIRE", "PERSIST"}), g.zkey(), "100"}[:2+g.r.IntN(2)]
	case 40:
		return []string{"RENAME", g.zkey(), g.zkey()}
	case 41:
		return zsetArityErrors[g.r.IntN(len(zsetArityErrors))]
	case 42:
		if g.chance(3) {
			return g.zaddMany()
		}
		return g.zsetConfig()
	case 44, 45:
		args := append([]string{g.pick([]string{"BZPOPMIN", "BZPOPMAX"})}, g.many(1+g.r.IntN(3), g.zkey)...)
		return append(args, g.blockTimeout())
	case 46:
		n := 1 + g.r.IntN(3)
		args := append([]string{"BZMPOP", g.blockTimeout(), strconv.Itoa(n)}, g.many(n, g.zkey)...)
		args = append(args, g.pick([]string{"MIN", "max", "bogus"}))
		if g.chance(2) {
			args = append(args, "COUNT", g.countArg())
		}
		if g.chance(15) {
			args[2] = g.pick([]string{"0", "x", "9"})
		}
		return args
	default:
		return g.zsetConfig()
	}
}

// zaddMany adds up to 150 members at once, so that sets cross the default
// listpack limit (128) and grow skiplists of some depth.
func (g *Gen) zaddMany() []string {
	args := []string{"ZADD", g.zkey()}
	for n := 50 + g.r.IntN(100); n > 0; n-- {
		args = append(args, strconv.Itoa(g.r.IntN(60)-20)+"."+strconv.Itoa(g.r.IntN(10)), "m"+strconv.Itoa(g.r.IntN(400)))
	}
	return args
}

func (g *Gen) zrange() []string {
	args := []string{"ZRANGE", g.zkey()}
	kind := g.r.IntN(3)
	switch kind {
	case 0:
		args = append(args, g.zrank(), g.zrank())
	case 1:
		args = append(args, g.zbound(), g.zbound(), g.caseMix("byscore"))
	default:
		args[1] = g.zlexKey()
		args = append(args, g.zlexBound(), g.zlexBound(), g.caseMix("bylex"))
	}
	if g.chance(2) {
		args = append(args, g.caseMix("rev"))
	}
	if g.chance(2) {
		args = append(args, g.caseMix("withscores"))
	}
	args = append(args, g.zlimit()...)
	if g.chance(20) {
		args = append(args, g.pick([]string{"bogus", "byscore", "rev"}))
	}
	return args
}

func (g *Gen) zrangestore() []string {
	if g.chance(3) {
		args := []string{"ZRANGESTORE", g.zlexKey(), g.zlexKey(), g.zlexBound(), g.zlexBound(), "BYLEX"}
		return append(args, g.zlimit()...)
	}
	args := []string{"ZRANGESTORE", g.zkey(), g.zkey()}
	if g.chance(2) {
		args = append(args, g.zrank(), g.zrank())
	} else {
		args = append(args, g.zbound(), g.zbound(), "BYSCORE")
		args = append(args, g.zlimit()...)
	}
	if g.chance(3) {
		args = append(args, "REV")
	}
	return args
}

func (g *Gen) zsetOp() []string {
	op := g.pick([]string{"ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD"})
	args := []string{op}
	if strings.HasSuffix(op, "STORE") {
		args = append(args, g.zkey())
	}
	n := 1 + g.r.IntN(3)
	src := func() string {
		if g.chance(4) {
			return g.skey() // sets take part with score 1
		}
		return g.zkey()
	}
	args = append(args, strconv.Itoa(n))
	args = append(args, g.many(n, src)...)
	if g.chance(15) {
		args[len(args)-n-1] = g.pick([]string{"0", "x", "9"})
	}
	if op != "ZDIFF" && op != "ZDIFFSTORE" && op != "ZINTERCARD" {
		if g.chance(3) {
			args = append(args, "WEIGHTS")
			for i := 0; i < n; i++ {
				args = append(args, g.pick([]string{"1", "2", "-1", "0", "0.5", "inf", "x"}))
			}
		}
		if g.chance(3) {
			args = append(args, "AGGREGATE", g.pick([]string{"sum", "MIN", "max", "avg"}))
		}
	}
	if op == "ZINTERCARD" && g.chance(2) {
		args = append(args, "LIMIT", g.pick([]string{"0", "1", "2", "-1", "x"}))
	}
	if !strings.HasSuffix(op, "STORE") && op != "ZINTERCARD" && g.chance(2) {
		args = append(args, "WITHSCORES")
	}
	return args
}

// zsetConfig changes a sorted set encoding threshold on both servers.
func (g *Gen) zsetConfig() []string {
	if g.chance(2) {
		return []string{"CONFIG", "SET", "zset-max-listpack-entries", g.pick([]string{"0", "2", "4", "128"})}
	}
	return []string{"CONFIG", "SET", "zset-max-listpack-value", g.pick([]string{"1", "3", "10", "64"})}
}

// zsetArityErrors are the sorted set commands with a wrong number of
// arguments.
var zsetArityErrors = [][]string{
	{"ZADD", "z", "1"}, {"ZINCRBY", "z", "1"}, {"ZREM", "z"}, {"ZCARD"}, {"ZSCORE", "z"}, {"ZMSCORE", "z"}, {"ZRANK", "z"},
	{"ZREVRANK", "z"}, {"ZCOUNT", "z", "0"}, {"ZLEXCOUNT", "z", "-"}, {"ZRANGE", "z", "0"}, {"ZRANGESTORE", "d", "z", "0"},
	{"ZREVRANGE", "z", "0"}, {"ZRANGEBYSCORE", "z", "0"}, {"ZREVRANGEBYSCORE", "z", "0"}, {"ZRANGEBYLEX", "z", "-"},
	{"ZREVRANGEBYLEX", "z", "+"}, {"ZREMRANGEBYRANK", "z", "0"}, {"ZREMRANGEBYSCORE", "z", "0", "1", "2"},
	{"ZREMRANGEBYLEX", "z"}, {"ZPOPMIN"}, {"ZPOPMAX"}, {"ZMPOP", "1", "z"}, {"ZRANDMEMBER"}, {"ZUNION", "1"},
	{"ZINTER", "1"}, {"ZDIFF", "1"}, {"ZUNIONSTORE", "d", "1"}, {"ZINTERSTORE", "d", "1"}, {"ZDIFFSTORE", "d", "1"},
	{"ZINTERCARD", "1"}, {"ZSCAN", "z"}, {"BZPOPMIN", "z"}, {"BZPOPMAX"}, {"BZMPOP", "0", "1", "z"},
}
