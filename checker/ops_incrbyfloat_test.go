package checker

import "testing"

func expectIncrbyfloat(key, by, err string) Op {
	return Op{Kind: OpRead, Mode: "EXPECT", Key: key, Args: []string{"INCRBYFLOAT", key, by},
		Value: "ERR value is not a valid float", Err: err}
}

// INCRBYFLOAT sent with a bad increment (a fixed-reply command) answers
// WRONGTYPE only on a key that holds a collection, which the typed model
// judges; its float error changes nothing. A successful INCRBYFLOAT
// answers the new value.
func TestIncrbyfloatModel(t *testing.T) {
	wrong := "WRONGTYPE Operation against a key holding the wrong kind of value"
	runTypedCases(t, []typedCase{
		{"WRONGTYPE on a hash", seq(rc(1, "HSET", "k", "f", "1"), expectIncrbyfloat("k", "abc", wrong)),
			func(ops []Op) { ops[0] = setOp("k", "1") }},
		{"the float error leaves the value", seq(setOp("k", "1"), expectIncrbyfloat("k", "nan", "ERR value is not a valid float"), getOp("k", "1", true)),
			func(ops []Op) { ops[2].Result = "2" }},
		{"no reply, a bad increment: no effect", seq(setOp("k", "1"), Op{Kind: OpRead, Mode: "EXPECT", Key: "k", Args: []string{"INCRBYFLOAT", "k", "abc"}, Unknown: true}, getOp("k", "1", true)),
			func(ops []Op) { ops[2].Result = "1.5" }},
		{"the new value", seq(setOp("k", "1"), bulk("1.5", true, "INCRBYFLOAT", "k", "0.5"), getOp("k", "1.5", true)),
			func(ops []Op) { ops[1].Result = "2" }},
	})
}
