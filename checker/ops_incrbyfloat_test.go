package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

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
		// Beyond a double's range: Redis adds in long double (the reply
		// redis-server 7.0.15 gave).
		{"a value of 400 digits", seq(setOp("k", strings.Repeat("4", 400)), bulk(big400, true, "INCRBYFLOAT", "k", "1.5"), getOp("k", big400, true)),
			func(ops []Op) { ops[1].Result = strings.Repeat("4", 400) + "1" }},
		{"a value that underflows a double", seq(setOp("k", "1e-400"), bulk("1", true, "INCRBYFLOAT", "k", "1"), getOp("k", "1", true)),
			func(ops []Op) { ops[1].Result = "2" }},
	})
}

// big400 is redis-server 7.0.15's reply to INCRBYFLOAT k 1.5 with k
// holding 400 fours.
const big400 = "4444444444444444444357974825840900557279202550213089313337822106052088194043187320878098785992836448092578379943737214767627781844534095326136847310825268411160228500013824162903568826440475463253919995208676329275061040422332429125121028968282376465010033804150098690856416955012968114138678723733915205900820930963088157172441630074513386434353022030912253536356084573794394392675772371554361409536"

// TestIncrbyfloatBeyondLongDouble: a value beyond a long double's range
// (5000 nines) makes Redis refuse INCRBYFLOAT ("ERR value is not a valid
// float", as redis-server 7.0.15 answers): a success is not explained.
func TestIncrbyfloatBeyondLongDouble(t *testing.T) {
	v := Value{Exists: true, Val: strings.Repeat("9", 5000)}
	ok, _ := incrbyfloatStep(v, &Op{Args: []string{"INCRBYFLOAT", "k", "1.5"}, Result: "1.5", Exists: true})
	assert.False(t, ok)
	v.Val = strings.Repeat("9", 4000) // within range
	ok, _ = incrbyfloatStep(v, &Op{Args: []string{"INCRBYFLOAT", "k", "1.5"}, Result: strings.Repeat("9", 4000), Exists: true})
	assert.True(t, ok)
}
