package checker

import (
	"strconv"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

const testTimeout = 10 * time.Second

func set(c int, key, val string, call, ret int64) Op {
	return Op{Client: c, Node: "n1", Kind: OpSet, Key: key, Value: val, Call: call, Return: ret}
}

func get(c int, key, val string, exists bool, call, ret int64) Op {
	return Op{Client: c, Node: "n1", Kind: OpGet, Key: key, Result: val, Exists: exists, Call: call, Return: ret}
}

func ids(ops []Op) []Op {
	for i := range ops {
		ops[i].ID = i
	}
	return ops
}

func TestLinearizableLegal(t *testing.T) {
	ops := ids([]Op{
		set(0, "k1", "1", 0, 10),
		get(1, "k1", "1", true, 20, 30),
		{Client: 0, Node: "n1", Kind: OpIncr, Key: "k1", Int: 2, Call: 40, Return: 50},
		{Client: 1, Node: "n1", Kind: OpDel, Key: "k1", Int: 1, Call: 60, Return: 70},
		get(0, "k1", "", false, 80, 90),
	})
	res := CheckLinearizable(ops, testTimeout)
	assert.Equal(t, porcupine.Ok, res.Result)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Epochs)
}

// A stale read (an older value after a newer one was read) fails, naming
// the key and the operations that cannot follow.
func TestLinearizableStaleReadFails(t *testing.T) {
	ops := ids([]Op{
		set(0, "k1", "1", 0, 10),
		set(0, "k1", "2", 20, 30),
		get(1, "k1", "2", true, 40, 50),
		get(1, "k1", "1", true, 60, 70),
	})
	res := CheckLinearizable(ops, testTimeout)
	require.Equal(t, porcupine.Illegal, res.Result)
	require.Len(t, res.Violations, 1)
	v := res.Violations[0]
	assert.Equal(t, "linearizability", v.Check)
	assert.Regexp(t, `^key k1: no order of its 4 operations`, v.Detail)
	assert.Contains(t, v.Detail, `Cannot follow: client 1 on n1: GET k1 -> "1"`)
	assert.NotEmpty(t, res.Failed)
}

// An operation whose reply never came may have happened at any time after
// its call, but is never thrown away.
func TestLinearizableUnknownOutcomeIsOpenEnded(t *testing.T) {
	lost := set(0, "k1", "9", 0, 5)
	lost.Unknown = true
	ops := ids([]Op{lost, get(1, "k1", "", false, 10, 20), get(1, "k1", "9", true, 100, 110)})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
	// Dropping it would make the last read inexplicable.
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids(ops[1:]), testTimeout).Result)
}

// An error reply (READONLY, NOAUTH, ...) means the command had no effect.
func TestLinearizableErrorsHaveNoEffect(t *testing.T) {
	refused := set(0, "k1", "9", 0, 5)
	refused.Err = "READONLY You can't write against a read only replica."
	ok := ids([]Op{refused, get(1, "k1", "", false, 10, 20)})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ok, testTimeout).Result)
	bad := ids([]Op{refused, get(1, "k1", "9", true, 10, 20)})
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(bad, testTimeout).Result)
}

// Each master epoch is checked on its own and, after the first, starts
// from an unknown value the first read fixes.
func TestLinearizableEpochsStartUnknown(t *testing.T) {
	e1 := func(o Op) Op { o.Epoch, o.Node = 1, "n2"; return o }
	ops := ids([]Op{
		set(0, "k1", "1", 0, 10),
		// The write of epoch 0 was lost on failover: epoch 1 may see anything...
		e1(get(1, "k1", "7", true, 100, 110)),
		// ...but then must be consistent.
		e1(get(1, "k1", "7", true, 120, 130)),
	})
	res := CheckLinearizable(ops, testTimeout)
	assert.Equal(t, porcupine.Ok, res.Result)
	assert.Equal(t, 2, res.Epochs)

	ops = append(ops, e1(get(0, "k1", "1", true, 140, 150)))
	res = CheckLinearizable(ids(ops), testTimeout)
	require.Equal(t, porcupine.Illegal, res.Result)
	assert.Contains(t, res.Violations[0].Detail, "key k1 in master epoch 1 (master n2)")

	// Epoch 0 starts empty: a value nobody wrote is wrong.
	res = CheckLinearizable(ids([]Op{get(0, "k1", "7", true, 0, 10)}), testTimeout)
	assert.Equal(t, porcupine.Illegal, res.Result)
}

func TestLinearizableTTL(t *testing.T) {
	px := set(0, "k1", "1", 0, 10)
	px.TTL = 1 // ms
	ms := int64(time.Millisecond)
	// Expired well after: nil is right, the value is not.
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ids([]Op{px, get(1, "k1", "", false, 5*ms, 6*ms)}), testTimeout).Result)
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids([]Op{px, get(1, "k1", "1", true, 5*ms, 6*ms)}), testTimeout).Result)
	// Before its expiry window the key cannot be gone.
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids([]Op{px, get(1, "k1", "", false, 20, 30)}), testTimeout).Result)
	// With clocks that may be off by a second, both are possible.
	res := CheckLinearizableWith(ids([]Op{px, get(1, "k1", "1", true, 5*ms, 6*ms)}), LinOptions{Timeout: testTimeout, ClockSlack: time.Second})
	assert.Equal(t, porcupine.Ok, res.Result)
}

func TestLinearizableMultiAndWait(t *testing.T) {
	multi := Op{Client: 0, Node: "n1", Kind: OpMulti, Key: "k1", Value: "1", Key2: "k2", Value2: "2", Call: 0, Return: 10}
	wait := Op{Client: 0, Node: "n1", Kind: OpWait, Replicas: 1, Int: 1, Call: 11, Return: 12}
	ops := ids([]Op{multi, wait, get(1, "k1", "1", true, 20, 30), get(1, "k2", "2", true, 20, 30)})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
	ops[3].Result = "3"
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, testTimeout).Result)
	assert.Equal(t, `MULTI; SET k1 "1"; SET k2 "2"; EXEC -> OK`, multi.Describe())
	assert.Equal(t, `WAIT 1 -> (integer) 1`, wait.Describe())
}

// A timeout is reported as unknown, never as a pass.
func TestLinearizableTimeoutIsUnknown(t *testing.T) {
	var ops []Op
	// Many concurrent writes of distinct values with lost replies and reads
	// that pin no order make the search space explode.
	for i := 0; i < 60; i++ {
		o := set(i, "k1", strconv.Itoa(i), 0, 1000)
		o.Unknown = i%2 == 0
		ops = append(ops, o)
		ops = append(ops, get(100+i, "k1", strconv.Itoa((i*7)%60), true, 0, 1000))
	}
	ops = append(ops, get(0, "k1", "nobody", true, 2000, 3000))
	res := CheckLinearizable(ids(ops), time.Millisecond)
	require.Equal(t, porcupine.Unknown, res.Result)
	assert.Contains(t, res.Violations[0].Detail, "verdict unknown")
}

// Property: a history generated from a sequential store is linearizable;
// changing one read to a value nobody wrote makes it fail.
func TestLinearizableProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Uint64().Draw(t, "seed")
		n := rapid.IntRange(1, 300).Draw(t, "n")
		ops := genHistory(seed, n, rapid.IntRange(1, 6).Draw(t, "clients"), rapid.IntRange(1, 4).Draw(t, "keys"), 0)
		require.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
		for i := range ops {
			if ops[i].Kind == OpGet {
				ops[i].Exists, ops[i].Result = true, "never-written"
				require.Equal(t, porcupine.Illegal, CheckLinearizable(ops, testTimeout).Result)
				return
			}
		}
	})
}

// A write whose reply never came may have been held by a partition and
// executed when its node was master again, epochs later (seed 73: a MULTI
// sent to n1 in epoch 1 ran on n1 in epoch 3, after an acknowledged SET).
func TestLinearizableLostWriteTakesEffectInALaterEpoch(t *testing.T) {
	on := func(node string, epoch int, op Op) Op {
		op.Node, op.Epoch = node, epoch
		return op
	}
	late := Op{Client: 2, Node: "n1", Kind: OpMulti, Key: "k2", Value: "415", Key2: "k0", Value2: "567",
		Call: 10, Return: 20, Unknown: true, Epoch: 1}
	ops := []Op{
		late,
		on("n2", 2, set(0, "k0", "x", 30, 40)),
		on("n1", 3, set(0, "k0", "v392", 50, 60)),
		on("n1", 3, get(0, "k0", "567", true, 70, 80)),
		on("n1", 3, get(0, "k2", "415", true, 70, 80)),
	}
	res := CheckLinearizable(ids(ops), testTimeout)
	assert.Equal(t, porcupine.Ok, res.Result, "%v", res.Violations)

	// Only on the node it was sent to: n2, master of epoch 2, never got it.
	ops[2].Node, ops[3].Node, ops[4].Node = "n2", "n2", "n2"
	ops[1].Node = "n3"
	res = CheckLinearizable(ids(ops), testTimeout)
	require.Equal(t, porcupine.Illegal, res.Result)
	assert.Contains(t, res.Violations[0].Detail, "key k0 in master epoch 3 (master n2)")

	// An acknowledged write is not carried over: its reply says it ran then.
	ops = []Op{on("n1", 1, set(0, "k0", "567", 10, 20)), on("n1", 3, set(0, "k0", "v392", 50, 60)),
		on("n1", 3, get(0, "k0", "567", true, 70, 80))}
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids(ops), testTimeout).Result)
}

// A write sent in one epoch and answered in the next may have run in
// either (seed 4112: an INCR sent to a demoted master ran once it was
// promoted again).
func TestLinearizableWriteInFlightAcrossEpochs(t *testing.T) {
	e := func(epoch int, op Op) Op { op.Epoch = epoch; return op }
	incr := func(c int, v, call, ret int64) Op {
		return Op{Client: c, Node: "n1", Kind: OpIncr, Key: "k5", Int: v, Call: call, Return: ret}
	}
	ops := []Op{
		e(1, incr(2, 1, 10, 50)),
		e(2, set(1, "k5", "606", 30, 35)),
		e(2, Op{Client: 1, Node: "n1", Kind: OpDel, Key: "k5", Int: 1, Call: 36, Return: 40}),
		e(2, incr(1, 2, 45, 55)),
	}
	res := CheckLinearizable(ids(ops), testTimeout)
	assert.Equal(t, porcupine.Ok, res.Result, "%v", res.Violations)

	// Answered before the next epoch's first operation: it ran before
	// anything there, so it cannot explain the INCR after the DEL.
	ops[0].Return = 20
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids(ops), testTimeout).Result)
}

// A write sent to a master, held in flight while its node was demoted and
// promoted again, and answered after that promotion but before the new
// epoch's first operation, may have run in the new epoch: its reply says
// nothing about its own (seed 2064296: a replica reader's DEL k7 sent to
// n4 in epoch 2 answered 0 in epoch 4, where k7 had expired, while epoch
// 2 held k7 = "99" throughout).
func TestLinearizableWriteAnsweredAfterItsNodeWasPromotedAgain(t *testing.T) {
	e := func(epoch int, node string, op Op) Op { op.Epoch, op.Node = epoch, node; return op }
	ops := []Op{
		e(1, "n1", set(0, "k7", "99", 0, 10)),
		e(1, "n1", Op{Client: 2, Kind: OpDel, Key: "k7", Int: 0, Call: 20, Return: 100}),
		e(1, "n1", get(1, "k7", "99", true, 30, 40)),
		e(2, "n2", set(1, "k7", "821", 60, 70)),
		e(3, "n1", get(1, "k7", "", false, 110, 120)),
	}
	check := func(starts map[int]int64) porcupine.CheckResult {
		return CheckLinearizableWith(ids(append([]Op(nil), ops...)),
			LinOptions{Timeout: testTimeout, Lifetimes: Lifetimes{EpochStarts: starts}}).Result
	}
	assert.Equal(t, porcupine.Ok, check(map[int]int64{1: 0, 2: 50, 3: 90}), "n1 master again at 90, the reply at 100")
	assert.Equal(t, porcupine.Illegal, check(map[int]int64{1: 0, 2: 50, 3: 105}),
		"n1 master again only after the reply: the DEL ran in epoch 1 and cannot answer 0")
	assert.Equal(t, porcupine.Illegal, check(nil), "without the epochs' starts, nothing is known")
}

// A transaction sent one command at a time ran at its EXEC: a read that
// ended before EXEC went out cannot see its write.
func TestLinearizableRoundTripTxRunsAtExec(t *testing.T) {
	tx := Op{Client: 0, Node: "n1", Kind: OpTx, Mode: "RT", Call: 10, LastSent: 40, Return: 50,
		Sub: []Op{{Client: 0, Node: "n1", Kind: OpSet, Key: "k1", Value: "2", Call: 10, Return: 50}}}
	early := get(1, "k1", "2", true, 20, 30)
	late := get(1, "k1", "2", true, 45, 60)
	base := set(2, "k1", "1", 0, 5)

	assert.Equal(t, porcupine.Ok, CheckLinearizable(ids([]Op{base, tx, late}), testTimeout).Result)
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ids([]Op{base, tx, early}), testTimeout).Result,
		"the SET cannot have run before EXEC went out")
	tx.LastSent = 0
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ids([]Op{base, tx, early}), testTimeout).Result, "sent in one write")
}
