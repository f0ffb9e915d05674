package checker

import (
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// seq makes ops sequential, one client, 1 ms apart and 0.5 ms long.
func seq(ops ...Op) []Op {
	for i := range ops {
		ops[i].ID, ops[i].Node = i, "n1"
		ops[i].Call = int64(i) * 1_000_000
		ops[i].Return = ops[i].Call + 500_000
		if ops[i].Args == nil && ops[i].Kind > OpMulti {
			ops[i].Args = []string{ops[i].Kind.String(), ops[i].Key}
		}
	}
	return ops
}

func setOp(key, val string) Op { return Op{Kind: OpSet, Key: key, Value: val} }
func getOp(key, val string, exists bool) Op {
	return Op{Kind: OpGet, Key: key, Result: val, Exists: exists}
}

// Each case is a history that must be accepted, and the same history with
// one reply corrupted, which must be rejected: the model of every command
// family can fail.
func TestStringFamiliesModel(t *testing.T) {
	cases := []struct {
		name    string
		ok      []Op
		corrupt func(ops []Op)
		illegal bool
	}{
		{"APPEND", seq(setOp("k", "ab"), Op{Kind: OpAppend, Key: "k", Value: "c", Int: 3}, getOp("k", "abc", true)),
			func(ops []Op) { ops[1].Int = 2 }, true},
		{"APPEND value", seq(setOp("k", "ab"), Op{Kind: OpAppend, Key: "k", Value: "c", Int: 3}, getOp("k", "abc", true)),
			func(ops []Op) { ops[2].Result = "cab" }, true},
		{"SETRANGE", seq(setOp("k", "ab"), Op{Kind: OpSetRange, Key: "k", By: 3, Value: "Z", Int: 4}, getOp("k", "ab\x00Z", true)),
			func(ops []Op) { ops[2].Result = "abZ" }, true},
		{"GETRANGE", seq(setOp("k", "hello"), Op{Kind: OpGetRange, Key: "k", By: -3, Int2: -1, Result: "llo"}),
			func(ops []Op) { ops[1].Result = "ll" }, true},
		{"GETRANGE negative start after end", seq(setOp("k", "1"), Op{Kind: OpGetRange, Key: "k", By: -1, Int2: -2, Result: ""}),
			func(ops []Op) { ops[1].Result = "1" }, true},
		{"STRLEN", seq(setOp("k", "abc"), Op{Kind: OpStrlen, Key: "k", Int: 3}),
			func(ops []Op) { ops[1].Int = 0 }, true},
		{"STRLEN of an empty string", seq(setOp("k", ""), Op{Kind: OpStrlen, Key: "k", Int: 0}, getOp("k", "", true)),
			func(ops []Op) { ops[1].Int = 1 }, true},
		{"SETNX", seq(setOp("k", "a"), Op{Kind: OpSetNX, Key: "k", Value: "b", Int: 0}, getOp("k", "a", true)),
			func(ops []Op) { ops[1].Int = 1 }, true},
		{"SET XX", seq(Op{Kind: OpSetXX, Key: "k", Value: "b", Int: 0}, getOp("k", "", false)),
			func(ops []Op) { ops[0].Int = 1 }, true},
		{"GETSET", seq(setOp("k", "a"), Op{Kind: OpSetGet, Key: "k", Value: "b", Result: "a", Exists: true}, getOp("k", "b", true)),
			func(ops []Op) { ops[1].Result = "b" }, true},
		{"GETDEL", seq(setOp("k", "a"), Op{Kind: OpGetDel, Key: "k", Result: "a", Exists: true}, getOp("k", "", false)),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "a" }, true},
		{"INCRBY", seq(setOp("k", "5"), Op{Kind: OpIncrBy, Key: "k", By: -7, Int: -2}),
			func(ops []Op) { ops[1].Int = 12 }, true},
		{"PEXPIRE then PTTL", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, Op{Kind: OpPTTL, Key: "k", Int: 99_999}),
			func(ops []Op) { ops[2].Int = -1 }, true},
		{"PEXPIRE NX on a key with a TTL", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, Op{Kind: OpExpire, Key: "k", TTL: 100_000, Mode: "NX", Int: 0}),
			func(ops []Op) { ops[2].Int = 1 }, true},
		{"PEXPIRE GT on a key with no TTL", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Mode: "GT", Int: 0}),
			func(ops []Op) { ops[1].Int = 1 }, true},
		{"PEXPIRE 0 deletes", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 0, Int: 1}, getOp("k", "", false)),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "a" }, true},
		{"PERSIST", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, Op{Kind: OpPersist, Key: "k", Int: 1}, Op{Kind: OpPTTL, Key: "k", Int: -1}),
			func(ops []Op) { ops[3].Int = 5000 }, true},
		{"TTL of a key with a TTL", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 700, Int: 1}, Op{Kind: OpRead, Mode: "TTL", Key: "k", Int: 1}),
			func(ops []Op) { ops[2].Int = -1 }, true},
		{"PTTL is the time left", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, Op{Kind: OpPTTL, Key: "k", Int: 99_999}),
			func(ops []Op) { ops[2].Int = 98_000 }, true},
		{"TTL rounds the time left half up", seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 1600, Int: 1}, Op{Kind: OpRead, Mode: "TTL", Key: "k", Int: 2}),
			func(ops []Op) { ops[2].Int = 1 }, true},
		{"TTL of a missing key", seq(setOp("k", "a"), Op{Kind: OpDel, Key: "k", Int: 1}, Op{Kind: OpRead, Mode: "TTL", Key: "k", Int: -2}),
			func(ops []Op) { ops[2].Int = 0 }, true},
		{"EXISTS", seq(setOp("k", "a"), Op{Kind: OpExists, Key: "k", Int: 1}),
			func(ops []Op) { ops[1].Int = 0 }, true},
		{"MSET then MGET", seq(Op{Kind: OpMSet, Key: "a", Value: "1", Key2: "b", Value2: "2"},
			Op{Kind: OpMGet, Key: "a", Key2: "b", Sub: []Op{{Exists: true, Result: "1"}, {Exists: true, Result: "2"}}}),
			func(ops []Op) { ops[1].Sub[1].Result = "1" }, true},
		{"RENAME moves the value", seq(setOp("a", "1"), Op{Kind: OpRename, Key: "a", Key2: "b"}, getOp("a", "", false), getOp("b", "1", true)),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "1" }, true},
		{"RENAME of a missing key", seq(Op{Kind: OpRename, Key: "a", Key2: "b", Err: "ERR no such key"}),
			func(ops []Op) { ops[0].Err = "" }, true},
		{"RENAMENX onto an existing key", seq(setOp("a", "1"), setOp("b", "2"), Op{Kind: OpRename, Mode: "NX", Key: "a", Key2: "b", Int: 0}, getOp("a", "1", true)),
			func(ops []Op) { ops[2].Int = 1 }, true},
		{"FLUSHDB", seq(setOp("a", "1"), Op{Kind: OpFlush}, getOp("a", "", false)),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "1" }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, porcupine.Ok, CheckLinearizable(c.ok, time.Second).Result, "the true history")
			bad := make([]Op, len(c.ok))
			copy(bad, c.ok)
			for i := range bad {
				bad[i].Sub = append([]Op(nil), c.ok[i].Sub...)
			}
			c.corrupt(bad)
			assert.Equal(t, porcupine.Illegal, CheckLinearizable(bad, time.Second).Result, "the corrupted history")
		})
	}
}

// A write with no reply may or may not have happened: both continuations
// are accepted.
func TestStringFamiliesUnknownOutcomes(t *testing.T) {
	for _, got := range []string{"ab", "abc"} {
		ops := seq(setOp("k", "ab"), Op{Kind: OpAppend, Key: "k", Value: "c"}, getOp("k", got, true))
		ops[1].Unknown = true
		assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, got)
	}
}

// PEXPIRE GT/LT compare expiry times on the node's clock: a clock that
// jumped back between two PEXPIRE LT can let the second set a later
// expiry (chaos seed 13117). Within the clock slack both answers are
// accepted; with exact clocks only Redis's.
func TestExpireLTComparesOnTheNodeClock(t *testing.T) {
	ops := seq(setOp("k", "a"),
		Op{Kind: OpExpire, Key: "k", TTL: 500, Mode: "LT", Int: 1},
		Op{Kind: OpExpire, Key: "k", TTL: 900, Mode: "LT", Int: 1})
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, LinOptions{Timeout: time.Second}).Result)
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(ops, LinOptions{Timeout: time.Second, ClockSlack: 2 * time.Second}).Result)
}

// APPEND to a key that may have expired gives the same value either way
// when the old value was empty, but only the fresh key lost the TTL: a
// later PEXPIRE NX may succeed (chaos seed 1607).
func TestAppendAcrossExpiryMayDropTheTTL(t *testing.T) {
	ops := seq(Op{Kind: OpSet, Key: "k", Value: "", TTL: 1},
		Op{Kind: OpAppend, Key: "k", Value: "xyz", Int: 3},
		Op{Kind: OpExpire, Key: "k", TTL: 100_000, Mode: "NX", Int: 1})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[0].TTL = 0 // no TTL at all: NX must succeed, and does
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[0].TTL, ops[1].Call, ops[1].Return = 100_000, 1_000_000, 1_500_000 // surely alive: the TTL stays
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// PEXPIREAT GT/LT compare two absolute times as numbers, with no clock in
// between: at the same instant LT and GT both refuse, whatever the clock
// slack; a relative TTL is always earlier than an instant past 2100.
func TestExpireAtComparesAbsoluteTimesExactly(t *testing.T) {
	const at = 2_335_219_200_000 // 2100-01-01, ms from virtual zero
	abs := func(ttl int64, mode string, n int64) Op {
		args := []string{"PEXPIREAT", "k", "2335219200000"}
		if mode != "" {
			args = append(args, mode)
		}
		return Op{Kind: OpExpire, Key: "k", TTL: ttl, Mode: mode, Int: n, Args: args}
	}
	slack := LinOptions{Timeout: time.Second, ClockSlack: 2 * time.Second}
	for _, mode := range []string{"LT", "GT"} {
		ops := seq(setOp("k", "a"), abs(at, "", 1), abs(at, mode, 0), Op{Kind: OpPTTL, Key: "k", Int: at - 2})
		assert.Equal(t, porcupine.Ok, CheckLinearizableWith(ops, slack).Result, mode)
		ops[2].Int = 1
		assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, slack).Result, mode+" at the same instant")
	}
	later := seq(setOp("k", "a"), abs(at, "", 1), abs(at+1000, "GT", 1), abs(at, "LT", 1))
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(later, slack).Result)
	later[2].Int = 0
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(later, slack).Result, "GT to a later instant refused")
	rel := seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: 1}, abs(at, "LT", 0), abs(at, "GT", 1))
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(rel, slack).Result)
	rel[2].Int = 1
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(rel, slack).Result, "LT past a relative TTL")
}

// The time left before an absolute expiry is read on the node's clock,
// whose constant offset from virtual time the clock slack leaves out:
// ClockOffset widens it (chaos seed 121: a clock 1.5 s behind).
func TestExpireAtTimeLeftAllowsTheClockOffset(t *testing.T) {
	const at = 2_335_219_200_000
	ops := seq(setOp("k", "a"), Op{Kind: OpExpire, Key: "k", TTL: at, Int: 1, Args: []string{"PEXPIREAT", "k", "2335219200000"}},
		Op{Kind: OpPTTL, Key: "k", Int: at + 1500})
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ops, LinOptions{Timeout: time.Second}).Result)
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(ops, LinOptions{Timeout: time.Second, ClockOffset: 2 * time.Second}).Result)
}

// An EXPIRE-family error must be the one Redis gives for the arguments:
// a single LT refused as "GT and LT" is a node refusing a command Redis
// runs; GT and LT together must be refused, with that error.
func TestExpireErrorsAreTheArguments(t *testing.T) {
	exp := func(args []string, n int64, err string) Op {
		return Op{Kind: OpExpire, Key: "k", TTL: 100_000, Int: n, Err: err, Args: args}
	}
	const both = "ERR GT and LT options at the same time are not compatible"
	ok := seq(setOp("k", "a"), exp([]string{"PEXPIRE", "k", "100000", "GT", "LT"}, 0, both))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ok, time.Second).Result)
	bad := seq(setOp("k", "a"), exp([]string{"PEXPIRE", "k", "100000", "LT"}, 0, both))
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(bad, time.Second).Result, "LT alone refused")
	ran := seq(setOp("k", "a"), exp([]string{"PEXPIRE", "k", "100000", "GT", "LT"}, 1, ""))
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ran, time.Second).Result, "GT and LT together run")
	env := seq(setOp("k", "a"), exp([]string{"PEXPIRE", "k", "100000", "LT"}, 0, "READONLY You can't write against a read only replica."))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(env, time.Second).Result, "a refusal of the node's state")
	for words, want := range map[string]string{
		"EXPIRE k 1 NX XX":                "ERR NX and XX, GT or LT options at the same time are not compatible",
		"EXPIRE k 1 FOO":                  "ERR Unsupported option FOO",
		"EXPIRE k x":                      errArgNotInt,
		"EXPIRE k 9223372036854776":       "ERR invalid expire time in 'expire' command",
		"PEXPIREAT k 9223372036854775807": "",
		"PEXPIRE k 9223372036854775807":   argsUnjudged,
		"expireat k -9223372036854775 XX": "",
		"pexpire k 100 lt":                "",
	} {
		assert.Equal(t, want, expireArgErr(strings.Fields(words)), words)
	}
}

// A command that takes any key of any type and no argument Redis refuses
// (DEL, PERSIST, PTTL, EXISTS, MSET, MGET) fails only for the node's
// state (GET, STRLEN and GETDEL also for a key of another type, which
// the type model judges).
func TestTypeFreeCommandsFailOnlyForTheNodesState(t *testing.T) {
	const odd = "ERR value is not an integer or out of range"
	for _, op := range []Op{
		{Kind: OpDel, Key: "k"}, {Kind: OpPersist, Key: "k"}, {Kind: OpPTTL, Key: "k"}, {Kind: OpExists, Key: "k"},
		{Kind: OpGet, Key: "k"}, {Kind: OpStrlen, Key: "k"},
	} {
		op.Err = odd
		assert.Equal(t, porcupine.Illegal, CheckLinearizable(seq(setOp("k", "a"), op), time.Second).Result, op.Kind.String())
		op.Err = "READONLY You can't write against a read only replica."
		assert.Equal(t, porcupine.Ok, CheckLinearizable(seq(setOp("k", "a"), op), time.Second).Result, op.Kind.String())
	}
}

// The other string kinds fail for the node's state or with the errors
// their forms may meet (typedErrors); anything else is a refusal Redis
// would not give.
func TestTypedKindsErrorsArePlausible(t *testing.T) {
	const odd = "ERR GT and LT options at the same time are not compatible"
	for _, op := range []Op{
		{Kind: OpSet, Key: "k", Value: "v"}, {Kind: OpIncr, Key: "k"}, {Kind: OpAppend, Key: "k", Value: "x"},
		{Kind: OpSetNX, Key: "k", Value: "v"}, {Kind: OpGetRange, Key: "k"}, {Kind: OpFlush, Mode: "ALL"},
	} {
		op.Err = odd
		assert.False(t, typedErrorPlausible(&op), op.Kind.String())
		op.Err = "MISCONF Errors writing to the AOF file: Input/output error"
		assert.True(t, typedErrorPlausible(&op), op.Kind.String())
	}
	set := Op{Kind: OpSet, Key: "k", Value: "v", Err: "ERR invalid expire time in 'set' command"}
	assert.True(t, typedErrorPlausible(&set))
	appendOp := Op{Kind: OpAppend, Key: "k", Value: "x", Err: errStringTooLong}
	assert.True(t, typedErrorPlausible(&appendOp))
	ops := seq(setOp("k", "a"), Op{Kind: OpAppend, Key: "k", Value: "x", Err: odd})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
	ops = seq(Op{Kind: OpSet, Key: "k", Value: "a", Err: odd})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result, "a core kind")
}
