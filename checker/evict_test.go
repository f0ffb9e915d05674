package checker

import (
	"slices"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func setPX(c int, key, val string, ttl, call, ret int64) Op {
	op := set(c, key, val, call, ret)
	op.TTL = ttl
	return op
}

// An eviction deletes the key at its instant: a later read must miss it,
// and an earlier value read after it is a violation.
func TestEvictionDeletesTheKey(t *testing.T) {
	ops := ids([]Op{
		set(0, "k1", "1", 0, 10),
		NewEviction("n1", 0, 0, "k1", "allkeys-lru", 15),
		get(1, "k1", "", false, 20, 30),
	})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
	ops[2] = get(1, "k1", "1", true, 20, 30)
	res := CheckLinearizable(ops, testTimeout)
	assert.Equal(t, porcupine.Illegal, res.Result)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "EVICT k1")
	// A write concurrent with the eviction may land on either side.
	ops = ids([]Op{
		set(0, "k1", "1", 0, 10),
		set(0, "k1", "2", 12, 18),
		NewEviction("n1", 0, 0, "k1", "allkeys-random", 15),
		get(1, "k1", "2", true, 20, 30),
	})
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, testTimeout).Result)
}

// A volatile-* policy only evicts keys with a TTL.
func TestVolatileEvictionNeedsATTL(t *testing.T) {
	hist := func(w Op, policy string) []Op {
		return ids([]Op{w, NewEviction("n1", 0, 0, "k1", policy, 100), get(1, "k1", "", false, 200, 210)})
	}
	persistent := set(0, "k1", "1", 0, 10)
	expiring := setPX(0, "k1", "1", 1000, 0, 10)
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(hist(persistent, "volatile-lru"), testTimeout).Result)
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(hist(persistent, "volatile-ttl"), testTimeout).Result)
	assert.Equal(t, porcupine.Ok, CheckLinearizable(hist(persistent, "allkeys-lfu"), testTimeout).Result)
	assert.Equal(t, porcupine.Ok, CheckLinearizable(hist(expiring, "volatile-random"), testTimeout).Result)
	// In a later epoch the key's TTL is unknown until something shows it.
	later := hist(persistent, "volatile-lru")[1:]
	for i := range later {
		later[i].Epoch = 1
	}
	assert.Equal(t, porcupine.Ok, CheckLinearizable(later, testTimeout).Result)
}

// An eviction is judged on the key the history names as the node's key
// (KeyNamer). Seed 1069457: in epoch 4 n3's db 1 held "k3" with a TTL (db
// 0's writes that its AOF, cut by a failed fsync, replayed into db 1) and
// evicted it under volatile-ttl; that is not the client key "d1:k3" of db
// 1, SET with no TTL, whose eviction stays a violation.
func TestVolatileEvictionOfAKeyTheHistoryDoesNotName(t *testing.T) {
	inDB := func(db int, op Op) Op {
		op.DB, op.Epoch, op.Node = db, 4, "n3"
		return op
	}
	hist := []Op{
		inDB(1, set(3, "d1:k3", "358", 3_523_105_670, 3_525_535_433)),
		inDB(1, get(3, "d1:k3", "358", true, 3_602_476_474, 3_604_808_209)),
		inDB(1, get(3, "d1:k3", "358", true, 3_751_429_832, 3_753_886_730)),
		inDB(0, setPX(0, "k3", "157", 100_000, 11_701_789_000, 11_702_000_000)),
		inDB(0, Op{Client: 1, Kind: OpCmd, Key: "k5", Args: []string{"MOVE", "k5", "9"}, Int: 1, Call: 12_000_000_000, Return: 12_001_000_000}),
	}
	names := NewKeyNamer(hist)
	_, ok := names.Name(1, "k3")
	assert.False(t, ok, "db 1 holds no key named k3 by the history")
	_, ok = names.Name(0, "d1:k3")
	assert.False(t, ok)
	evicted := func(db int, key string) []Op {
		name, ok := names.Name(db, key)
		require.True(t, ok)
		return ids(append(slices.Clone(hist), NewEviction("n3", 4, db, name, "volatile-ttl", 14_166_699_934)))
	}
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ids(slices.Clone(hist)), testTimeout).Result)
	assert.Equal(t, porcupine.Ok, CheckLinearizable(evicted(0, "k3"), testTimeout).Result)
	name, ok := names.Name(9, "k5")
	require.True(t, ok)
	assert.Equal(t, "d9:k5", name, "a key MOVEd to db 9 keeps the far name")
	res := CheckLinearizable(evicted(1, "d1:k3"), testTimeout)
	assert.Equal(t, porcupine.Illegal, res.Result, "the client key has no TTL")
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "key d1:k3 in master epoch 4")
	assert.Contains(t, res.Violations[0].Detail, "EVICT d1:k3 -> (evicted under volatile-ttl)")
}

// An eviction explains a key missing after a restart, but a write the
// client was told about after it must come back.
func TestDurabilityExcusesEvictedKeys(t *testing.T) {
	in := crashAfter(always, 5*sec, 6*sec)
	in.Ops = append(in.Ops, NewEviction("n1", 0, 0, "k1", "allkeys-lru", 5*sec+sec/2))
	assert.Empty(t, CheckDurability(in))
	in = crashAfter(always, 5*sec, 6*sec)
	in.Ops = append(in.Ops, NewEviction("n1", 0, 0, "k1", "allkeys-lru", 4*sec))
	vs := CheckDurability(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `losing the acknowledged write SET k1 "v"`)
	// A master that exits on a failed AOF write evicted in the command
	// whose write failed, at the crash's instant (seed 877).
	in = crashAfter(always, 5*sec, 6*sec)
	in.Ops = append(in.Ops, NewEviction("n1", 0, 0, "k1", "allkeys-lru", 6*sec))
	assert.Empty(t, CheckDurability(in))
	in.Ops[len(in.Ops)-1].Call, in.Ops[len(in.Ops)-1].Return = 6*sec+1, 6*sec+1
	assert.Len(t, CheckDurability(in), 1, "an eviction after the crash explains nothing")
	// The eviction itself is no write the restart must keep.
	in = crashAfter(always, 5*sec, 6*sec, "k1", "v")
	in.Ops = append(in.Ops, NewEviction("n1", 0, 0, "k1", "allkeys-lru", 5*sec+sec/2))
	assert.Empty(t, CheckDurability(in))
}

func TestOOMOnlyWhereRedisGivesIt(t *testing.T) {
	oom := "OOM command not allowed when used memory > 'maxmemory'."
	ops := []Op{
		{Client: 0, Node: "n1", Kind: OpSet, Key: "k1", Value: "1", Err: oom},
		{Client: 0, Node: "n1", Kind: OpIncr, Key: "k1", Err: oom},
		{Client: 0, Node: "n1", Kind: OpCmd, Args: []string{"HSET", "h", "f", "v"}, Key: "h", Err: oom},
		{Client: 0, Node: "n1", Kind: OpTx, Args: []string{"MULTI"}, Err: oom, Sub: []Op{{Kind: OpSet, Key: "k1", Args: []string{"SET", "k1", "2"}}}},
	}
	assert.Empty(t, CheckOOM(ops))
	for _, bad := range []Op{
		{Client: 1, Node: "n1", Kind: OpDel, Key: "k1", Err: oom},
		{Client: 1, Node: "n1", Kind: OpGet, Key: "k1", Err: oom},
		{Client: 1, Node: "n1", Kind: OpCmd, Args: []string{"SREM", "s", "m"}, Key: "s", Err: oom},
		{Client: 1, Node: "n1", Kind: OpTx, Args: []string{"MULTI"}, Sub: []Op{{Kind: OpSet, Key: "k1", Args: []string{"SET", "k1", "2"}, Err: oom}}},
		{Client: 1, Node: "n1", Kind: OpTx, Args: []string{"MULTI"}, Err: oom, Sub: []Op{{Kind: OpGet, Key: "k1", Args: []string{"GET", "k1"}}}},
	} {
		vs := CheckOOM(append(ops, bad))
		require.Len(t, vs, 1, "%s", bad.Describe())
		assert.Equal(t, PropAccess, vs[0].Check)
	}
}
