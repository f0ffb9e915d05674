package checker

import (
	"math"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// INCR on a key with a short TTL, answered 1 after the TTL may have passed:
// it either kept the TTL or recreated the key without one, so a later GET
// of "1" is legal (seed 124361).
func TestIncrAcrossExpiryMayRecreateTheKey(t *testing.T) {
	ops := ids([]Op{
		{Client: 0, Node: "n1", Kind: OpSet, Key: "k", Value: "0", TTL: 133, Call: 0, Return: 1_000_000},
		{Client: 0, Node: "n1", Kind: OpIncr, Key: "k", Int: 1, Call: 2_000_000, Return: 1_000_000_000},
		get(0, "k", "1", true, 1_200_000_000, 1_300_000_000),
	})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	// Replied 1 well before the TTL ran out: the TTL stayed, the key is gone.
	ops[1].Return = 3_000_000
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// A DECR with no reply, sent to a key holding a string that is no integer
// while its TTL may be running out (the master's clock may lag virtual
// time by the slack): it failed on the string, or made "-1" of the expired
// key, so a later read of "-1" is legal (seed 2900661).
func TestUnknownDecrOnExpiringStringMayMakeAKey(t *testing.T) {
	const ms = int64(time.Millisecond)
	ops := ids([]Op{
		{Client: 0, Node: "n1", Kind: OpSet, Key: "k", Value: "v90", TTL: 155, Call: 0, Return: ms},
		{Client: 1, Node: "n1", Kind: OpIncrBy, By: -1, Mode: "DECR", Key: "k", Unknown: true, Call: 156*ms + 400_000, Return: math.MaxInt64},
		get(0, "k", "-1", true, 300*ms, 301*ms),
	})
	opts := LinOptions{Timeout: time.Second, ClockSlack: 10 * time.Millisecond}
	assert.Equal(t, porcupine.Ok, CheckLinearizableWith(ops, opts).Result)
	// Without the DECR nothing makes "-1".
	assert.Equal(t, porcupine.Illegal, CheckLinearizableWith(ids([]Op{ops[0], ops[2]}), opts).Result)
}
