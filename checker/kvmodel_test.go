package checker

import (
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
