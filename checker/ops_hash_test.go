package checker

import (
	"testing"
)

// Each hash command's model accepts a true history and rejects it with
// one reply corrupted.
func TestHashModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"HSET counts new fields", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), rc(1, "HSET", "h", "a", "3", "c", "4")),
			func(ops []Op) { ops[1].Int = 2 }},
		{"HSET then HGET", seq(rc(1, "HSET", "h", "a", "1"), bulk("1", true, "HGET", "h", "a"), bulk("", false, "HGET", "h", "b")),
			func(ops []Op) { ops[2].Exists = true }},
		{"HMSET", seq(rc(1, "HMSET", "h", "a", "1"), bulk("1", true, "HGET", "h", "a")),
			func(ops []Op) { ops[1].Result = "2" }},
		{"HSETNX", seq(rc(1, "HSETNX", "h", "a", "1"), rc(0, "HSETNX", "h", "a", "2"), bulk("1", true, "HGET", "h", "a")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"HMGET", seq(rc(1, "HSET", "h", "a", "1"), Op{Kind: OpCmd, Key: "h", Args: []string{"HMGET", "h", "a", "b"}, Items: []Item{{Str: "1"}, {Nil: true}}}),
			func(ops []Op) { ops[1].Items[1] = Item{Str: ""} }},
		{"HDEL deletes the key with its last field", seq(rc(1, "HSET", "h", "a", "1"), rc(1, "HDEL", "h", "a", "z"), Op{Kind: OpExists, Key: "h", Int: 0}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"HLEN", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), rc(2, "HLEN", "h")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"HEXISTS", seq(rc(1, "HSET", "h", "a", "1"), rc(1, "HEXISTS", "h", "a"), rc(0, "HEXISTS", "h", "b")),
			func(ops []Op) { ops[2].Int = 1 }},
		{"HSTRLEN", seq(rc(1, "HSET", "h", "a", "abc"), rc(3, "HSTRLEN", "h", "a")),
			func(ops []Op) { ops[1].Int = 2 }},
		{"HINCRBY", seq(rc(1, "HSET", "h", "a", "5"), rc(2, "HINCRBY", "h", "a", "-3"), rc(12, "HINCRBY", "h", "b", "12")),
			func(ops []Op) { ops[1].Int = 8 }},
		{"HINCRBY of a word", seq(rc(1, "HSET", "h", "a", "x"), Op{Kind: OpCmd, Key: "h", Args: []string{"HINCRBY", "h", "a", "1"}, Err: "ERR hash value is not an integer"}),
			func(ops []Op) { ops[0].Args[3] = "7" }},
		{"HINCRBYFLOAT", seq(rc(1, "HSET", "h", "a", "1.5"), bulk("3", true, "HINCRBYFLOAT", "h", "a", "1.5"), bulk("3", true, "HGET", "h", "a")),
			func(ops []Op) { ops[1].Result = "3.5" }},
		{"HGETALL in any order", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), arr([]string{"b", "2", "a", "1"}, "HGETALL", "h")),
			func(ops []Op) { ops[1].Items[1].Str = "1" }},
		{"HKEYS", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), arr([]string{"b", "a"}, "HKEYS", "h")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:1] }},
		{"HVALS", seq(rc(2, "HSET", "h", "a", "1", "b", "1"), arr([]string{"1", "1"}, "HVALS", "h")),
			func(ops []Op) { ops[1].Items[0].Str = "2" }},
		{"HRANDFIELD", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), bulk("b", true, "HRANDFIELD", "h")),
			func(ops []Op) { ops[1].Result = "c" }},
		{"HRANDFIELD count", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), arr([]string{"b", "a"}, "HRANDFIELD", "h", "5")),
			func(ops []Op) { ops[1].Items[1].Str = "b" }},
		{"HRANDFIELD negative count repeats", seq(rc(1, "HSET", "h", "a", "1"), arr([]string{"a", "1", "a", "1"}, "HRANDFIELD", "h", "-2", "WITHVALUES")),
			func(ops []Op) { ops[1].Items[3].Str = "2" }},
		{"HSCAN complete", seq(rc(2, "HSET", "h", "a", "1", "b", "2"), arr([]string{"0", "a", "1", "b", "2"}, "HSCAN", "h", "0", "COUNT", "100")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:3] }},
	})
}
