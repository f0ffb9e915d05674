package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The string commands of the registry and the string edges of the
// workload's strings family: each true history is accepted, the same
// history with one reply corrupted rejected.
func TestStringCommandsModel(t *testing.T) {
	const s = 1_000_000_000 // ns
	cases := []struct {
		name    string
		ok      []Op
		corrupt func(ops []Op)
	}{
		{"GETEX", seq(setOp("k", "a"), bulk("a", true, "GETEX", "k"), getOp("k", "a", true)),
			func(ops []Op) { ops[1].Result = "b" }},
		{"GETEX of no key", seq(bulk("", false, "GETEX", "k", "EX", "5"), getOp("k", "", false)),
			func(ops []Op) { ops[0].Exists, ops[0].Result = true, "" }},
		{"GETEX PX sets a TTL", seq(setOp("k", "a"), bulk("a", true, "GETEX", "k", "PX", "100000"),
			Op{Kind: OpPTTL, Key: "k", Int: 99_999}),
			func(ops []Op) { ops[2].Int = -1 }},
		{"GETEX EX: the key expires", late(seq(setOp("k", "a"), bulk("a", true, "GETEX", "k", "EX", "1"),
			Op{Kind: OpGet, Key: "k"}), 2, 3*s),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "a" }},
		{"GETEX PERSIST removes the TTL", late(seq(Op{Kind: OpSet, Key: "k", Value: "a", TTL: 1000},
			bulk("a", true, "GETEX", "k", "PERSIST"),
			getOp("k", "a", true)), 2, 3*s),
			func(ops []Op) { ops[1].Args = []string{"GETEX", "k"} }},
		{"GETEX EXAT past deletes", seq(setOp("k", "a"), bulk("a", true, "GETEX", "k", "EXAT", "1000"), getOp("k", "", false)),
			func(ops []Op) { ops[2].Exists, ops[2].Result = true, "a" }},
		{"GETEX PXAT past deletes", seq(setOp("k", "a"), bulk("a", true, "GETEX", "k", "PXAT", "77"),
			Op{Kind: OpExists, Key: "k", Int: 0}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"GETEX with a bad option", seq(setOp("k", "a"), withErr(rc(0, "GETEX", "k", "EX", "5", "PX", "5"), "ERR syntax error")),
			func(ops []Op) { ops[1].Err = "ERR value is not an integer or out of range" }},
		{"GETEX with a bad expire on a key", seq(setOp("k", "a"), withErr(rc(0, "GETEX", "k", "EX", "0"), errGetexExpire)),
			func(ops []Op) { ops[1].Err = errArgNotInt }},
		{"GETEX with a bad expire on no key", seq(bulk("", false, "GETEX", "k", "PX", "-5"), getOp("k", "", false)),
			func(ops []Op) { ops[0].Err = errGetexExpire }},
		{"GETEX with a bad number", seq(setOp("k", "a"), withErr(rc(0, "GETEX", "k", "EXAT", "x"), errArgNotInt)),
			func(ops []Op) { ops[1].Err, ops[1].Exists, ops[1].Result = "", true, "a" }},
		{"GETEX options repeat", seq(setOp("k", "a"), bulk("a", true, "GETEX", "k", "PX", "1", "PX", "100000"),
			Op{Kind: OpPTTL, Key: "k", Int: 99_999}),
			func(ops []Op) { ops[1].Args[4] = "EX" }},
		{"MSETNX with a key but no value", seq(withErr(rc(0, "MSETNX", "a", "1", "b"), "ERR wrong number of arguments for 'msetnx' command")),
			func(ops []Op) { ops[0].Err = "ERR syntax error" }},
		{"MSETNX sets every key", seq(rc(1, "MSETNX", "a", "1", "b", "2"), getOp("a", "1", true), getOp("b", "2", true)),
			func(ops []Op) { ops[2].Result = "3" }},
		{"MSETNX over an existing key", seq(setOp("b", "x"), rc(0, "MSETNX", "a", "1", "b", "2"), getOp("a", "", false)),
			func(ops []Op) { ops[1].Int = 1 }},
		{"MSETNX of one missing key", seq(rc(1, "MSETNX", "a", "1"), getOp("a", "1", true)),
			func(ops []Op) { ops[0].Int = 0 }},
		{"SETRANGE of nothing makes no key", seq(Op{Kind: OpSetRange, Key: "k", By: 5, Value: "", Int: 0}, Op{Kind: OpExists, Key: "k", Int: 0}),
			func(ops []Op) { ops[0].Int = 5 }},
		{"SETRANGE of nothing answers the length", seq(setOp("k", "abc"), Op{Kind: OpSetRange, Key: "k", By: 9, Value: "", Int: 3}, getOp("k", "abc", true)),
			func(ops []Op) { ops[1].Int = 10 }},
		{"SETRANGE past proto-max-bulk-len", seq(setOp("k", "abc"),
			Op{Kind: OpSetRange, Key: "k", By: 512 << 20, Value: "Z", Err: errStringTooLong}, getOp("k", "abc", true)),
			func(ops []Op) { ops[1].Err, ops[1].Int = "", 512<<20+1 }},
		{"SETRANGE within proto-max-bulk-len", seq(setOp("k", "abc"), Op{Kind: OpSetRange, Key: "k", By: 1, Value: "Z", Int: 3}),
			func(ops []Op) { ops[1].Err, ops[1].Int = errStringTooLong, 0 }},
		{"INCRBY overflow", seq(setOp("k", "10"), Op{Kind: OpIncrBy, Key: "k", By: 1<<63 - 5, Err: errIncrOverflow}, getOp("k", "10", true)),
			func(ops []Op) { ops[0].Value = "-10" }},
		{"INCR overflow", seq(setOp("k", "9223372036854775807"), Op{Kind: OpIncr, Key: "k", Err: errIncrOverflow}),
			func(ops []Op) { ops[0].Value = "9223372036854775806" }},
		{"RENAME of a key onto itself", seq(setOp("k", "a"), Op{Kind: OpRename, Key: "k", Key2: "k"}, getOp("k", "a", true)),
			func(ops []Op) { ops[0].Kind, ops[0].Value = OpDel, "" }},
		{"RENAMENX of a key onto itself", seq(setOp("k", "a"), Op{Kind: OpRename, Mode: "NX", Key: "k", Key2: "k", Int: 0}, getOp("k", "a", true)),
			func(ops []Op) { ops[1].Int = 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, porcupine.Ok, CheckLinearizable(c.ok, time.Second).Result, "the true history")
			bad := append([]Op(nil), c.ok...)
			for i := range bad {
				bad[i].Args = append([]string(nil), c.ok[i].Args...)
			}
			c.corrupt(bad)
			assert.Equal(t, porcupine.Illegal, CheckLinearizable(bad, time.Second).Result, "the corrupted history")
		})
	}
}

// A GETEX with no reply may have set the TTL or not: the key may be gone
// or there later.
func TestGetexUnknownOutcome(t *testing.T) {
	for _, there := range []bool{true, false} {
		ops := seq(setOp("k", "a"), rc(0, "GETEX", "k", "PXAT", "1"), getOp("k", "a", there))
		ops[1].Unknown = true
		assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, there)
	}
}

// An MSETNX with no reply, on keys one of which had a TTL that may have
// run out before it was delivered, may have set them all: the model must
// not keep only "unchanged" (seed 43977: a partition held the MSETNX until
// k1 had expired; then it set k1).
func TestMsetnxUnknownOverAKeyThatMayHaveExpired(t *testing.T) {
	ops := seq(setOp("k", "130"), rc(0, "MSETNX", "a", "754", "k", "653"), getOp("k", "653", true))
	ops[0].TTL = 1 // expires between 1 ms and 1.5 ms
	ops[1].Unknown = true
	ops = late(ops, 2, 5_000_000)
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)

	ops[0].TTL = 0
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result, "k never expires: MSETNX sets nothing")
}

// An empty SETRANGE and a GETEX without an option write nothing: the
// final dataset is explained by the write before them.
func TestStringReadsAreNoWrites(t *testing.T) {
	ops := seq(setOp("k", "a"), Op{Kind: OpSetRange, Key: "k", Value: "", Int: 1},
		bulk("a", true, "GETEX", "k"), bulk("a", true, "GETEX", "k", "PXAT", "1"))
	ws := writesByKey(ops, func(*Op) bool { return true })["k"]
	require.Len(t, ws, 2)
	assert.Equal(t, OpSet, ws[0].op.Kind)
	assert.False(t, ws[1].exists, "GETEX PXAT in the past deletes")
	assert.Equal(t, []string{"k"}, ttlGiven(&Op{Kind: OpCmd, Key: "k", Args: []string{"GETEX", "k", "EX", "1"}}))
}

// The stream replay: MSETNX sets its keys only if none exists (as a
// replica would), SETRANGE of nothing makes no key, and a GETEX as sent
// (Redis propagates PEXPIREAT, PERSIST or DEL) is a violation.
func TestReplayStringCommands(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SELECT", "0"))
	w.write("n1", "R", cmd("SET", "b", "x"))
	w.write("n1", "R", cmd("MSETNX", "a", "1", "b", "2"))
	w.write("n1", "R", cmd("MSETNX", "c", "3"))
	c := w.write("n1", "R", cmd("SETRANGE", "e", "4", ""))
	snap := []tap.KeyValue{{Key: "b", Value: "x"}, {Key: "c", Value: "3"}}
	tap.SortKeyValues(snap)
	w.fullSync("n3", "n1", "R", c.End(), snap, snap)
	assert.Empty(t, CheckPrefix(w.in).Violations)

	w = newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SET", "k", "a"))
	w.write("n1", "R", cmd("GETEX", "k", "EX", "5"))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "master n1 propagated GETEX")
}

func withErr(op Op, err string) Op {
	op.Err = err
	return op
}

// late moves ops[i] to time t (ns).
func late(ops []Op, i int, t int64) []Op {
	ops[i].Call, ops[i].Return = t, t+500_000
	return ops
}
