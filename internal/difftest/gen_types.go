package difftest

import "strconv"

// Keys of the typed commands: the string key space (so types collide and
// WRONGTYPE paths run) plus keys mostly holding hashes and sets.
var typedKeys = []string{"h1", "h2", "h3", "s1", "s2", "s3", "s4", "k1", "k2", "num"}

var fields = []string{"f1", "f2", "f3", "f4", "f5", "1", "-2", "12345678901", "", "field with space", "ffffffffffffffffffffffffffffffffffff"}

// members mixes integers (intset) and strings (hashtable), with forms
// that look like integers but are not canonical.
var members = []string{"1", "2", "3", "-3", "100000", "5000000000", "-9223372036854775808", "9223372036854775807",
	"a", "b", "c", "01", "+1", "1.5", "", "x y", "9223372036854775808", "0", "-0"}

func (g *Gen) hkey() string {
	if g.chance(6) {
		return g.pick(typedKeys)
	}
	return g.pick(typedKeys[:3])
}

func (g *Gen) skey() string {
	if g.chance(6) {
		return g.pick(typedKeys)
	}
	return g.pick(typedKeys[3:7])
}

func (g *Gen) field() string { return g.pick(fields) }

func (g *Gen) member() string {
	if g.chance(3) {
		return strconv.Itoa(g.r.IntN(40) - 10)
	}
	return g.pick(members)
}

func (g *Gen) many(n int, f func() string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f()
	}
	return out
}

// countArg returns a count for the random-choice commands: mostly small,
// sometimes larger than any collection here, zero, negative or invalid.
func (g *Gen) countArg() string {
	switch g.r.IntN(8) {
	case 0:
		return g.pick([]string{"0", "-1", "x", "", "1.5", "-9223372036854775808", "9223372036854775807"})
	case 1:
		return "1000"
	case 2:
		return strconv.Itoa(-1 - g.r.IntN(10))
	}
	return strconv.Itoa(1 + g.r.IntN(6))
}

// Typed returns a random hash, set or (one in three) sorted set command.
func (g *Gen) Typed() []string {
	if g.chance(3) {
		return g.Zset()
	}
	switch g.r.IntN(40) {
	case 0, 1, 2, 3:
		args := []string{g.pick([]string{"HSET", "HSET", "HMSET"}), g.hkey()}
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			args = append(args, g.field(), g.val())
		}
		if g.chance(10) {
			args = args[:len(args)-1]
		}
		return args
	case 4:
		return []string{"HSETNX", g.hkey(), g.field(), g.val()}
	case 5, 6:
		return []string{"HGET", g.hkey(), g.field()}
	case 7:
		return append([]string{"HMGET", g.hkey()}, g.many(1+g.r.IntN(3), g.field)...)
	case 8, 9:
		return append([]string{"HDEL", g.hkey()}, g.many(1+g.r.IntN(3), g.field)...)
	case 10:
		return []string{g.pick([]string{"HLEN", "HKEYS", "HVALS", "HGETALL"}), g.hkey()}
	case 11:
		return []string{g.pick([]string{"HSTRLEN", "HEXISTS"}), g.hkey(), g.field()}
	case 12, 13:
		return []string{"HINCRBY", g.hkey(), g.field(), g.intArg()}
	case 14:
		return []string{"HINCRBYFLOAT", g.hkey(), g.field(), g.val()}
	case 15:
		args := []string{"HRANDFIELD", g.hkey()}
		if !g.chance(4) {
			args = append(args, g.countArg())
			if g.chance(2) {
				args = append(args, g.caseMix("withvalues"))
			}
			if g.chance(20) {
				args = append(args, "bogus")
			}
		}
		return args
	case 16:
		return g.collScan("HSCAN", g.hkey())
	case 17, 18, 19, 20:
		return append([]string{"SADD", g.skey()}, g.many(1+g.r.IntN(4), g.member)...)
	case 21, 22:
		return append([]string{"SREM", g.skey()}, g.many(1+g.r.IntN(3), g.member)...)
	case 23:
		return []string{g.pick([]string{"SCARD", "SMEMBERS"}), g.skey()}
	case 24:
		return []string{"SISMEMBER", g.skey(), g.member()}
	case 25:
		return append([]string{"SMISMEMBER", g.skey()}, g.many(1+g.r.IntN(3), g.member)...)
	case 26, 27:
		args := []string{"SPOP", g.skey()}
		if g.chance(2) {
			args = append(args, g.countArg())
		}
		return args
	case 28:
		args := []string{"SRANDMEMBER", g.skey()}
		if g.chance(2) {
			args = append(args, g.countArg())
		}
		return args
	case 29:
		return []string{"SMOVE", g.skey(), g.skey(), g.member()}
	case 30, 31:
		return append([]string{g.pick([]string{"SINTER", "SUNION", "SDIFF"})}, g.many(1+g.r.IntN(3), g.skey)...)
	case 32, 33:
		return append([]string{g.pick([]string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}), g.skey()}, g.many(1+g.r.IntN(3), g.skey)...)
	case 34:
		n := 1 + g.r.IntN(3)
		args := append([]string{"SINTERCARD", strconv.Itoa(n)}, g.many(n, g.skey)...)
		if g.chance(3) {
			args = append(args, "LIMIT", g.pick([]string{"0", "1", "2", "-1", "x"}))
		}
		if g.chance(15) {
			args[1] = g.pick([]string{"0", "x", "9"})
		}
		return args
	case 35:
		return g.collScan("SSCAN", g.skey())
	case 36:
		return []string{g.pick([]string{"TYPE", "OBJECT"}), g.pick(typedKeys)}
	case 37:
		return []string{"OBJECT", "ENCODING", g.pick(typedKeys)}
	case 38:
		if g.chance(2) {
			return []string{"DEBUG", "DIGEST"}
		}
		return append([]string{"DEBUG", "DIGEST-VALUE"}, g.many(1+g.r.IntN(3), func() string { return g.pick(typedKeys) })...)
	default:
		return g.typedConfig()
	}
}

// typedConfig changes an encoding threshold on both servers, so that the
// small collections here convert.
func (g *Gen) typedConfig() []string {
	switch g.r.IntN(3) {
	case 0:
		return []string{"CONFIG", "SET", "hash-max-listpack-entries", g.pick([]string{"2", "4", "512"})}
	case 1:
		return []string{"CONFIG", "SET", "hash-max-listpack-value", g.pick([]string{"3", "10", "64"})}
	}
	return []string{"CONFIG", "SET", "set-max-intset-entries", g.pick([]string{"2", "5", "512"})}
}

func (g *Gen) collScan(cmd, key string) []string {
	args := []string{cmd, key, "0"}
	if g.chance(10) {
		args[2] = g.pick([]string{"abc", " 1", "-", "18446744073709551616"})
	}
	for n := g.r.IntN(3); n > 0; n-- {
		switch g.r.IntN(4) {
		case 0:
			args = append(args, "MATCH", g.pick([]string{"f*", "*1", "*", "[a-c]", "nomatch", "?"}))
		case 1:
			args = append(args, "COUNT", g.pick([]string{"1", "2", "100", "0", "x"}))
		case 2:
			args = append(args, "TYPE", "string")
		default:
			args = append(args, g.pick([]string{"MATCH", "COUNT", "bogus"}))
		}
	}
	return args
}

// typedArityErrors are the new commands with a wrong number of arguments.
var typedArityErrors = [][]string{
	{"HSET", "h"}, {"HSET", "h", "f"}, {"HMSET", "h", "f"}, {"HSETNX", "h", "f"}, {"HGET", "h"}, {"HMGET", "h"}, {"HDEL", "h"},
	{"HLEN"}, {"HSTRLEN", "h"}, {"HEXISTS", "h"}, {"HKEYS"}, {"HVALS", "a", "b"}, {"HGETALL"}, {"HINCRBY", "h", "f"},
	{"HINCRBYFLOAT", "h"}, {"HRANDFIELD"}, {"HSCAN", "h"}, {"SADD", "s"}, {"SREM", "s"}, {"SCARD"}, {"SISMEMBER", "s"},
	{"SMISMEMBER", "s"}, {"SMEMBERS"}, {"SPOP"}, {"SRANDMEMBER"}, {"SMOVE", "a", "b"}, {"SINTER"}, {"SINTERCARD", "1"},
	{"SINTERSTORE", "d"}, {"SUNION"}, {"SUNIONSTORE", "d"}, {"SDIFF"}, {"SDIFFSTORE", "d"}, {"SSCAN", "s"}, {"OBJECT"},
	{"OBJECT", "ENCODING"}, {"OBJECT", "ENCODING", "a", "b"},
}
