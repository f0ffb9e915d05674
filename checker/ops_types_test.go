package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rc is a registry command op with an integer reply.
func rc(n int64, args ...string) Op {
	op := Op{Kind: OpCmd, Args: args, Int: n}
	if ks := CmdKeys(args); len(ks) > 0 {
		op.Key = args[ks[0]]
	}
	return op
}

// bulk is a registry command op with a bulk reply (nil when !exists).
func bulk(val string, exists bool, args ...string) Op {
	op := rc(0, args...)
	op.Result, op.Exists = val, exists
	return op
}

// arr is a registry command op with an array reply.
func arr(items []string, args ...string) Op {
	op := rc(0, args...)
	for _, s := range items {
		op.Items = append(op.Items, Item{Str: s})
	}
	return op
}

func wrongType(op Op) Op {
	op.Err = "WRONGTYPE Operation against a key holding the wrong kind of value"
	return op
}

// typedCase is a true history and a corruption of one reply that the
// model must reject.
type typedCase struct {
	name    string
	ok      []Op
	corrupt func(ops []Op)
}

func runTypedCases(t *testing.T, cases []typedCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, porcupine.Ok, CheckLinearizable(c.ok, time.Second).Result, "the true history")
			bad := make([]Op, len(c.ok))
			copy(bad, c.ok)
			for i := range bad {
				bad[i].Items = append([]Item(nil), c.ok[i].Items...)
			}
			c.corrupt(bad)
			assert.Equal(t, porcupine.Illegal, CheckLinearizable(bad, time.Second).Result, "the corrupted history")
		})
	}
}

// Commands of one type on a key of another answer WRONGTYPE and change
// nothing; SET overwrites any type; DEL and PEXPIRE work on any.
func TestWrongTypeModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"GET of a hash", seq(rc(1, "HSET", "k", "f", "1"), wrongType(getOp("k", "", false))),
			func(ops []Op) { ops[1].Err = "" }},
		{"a hash command on a string", seq(setOp("k", "a"), wrongType(rc(0, "HSET", "k", "f", "1")), getOp("k", "a", true)),
			func(ops []Op) { ops[1].Err, ops[1].Int = "", 1 }},
		{"WRONGTYPE on a string command of a string", seq(rc(1, "SADD", "k", "x"), wrongType(Op{Kind: OpAppend, Key: "k", Value: "b"})),
			func(ops []Op) { ops[0].Kind, ops[0].Args, ops[0].Value = OpSet, nil, "a" }},
		{"WRONGTYPE where there is no key", seq(rc(1, "SADD", "k", "x"), rc(1, "SCARD", "k")),
			func(ops []Op) { ops[1].Err = wrongType(ops[1]).Err }},
		{"SET overwrites a set", seq(rc(1, "SADD", "k", "x"), setOp("k", "v"), getOp("k", "v", true), wrongType(rc(0, "SCARD", "k"))),
			func(ops []Op) { ops[3].Err, ops[3].Int = "", 1 }},
		{"DEL of a hash", seq(rc(1, "HSET", "k", "f", "1"), Op{Kind: OpDel, Key: "k", Int: 1}, rc(0, "HLEN", "k")),
			func(ops []Op) { ops[2].Int = 1 }},
		{"MGET of a set is nil", seq(rc(1, "SADD", "a", "x"),
			Op{Kind: OpMGet, Key: "a", Key2: "b", Sub: []Op{{Exists: false}, {Exists: false}}}),
			func(ops []Op) { ops[1].Sub[0] = Op{Exists: true, Result: "x"} }},
		{"TYPE", seq(rc(1, "SADD", "k", "x"), Op{Kind: OpRead, Mode: "TYPE", Key: "k", Args: []string{"TYPE", "k"}, Reply: "set"},
			Op{Kind: OpDel, Key: "k", Int: 1}, Op{Kind: OpRead, Mode: "TYPE", Key: "k", Args: []string{"TYPE", "k"}, Reply: "none"}),
			func(ops []Op) { ops[1].Reply = "hash" }},
		{"a refusal on a key of another type", seq(setOp("k", "a"),
			Op{Kind: OpCmd, Key: "k", Args: []string{"SADD", "k", "x"}, Err: "READONLY You can't write against a read only replica."}, getOp("k", "a", true)),
			func(ops []Op) { ops[2].Result = "x" }},
	})
}

// A set with a TTL may have expired under a later command: both
// continuations are accepted, and a key surely alive keeps its type.
func TestTypedExpiry(t *testing.T) {
	ops := seq(rc(1, "SADD", "k", "x"), Op{Kind: OpExpire, Key: "k", TTL: 1, Int: 1}, rc(1, "SADD", "k", "y"), arr([]string{"y"}, "SMEMBERS", "k"))
	ops[2].Call, ops[2].Return, ops[3].Call, ops[3].Return = 5_000_000, 5_500_000, 6_000_000, 6_500_000
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, "expired before SADD: a fresh set")
	ops[3] = arr([]string{"x", "y"}, "SMEMBERS", "k")
	ops[3].Call, ops[3].Return = 6_000_000, 6_500_000
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result, "x expired with its key")
	ops = seq(rc(1, "SADD", "k", "x"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, wrongType(getOp("k", "", false)))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[2].Err = ""
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result, "alive: GET must answer WRONGTYPE")
}

// In a later epoch a key's value is unknown: a hash read reveals it
// whole, after which it is judged exactly.
func TestTypedUnknownStateIsLearned(t *testing.T) {
	ops := seq(arr([]string{"f", "1"}, "HGETALL", "k"), bulk("1", true, "HGET", "k", "f"))
	for i := range ops {
		ops[i].Epoch = 1
	}
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[1].Result = "2"
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// The registry names its commands' keys; CheckCmd refuses a wrong arity.
func TestCommandRegistry(t *testing.T) {
	assert.Equal(t, []int{1, 2}, CmdKeys([]string{"SMOVE", "a", "b", "m"}))
	assert.Equal(t, []int{2, 3}, CmdKeys([]string{"SINTERCARD", "2", "a", "b", "LIMIT", "1"}))
	assert.Equal(t, []int{1, 2, 3}, CmdKeys([]string{"SUNIONSTORE", "d", "a", "b"}))
	assert.Nil(t, CmdKeys([]string{"GET", "a"}))
	require.NoError(t, CheckCmd([]string{"HSET", "k", "f", "v"}))
	assert.Error(t, CheckCmd([]string{"HGET", "k"}))
	assert.Error(t, CheckCmd([]string{"HSETNX", "k", "f", "v", "x"}))
	assert.True(t, (&Op{Kind: OpCmd, Args: []string{"SADD", "k", "x"}}).Writes())
	assert.False(t, (&Op{Kind: OpCmd, Args: []string{"SCARD", "k"}}).Writes())
	// A command of bad arity is not judged, and never panics.
	ops := seq(Op{Kind: OpCmd, Key: "k", Args: []string{"HINCRBY", "k"}, Unknown: true})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
}

func TestDescribeValue(t *testing.T) {
	assert.Equal(t, `{"a":"1" "b":"2"}`, describeValue(tap.TypeHash, tap.EncodeHash([][2]string{{"b", "2"}, {"a", "1"}})))
	assert.Equal(t, `{"x" "y"}`, describeValue(tap.TypeSet, tap.EncodeSet([]string{"y", "x"})))
}
