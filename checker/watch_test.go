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

// A nil EXEC needs a cause: a write, flush or eviction of a watched key
// on its node while it ran, a TTL that may end meanwhile, or a change of
// master.
func TestWatchAbortNeedsACause(t *testing.T) {
	const ms = int64(1e6)
	nilCAS := cas(1, TxWatch, "1", "2", false, 100*ms, 200*ms)
	check := func(others ...Op) []Violation {
		return CheckWatchAborts(append([]Op{set(0, "k", "1", 0*ms, 10*ms), nilCAS}, others...), Lifetimes{}, 0)
	}
	vs := check()
	assert.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "nothing touched its watched keys")
	assert.Len(t, check(set(0, "other", "1", 150*ms, 160*ms)), 1, "another key")
	assert.Len(t, check(set(0, "k", "1", 20*ms, 90*ms)), 1, "a write answered before WATCH")
	assert.Len(t, check(Op{Client: 0, Node: "n1", Kind: OpIncr, Key: "k", Err: "ERR value is not an integer or out of range", Call: 150 * ms, Return: 160 * ms}), 1, "a refused write")
	assert.Len(t, check(setPX(0, "k", "1", 1, 20*ms, 30*ms)), 1, "a TTL that ended before WATCH")
	assert.Empty(t, check(set(0, "k", "1", 150*ms, 160*ms)))
	assert.Empty(t, check(Op{Client: 0, Node: "n1", Kind: OpIncr, Key: "k", Call: 50 * ms, Unknown: true}), "a write with no reply")
	assert.Empty(t, check(NewEviction("n1", 0, 0, "k", "allkeys-lru", 150*ms)))
	assert.Empty(t, check(Op{Client: 0, Node: "n1", Kind: OpFlush, Mode: "ALL", Call: 150 * ms, Return: 160 * ms}))
	assert.Empty(t, check(setPX(0, "k", "1", 200, 20*ms, 30*ms)), "a TTL that may end meanwhile")
	other := setPX(0, "k", "1", 1, 20*ms, 30*ms)
	other.Node = "n2"
	assert.Empty(t, check(other), "a TTL set on another node's clock")
	assert.Len(t, CheckWatchAborts([]Op{nilCAS}, Lifetimes{EpochStarts: map[int]int64{1: 50 * ms}}, 0), 1)
	assert.Empty(t, CheckWatchAborts([]Op{nilCAS}, Lifetimes{EpochStarts: map[int]int64{1: 150 * ms}}, 0), "a change of master")
	ran := cas(1, TxWatch, "1", "2", true, 100*ms, 200*ms)
	assert.Empty(t, CheckWatchAborts([]Op{ran}, Lifetimes{}, 0))
}
