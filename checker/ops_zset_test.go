package checker

import (
	"math"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nilOf is op with a nil reply, as the client records one.
func nilOf(op Op) Op {
	op.Reply = "(nil)"
	return op
}

// Each sorted set command's model accepts a true history and rejects it
// with one reply corrupted.
func TestZsetModel(t *testing.T) {
	zadd := rc(4, "ZADD", "z", "1", "a", "1", "b", "2", "c", "0.5", "d")
	zmscore := arr([]string{"0.5", ""}, "ZMSCORE", "z", "d", "x")
	zmscore.Items[1].Nil = true
	runTypedCases(t, []typedCase{
		{"ZADD counts new members", seq(rc(2, "ZADD", "z", "1", "a", "2", "b"), rc(1, "ZADD", "z", "3", "b", "1", "c")),
			func(ops []Op) { ops[1].Int = 2 }},
		{"ZADD CH counts changed ones", seq(rc(2, "ZADD", "z", "1", "a", "2", "b"), rc(2, "ZADD", "z", "CH", "3", "b", "1", "c", "1", "a")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"ZADD GT adds new members, raises only", seq(rc(1, "ZADD", "z", "5", "a"), rc(1, "ZADD", "z", "GT", "CH", "1", "a", "2", "b"), bulk("5", true, "ZSCORE", "z", "a")),
			func(ops []Op) { ops[2].Result = "1" }},
		{"ZADD XX LT", seq(rc(1, "ZADD", "z", "5", "a"), rc(1, "ZADD", "z", "XX", "LT", "CH", "1", "a", "2", "b"), rc(1, "ZCARD", "z")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"ZADD INCR replies the score", seq(rc(1, "ZADD", "z", "0.1", "a"), bulk("0.30000000000000004", true, "ZADD", "z", "INCR", "0.2", "a")),
			func(ops []Op) { ops[1].Result = "0.3" }},
		{"ZADD NX INCR on a member there is nil", seq(rc(1, "ZADD", "z", "1", "a"), nilOf(bulk("", false, "ZADD", "z", "NX", "INCR", "2", "a"))),
			func(ops []Op) { ops[1].Reply, ops[1].Exists, ops[1].Result = "", true, "3" }},
		{"ZADD with NX and XX fails", seq(Op{Kind: OpCmd, Key: "z", Args: []string{"ZADD", "z", "NX", "XX", "1", "a"}, Err: "ERR XX and NX options at the same time are not compatible"}, rc(0, "ZCARD", "z")),
			func(ops []Op) { ops[0].Err, ops[0].Int = "", 1 }},
		{"ZINCRBY", seq(rc(1, "ZADD", "z", "1", "a"), bulk("-inf", true, "ZINCRBY", "z", "-inf", "a"), bulk("-inf", true, "ZSCORE", "z", "a")),
			func(ops []Op) { ops[1].Result = "inf" }},
		{"ZREM", seq(zadd, rc(2, "ZREM", "z", "a", "x", "b"), rc(2, "ZCARD", "z")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"ZMSCORE", seq(zadd, zmscore),
			func(ops []Op) { ops[1].Items[0].Str = "1" }},
		{"ZRANK ties by member", seq(zadd, rc(2, "ZRANK", "z", "b"), rc(1, "ZREVRANK", "z", "b")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"ZRANK of no member is nil", seq(zadd, nilOf(rc(0, "ZRANK", "z", "x"))),
			func(ops []Op) { ops[1].Reply = "(integer) 0" }},
		{"ZCOUNT exclusive", seq(zadd, rc(2, "ZCOUNT", "z", "(0.5", "1")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"ZRANGE by index", seq(zadd, arr([]string{"a", "b"}, "ZRANGE", "z", "1", "2")),
			func(ops []Op) { ops[1].Items[0].Str, ops[1].Items[1].Str = "b", "a" }},
		{"ZRANGE REV WITHSCORES", seq(zadd, arr([]string{"c", "2", "b", "1"}, "ZRANGE", "z", "0", "1", "REV", "WITHSCORES")),
			func(ops []Op) { ops[1].Items[3].Str = "1.0" }},
		{"ZRANGE BYSCORE REV LIMIT", seq(zadd, arr([]string{"a", "d"}, "ZRANGE", "z", "(2", "-inf", "BYSCORE", "REV", "LIMIT", "1", "5")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:1] }},
		{"ZRANGEBYSCORE", seq(zadd, arr([]string{"a", "b"}, "ZRANGEBYSCORE", "z", "1", "(2")),
			func(ops []Op) { ops[1].Items = append(ops[1].Items, Item{Str: "c"}) }},
		{"ZREVRANGEBYSCORE", seq(zadd, arr([]string{"c", "b", "a"}, "ZREVRANGEBYSCORE", "z", "+inf", "1")),
			func(ops []Op) { ops[1].Items[1].Str, ops[1].Items[2].Str = "a", "b" }},
		{"ZREVRANGE", seq(zadd, arr([]string{"c"}, "ZREVRANGE", "z", "0", "0")),
			func(ops []Op) { ops[1].Items[0].Str = "d" }},
		{"ZRANGEBYLEX", seq(rc(3, "ZADD", "l", "0", "a", "0", "b", "0", "c"), arr([]string{"b", "c"}, "ZRANGEBYLEX", "l", "(a", "+")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:1] }},
		{"ZREVRANGEBYLEX", seq(rc(3, "ZADD", "l", "0", "a", "0", "b", "0", "c"), arr([]string{"b"}, "ZREVRANGEBYLEX", "l", "[b", "-", "LIMIT", "0", "1")),
			func(ops []Op) { ops[1].Items[0].Str = "c" }},
		{"ZLEXCOUNT", seq(rc(3, "ZADD", "l", "0", "a", "0", "b", "0", "c"), rc(2, "ZLEXCOUNT", "l", "[b", "[z")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"ZREMRANGEBYRANK", seq(zadd, rc(2, "ZREMRANGEBYRANK", "z", "0", "1"), arr([]string{"b", "c"}, "ZRANGE", "z", "0", "-1")),
			func(ops []Op) { ops[2].Items[0].Str = "a" }},
		{"ZREMRANGEBYSCORE", seq(zadd, rc(3, "ZREMRANGEBYSCORE", "z", "-inf", "1"), rc(1, "ZCARD", "z")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"ZREMRANGEBYLEX", seq(rc(3, "ZADD", "l", "0", "a", "0", "b", "0", "c"), rc(2, "ZREMRANGEBYLEX", "l", "-", "(c"), rc(1, "ZCARD", "l")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"ZPOPMIN", seq(zadd, arr([]string{"d", "0.5", "a", "1"}, "ZPOPMIN", "z", "2"), rc(2, "ZCARD", "z")),
			func(ops []Op) { ops[1].Items[2].Str = "b" }},
		{"ZPOPMAX", seq(zadd, arr([]string{"c", "2"}, "ZPOPMAX", "z"), nilOf(bulk("", false, "ZSCORE", "z", "c"))),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "2" }},
		{"ZMPOP from the first key with members", seq(zadd, arr([]string{"z", "c", "2", "b", "1"}, "ZMPOP", "2", "y", "z", "MAX", "COUNT", "2")),
			func(ops []Op) { ops[1].Items[3].Str = "a" }},
		{"ZMPOP skips no key with members", seq(zadd, rc(1, "ZADD", "w", "1", "x"), arr([]string{"z", "d", "0.5"}, "ZMPOP", "2", "y", "z", "MIN")),
			func(ops []Op) { ops[1].Args[1], ops[1].Key = "y", "y" }},
		{"ZMPOP of nothing is nil", seq(rc(1, "ZADD", "y", "1", "x"), rc(1, "ZREM", "y", "x"), nilOf(arr(nil, "ZMPOP", "2", "y", "z", "MIN"))),
			func(ops []Op) { ops[1].Int = 0; ops[1].Args[2] = "q" }},
		{"BZPOPMIN served", seq(zadd, arr([]string{"z", "d", "0.5"}, "BZPOPMIN", "y", "z", "0.1")),
			func(ops []Op) { ops[1].Items[1].Str = "a" }},
		{"BZPOPMAX timed out on an empty key", seq(nilOf(arr(nil, "BZPOPMAX", "z", "0.1")), zadd),
			func(ops []Op) { ops[0].Call, ops[0].Return = 2_000_000, 2_500_000 }},
		{"BZMPOP served", seq(zadd, arr([]string{"z", "d", "0.5", "a", "1"}, "BZMPOP", "0.1", "1", "z", "MIN", "COUNT", "2"), rc(2, "ZCARD", "z")),
			func(ops []Op) { ops[2].Int = 3 }},
		{"ZRANGESTORE counts the range", seq(zadd, rc(2, "ZRANGESTORE", "d", "z", "1", "2"), arr([]string{"b", "a"}, "ZREVRANGE", "d", "0", "-1")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"ZRANDMEMBER", seq(zadd, arr([]string{"a", "1", "a", "1"}, "ZRANDMEMBER", "z", "-2", "WITHSCORES")),
			func(ops []Op) { ops[1].Items[3].Str = "2" }},
		{"ZSCAN complete", seq(zadd, arr([]string{"0", "a", "1", "b", "1", "c", "2", "d", "0.5"}, "ZSCAN", "z", "0", "COUNT", "100")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:7] }},
		{"ZUNION holds each source", seq(rc(1, "ZADD", "a", "1", "x"), rc(1, "SADD", "b", "y"), arr([]string{"x", "y"}, "ZUNION", "2", "a", "b")),
			func(ops []Op) { ops[2].Items = ops[2].Items[:1] }},
		{"ZINTER within each source", seq(rc(2, "ZADD", "a", "1", "x", "2", "y"), rc(1, "ZADD", "b", "1", "y"), arr([]string{"y", "3"}, "ZINTER", "2", "a", "b", "WITHSCORES")),
			func(ops []Op) { ops[2].Items[0].Str = "x" }},
		{"ZDIFF", seq(rc(2, "ZADD", "a", "1", "x", "2", "y"), rc(1, "ZADD", "b", "1", "y"), arr([]string{"x"}, "ZDIFF", "2", "a", "b")),
			func(ops []Op) { ops[2].Items[0].Str = "y" }},
		{"ZINTERCARD LIMIT", seq(rc(2, "ZADD", "a", "1", "x", "2", "y"), rc(2, "ZADD", "b", "1", "x", "1", "y"), rc(1, "ZINTERCARD", "2", "a", "b", "LIMIT", "1")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"ZUNIONSTORE counts at least each source", seq(zadd, rc(4, "ZUNIONSTORE", "d", "2", "z", "y")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"a ZUNION of a string is WRONGTYPE", seq(setOp("b", "v"), wrongType(arr(nil, "ZUNION", "1", "b"))),
			func(ops []Op) { ops[0] = rc(1, "SADD", "b", "x") }},
	})
}

// A blocked pop spans its wait: a ZADD during it may serve it.
func TestBzpopServedLater(t *testing.T) {
	pop := arr([]string{"z", "a", "1"}, "BZPOPMIN", "y", "z", "0.5")
	pop.Call, pop.Return = 0, 100
	add := rc(1, "ZADD", "z", "1", "a")
	add.Call, add.Return = 10, 20
	ops := []Op{pop, add}
	for i := range ops {
		ops[i].ID = i
		ops[i].Client = i
	}
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[0].Items[2].Str = "2"
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// A lex range over members of different scores is not Redis's to define:
// any members of the set go.
func TestZlexMixedScoresLoose(t *testing.T) {
	ops := seq(rc(2, "ZADD", "z", "1", "a", "0", "b"), arr([]string{"a"}, "ZRANGEBYLEX", "z", "[a", "+"))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[1].Items[0].Str = "x"
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// Scores render as Redis's %.17g.
func TestFmtScore(t *testing.T) {
	for f, want := range map[float64]string{0.1: "0.10000000000000001", 1: "1", 1e20: "1e+20", 1.5e-7: "1.4999999999999999e-07", -2.5: "-2.5", 100: "100"} {
		assert.Equal(t, want, fmtScore(f))
	}
}

// The stream replay follows sorted set commands as Redis propagates them
// (a served blocking pop as ZPOPMIN/ZPOPMAX of its key), and a snapshot
// that differs in one score fails.
func TestReplayZsetCommands(t *testing.T) {
	build := func(snapshot []tap.KeyValue) PrefixResult {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("SELECT", "0"))
		w.write("n1", "R", cmd("ZADD", "z", "1", "a", "1", "b", "2", "c", "inf", "d"))
		w.write("n1", "R", cmd("ZINCRBY", "z", "0.5", "a"))
		w.write("n1", "R", cmd("ZADD", "z", "GT", "CH", "0", "b", "3", "c"))
		w.write("n1", "R", cmd("ZPOPMIN", "z"))      // b
		w.write("n1", "R", cmd("ZPOPMAX", "z", "1")) // d, as BZMPOP propagates
		w.write("n1", "R", cmd("SADD", "s", "a", "x"))
		w.write("n1", "R", cmd("ZUNIONSTORE", "u", "2", "z", "s", "WEIGHTS", "2", "1"))
		w.write("n1", "R", cmd("ZINTERSTORE", "i", "2", "z", "s", "AGGREGATE", "MAX"))
		w.write("n1", "R", cmd("ZRANGESTORE", "r", "z", "0", "0"))
		w.write("n1", "R", cmd("ZADD", "l", "0", "a", "0", "b", "0", "c"))
		c := w.write("n1", "R", cmd("ZREMRANGEBYLEX", "l", "(a", "[b"))
		w.fullSync("n3", "n1", "R", c.End(), snapshot, snapshot)
		return CheckPrefix(w.in)
	}
	zs := func(kv ...any) string {
		var ms []tap.ZsetMember
		for i := 0; i < len(kv); i += 2 {
			ms = append(ms, tap.ZsetMember{Member: kv[i].(string), Score: kv[i+1].(float64)})
		}
		return tap.EncodeZset(ms)
	}
	good := []tap.KeyValue{
		typedKV("z", tap.TypeZset, zs("a", 1.5, "c", 3.0)),
		typedKV("s", tap.TypeSet, tap.EncodeSet([]string{"a", "x"})),
		typedKV("u", tap.TypeZset, zs("a", 4.0, "c", 6.0, "x", 1.0)),
		typedKV("i", tap.TypeZset, zs("a", 1.5)),
		typedKV("r", tap.TypeZset, zs("a", 1.5)),
		typedKV("l", tap.TypeZset, zs("a", 0.0, "c", 0.0)),
	}
	tap.SortKeyValues(good)
	assert.Empty(t, build(good).Violations)

	bad := append([]tap.KeyValue(nil), good...)
	for i := range bad {
		if bad[i].Key == "u" {
			bad[i].Value = zs("a", 3.0, "c", 6.0, "x", 1.0)
		}
	}
	require.Len(t, build(bad).Violations, 1)
}

// A master that propagates a blocking pop, or ZMPOP, as sent fails the
// prefix property: Redis propagates them as ZPOPMIN/ZPOPMAX of the key
// that served them.
func TestReplayReportsVerbatimZsetPops(t *testing.T) {
	for _, c := range [][]string{cmd("BZPOPMIN", "y", "z", "0.5"), cmd("BZPOPMAX", "z", "1"), cmd("BZMPOP", "1", "2", "y", "z", "MIN"), cmd("ZMPOP", "1", "z", "MAX", "COUNT", "2")} {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("ZADD", "z", "1", "x"))
		w.write("n1", "R", c)
		res := CheckPrefix(w.in)
		require.Len(t, res.Violations, 1, c[0])
		assert.Contains(t, res.Violations[0].Detail, "master n1 propagated "+c[0])
	}
}

// A zero score may come back as "0" or "-0" (the encoding decides); any
// other score exactly as %.17g.
func TestScoreIsTakesEitherZero(t *testing.T) {
	assert.True(t, scoreIs("0", math.Copysign(0, -1)))
	assert.True(t, scoreIs("-0", 0))
	assert.False(t, scoreIs("-0", 1e-300))
	assert.False(t, scoreIs("1", 0))
	assert.True(t, scoreIs("1.5", 1.5))
}
