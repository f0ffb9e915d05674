package checker

import (
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// cas is client c's WATCH k; GET k -> read; MULTI; SET k val; EXEC over
// [call, ret], EXEC having run (ran) or answered nil.
func cas(c int, mode, read, val string, ran bool, call, ret int64) Op {
	op := Op{Client: c, Node: "n1", Kind: OpTx, Mode: mode, Args: []string{"WATCH", "k"}, Call: call, Return: ret,
		Sub: []Op{
			{Kind: OpGet, Key: "k", Args: []string{"GET", "k"}, Exists: read != "", Result: read},
			{Kind: OpSet, Key: "k", Value: val, Args: []string{"SET", "k", val}},
		}}
	if ran {
		op.Int = 1
	}
	return op
}

// Two CAS that both read 1 and both ran: one of them lost the other's
// update, which WATCH forbids. One may run and the other answer nil.
func TestWatchCASIsAtomic(t *testing.T) {
	lost := ids([]Op{
		set(0, "k", "1", 0, 10),
		cas(1, TxWatch, "1", "2", true, 20, 100),
		cas(2, TxWatch, "1", "2", true, 30, 110),
		get(0, "k", "2", true, 200, 210),
	})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(lost, testTimeout).Result)
	ok := ids([]Op{
		set(0, "k", "1", 0, 10),
		cas(1, TxWatch, "1", "2", true, 20, 100),
		cas(2, TxWatch, "1", "2", false, 30, 110),
		get(0, "k", "2", true, 200, 210),
	})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ok, testTimeout).Result)
	// A CAS that ran cannot follow a write it did not see.
	stale := ids([]Op{
		set(0, "k", "1", 0, 10),
		set(0, "k", "5", 20, 30),
		cas(1, TxWatch, "1", "2", true, 40, 100),
	})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(stale, testTimeout).Result)
	// After UNWATCH the GET is not tied to EXEC: the same history is fine.
	stale[2].Mode = TxUnwatch
	assert.Equal(t, porcupine.Ok, CheckLinearizable(stale, testTimeout).Result)
}

// A nil EXEC ran nothing, but its GET still read a value the key held.
func TestWatchAbortedStillJudgesTheRead(t *testing.T) {
	ops := ids([]Op{
		set(0, "k", "1", 0, 10),
		cas(1, TxWatch, "7", "8", false, 20, 100),
	})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, testTimeout).Result)
	ops[1] = cas(1, TxWatch, "1", "8", false, 20, 100)
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
	assert.False(t, ops[1].Writes(), "an aborted watch transaction wrote nothing")
	assert.Empty(t, keyWrites(&ops[1], nil))
	ops[1].Int = 1
	assert.True(t, ops[1].Writes())
	assert.Len(t, keyWrites(&ops[1], nil), 1)
}
