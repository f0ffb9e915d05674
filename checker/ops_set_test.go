package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// Each set command's model accepts a true history and rejects it with one
// reply corrupted.
func TestSetModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"SADD counts new members", seq(rc(2, "SADD", "s", "a", "b"), rc(1, "SADD", "s", "b", "c")),
			func(ops []Op) { ops[1].Int = 2 }},
		{"SREM deletes the key with its last member", seq(rc(1, "SADD", "s", "a"), rc(1, "SREM", "s", "a", "z"), Op{Kind: OpExists, Key: "s", Int: 0}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"SISMEMBER", seq(rc(1, "SADD", "s", "a"), rc(1, "SISMEMBER", "s", "a"), rc(0, "SISMEMBER", "s", "b")),
			func(ops []Op) { ops[2].Int = 1 }},
		{"SMISMEMBER", seq(rc(1, "SADD", "s", "a"), arr([]string{"0", "1"}, "SMISMEMBER", "s", "b", "a")),
			func(ops []Op) { ops[1].Items[0].Str = "1" }},
		{"SCARD", seq(rc(2, "SADD", "s", "a", "b"), rc(2, "SCARD", "s")),
			func(ops []Op) { ops[1].Int = 3 }},
		{"SMEMBERS", seq(rc(2, "SADD", "s", "a", "b"), arr([]string{"b", "a"}, "SMEMBERS", "s")),
			func(ops []Op) { ops[1].Items[0].Str = "c" }},
		{"SPOP takes the member it names", seq(rc(2, "SADD", "s", "a", "b"), bulk("a", true, "SPOP", "s"), arr([]string{"b"}, "SMEMBERS", "s")),
			func(ops []Op) { ops[2].Items[0].Str = "a" }},
		{"SPOP of a member not there", seq(rc(2, "SADD", "s", "a", "b"), bulk("a", true, "SPOP", "s")),
			func(ops []Op) { ops[1].Result = "c" }},
		{"SPOP count", seq(rc(3, "SADD", "s", "a", "b", "c"), arr([]string{"c", "a"}, "SPOP", "s", "2"), rc(1, "SCARD", "s")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:1] }},
		{"SRANDMEMBER", seq(rc(2, "SADD", "s", "a", "b"), arr([]string{"a", "a", "a"}, "SRANDMEMBER", "s", "-3")),
			func(ops []Op) { ops[1].Items[2].Str = "z" }},
		{"SRANDMEMBER count distinct", seq(rc(2, "SADD", "s", "a", "b"), arr([]string{"a", "b"}, "SRANDMEMBER", "s", "3")),
			func(ops []Op) { ops[1].Items[1].Str = "a" }},
		{"SSCAN complete", seq(rc(2, "SADD", "s", "a", "b"), arr([]string{"0", "b", "a"}, "SSCAN", "s", "0", "COUNT", "100")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:2] }},
		{"SMOVE", seq(rc(1, "SADD", "a", "x"), rc(1, "SMOVE", "a", "b", "x"), rc(1, "SISMEMBER", "b", "x"), rc(0, "SCARD", "a")),
			func(ops []Op) { ops[3].Int = 1 }},
		{"SMOVE of a member not there", seq(rc(1, "SADD", "a", "x"), rc(0, "SMOVE", "a", "b", "y")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"SMOVE onto a hash", seq(rc(1, "SADD", "a", "x"), rc(1, "HSET", "b", "f", "1"), wrongType(rc(0, "SMOVE", "a", "b", "x")), rc(1, "SCARD", "a")),
			func(ops []Op) { ops[2].Err, ops[2].Int = "", 1 }},
		{"SMOVE onto its own source changes nothing", seq(rc(1, "SADD", "a", "x"), rc(1, "SMOVE", "a", "a", "x"), rc(0, "SMOVE", "a", "a", "y"), rc(1, "SISMEMBER", "a", "x")),
			func(ops []Op) { ops[3].Int = 0 }},
		{"SMOVE onto its own source answers membership", seq(rc(1, "SADD", "a", "x"), rc(0, "SMOVE", "a", "a", "y")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"SPOP count close to the size", seq(rc(6, "SADD", "s", "a", "b", "c", "d", "e", "f"), arr([]string{"f", "a", "c", "e", "b"}, "SPOP", "s", "5"), arr([]string{"d"}, "SMEMBERS", "s")),
			func(ops []Op) { ops[2].Items[0].Str = "a" }},
		{"SDIFF of three", seq(rc(4, "SADD", "a", "w", "x", "y", "z"), rc(1, "SADD", "b", "y"), rc(1, "SADD", "c", "z"), arr([]string{"x", "w"}, "SDIFF", "a", "b", "c")),
			func(ops []Op) { ops[3].Items = append(ops[3].Items, Item{Str: "z"}) }},
		{"SDIFF of a set less itself", seq(rc(2, "SADD", "a", "x", "y"), arr(nil, "SDIFF", "a", "a"), rc(2, "SCARD", "a")),
			func(ops []Op) { ops[1].Items = []Item{{Str: "x"}} }},
		{"SINTER", seq(rc(2, "SADD", "a", "x", "y"), rc(2, "SADD", "b", "y", "z"), arr([]string{"y"}, "SINTER", "a", "b")),
			func(ops []Op) { ops[2].Items[0].Str = "x" }},
		{"SUNION", seq(rc(2, "SADD", "a", "x", "y"), rc(1, "SADD", "b", "z"), arr([]string{"z", "x", "y"}, "SUNION", "a", "b")),
			func(ops []Op) { ops[2].Items = ops[2].Items[:2] }},
		{"SDIFF", seq(rc(2, "SADD", "a", "x", "y"), rc(1, "SADD", "b", "y"), arr([]string{"x"}, "SDIFF", "a", "b")),
			func(ops []Op) { ops[2].Items = append(ops[2].Items, Item{Str: "y"}) }},
		{"SINTERCARD", seq(rc(2, "SADD", "a", "x", "y"), rc(1, "SADD", "b", "y"), rc(1, "SINTERCARD", "2", "a", "b")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"SINTERCARD LIMIT", seq(rc(2, "SADD", "a", "x", "y"), rc(2, "SADD", "b", "x", "y"), rc(1, "SINTERCARD", "2", "a", "b", "LIMIT", "1")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"SUNIONSTORE counts at least each source", seq(rc(2, "SADD", "a", "x", "y"), rc(2, "SUNIONSTORE", "d", "a", "b")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"an empty STORE deletes its destination", seq(rc(1, "SADD", "d", "x"), rc(0, "SINTERSTORE", "d", "a", "b"), rc(0, "SCARD", "d")),
			func(ops []Op) { ops[2].Int = 1 }},
	})
}

// A STORE's destination holds some set of its count's size: the next
// full read pins it down.
func TestSetStoreDestinationIsLearned(t *testing.T) {
	ops := seq(rc(2, "SADD", "a", "x", "y"), rc(2, "SUNIONSTORE", "d", "a", "b"), arr([]string{"x", "y"}, "SMEMBERS", "d"), rc(1, "SISMEMBER", "d", "x"))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[3].Int = 0
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// A SPOP with no reply popped some member: any continuation that lost one
// is accepted.
func TestSpopUnknownOutcome(t *testing.T) {
	for _, left := range []string{"a", "b"} {
		ops := seq(rc(2, "SADD", "s", "a", "b"), bulk("", false, "SPOP", "s"), arr([]string{left}, "SMEMBERS", "s"))
		ops[1].Unknown = true
		assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, left)
	}
}
