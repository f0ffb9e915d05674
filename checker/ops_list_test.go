package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ri is an integer reply that is not nil.
func ri(n int64, args ...string) Op {
	op := rc(n, args...)
	op.Exists = true
	return op
}

// ra is an array reply that is not nil.
func ra(items []string, args ...string) Op {
	op := arr(items, args...)
	op.Exists = true
	return op
}

// Each list command's model accepts a true history and rejects it with
// one reply corrupted.
func TestListModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"LPUSH pushes one by one at the head", seq(rc(3, "LPUSH", "l", "a", "b", "c"), ra([]string{"c", "b", "a"}, "LRANGE", "l", "0", "-1")),
			func(ops []Op) { ops[1].Items[0].Str = "a" }},
		{"RPUSH counts", seq(rc(2, "RPUSH", "l", "a", "b"), rc(3, "RPUSH", "l", "c")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"LPUSHX needs a list", seq(rc(0, "LPUSHX", "l", "a"), rc(1, "RPUSH", "l", "b"), rc(2, "RPUSHX", "l", "c"), rc(2, "LLEN", "l")),
			func(ops []Op) { ops[0].Int = 1 }},
		{"LINSERT", seq(rc(0, "LINSERT", "l", "BEFORE", "a", "x"), rc(2, "RPUSH", "l", "a", "b"), rc(-1, "LINSERT", "l", "AFTER", "z", "x"),
			rc(3, "LINSERT", "l", "AFTER", "a", "x"), ra([]string{"a", "x", "b"}, "LRANGE", "l", "0", "-1")),
			func(ops []Op) { ops[4].Items[1].Str = "b" }},
		{"LSET", seq(rc(2, "RPUSH", "l", "a", "b"), rc(1, "LSET", "l", "-1", "z"), bulk("z", true, "LINDEX", "l", "1")),
			func(ops []Op) { ops[2].Result = "b" }},
		{"LSET out of range", seq(rc(1, "RPUSH", "l", "a"), Op{Kind: OpCmd, Key: "l", Args: []string{"LSET", "l", "1", "z"}, Err: "ERR index out of range"}),
			func(ops []Op) { ops[1].Err, ops[1].Int = "", 1 }},
		{"LSET of no list", seq(Op{Kind: OpCmd, Key: "l", Args: []string{"LSET", "l", "0", "z"}, Err: "ERR no such key"}),
			func(ops []Op) { ops[0].Err = "ERR index out of range" }},
		{"LPOP and RPOP", seq(rc(3, "RPUSH", "l", "a", "b", "c"), bulk("a", true, "LPOP", "l"), bulk("c", true, "RPOP", "l"), bulk("b", true, "LINDEX", "l", "0")),
			func(ops []Op) { ops[2].Result = "b" }},
		{"RPOP count pops from the tail", seq(rc(3, "RPUSH", "l", "a", "b", "c"), ra([]string{"c", "b"}, "RPOP", "l", "2"), rc(1, "LLEN", "l")),
			func(ops []Op) { ops[1].Items[0].Str, ops[1].Items[1].Str = "b", "c" }},
		{"LPOP count past the end deletes the key", seq(rc(2, "RPUSH", "l", "a", "b"), ra([]string{"a", "b"}, "LPOP", "l", "5"), Op{Kind: OpExists, Key: "l"}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"LPOP count of no list is nil", seq(rc(0, "LPOP", "l", "2")),
			func(ops []Op) { ops[0].Exists = true }},
		{"LPOP count 0 of a list is empty", seq(rc(1, "RPUSH", "l", "a"), ra(nil, "LPOP", "l", "0"), rc(1, "LLEN", "l")),
			func(ops []Op) { ops[1].Exists = false }},
		{"LTRIM", seq(rc(5, "RPUSH", "l", "a", "b", "c", "d", "e"), rc(1, "LTRIM", "l", "1", "-2"), ra([]string{"b", "c", "d"}, "LRANGE", "l", "0", "-1")),
			func(ops []Op) { ops[2].Items = ops[2].Items[1:] }},
		{"LTRIM to nothing deletes the key", seq(rc(2, "RPUSH", "l", "a", "b"), rc(1, "LTRIM", "l", "5", "10"), Op{Kind: OpExists, Key: "l"}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"LREM from the tail", seq(rc(4, "RPUSH", "l", "x", "a", "x", "x"), rc(2, "LREM", "l", "-2", "x"), ra([]string{"x", "a"}, "LRANGE", "l", "0", "-1")),
			func(ops []Op) { ops[2].Items[0].Str = "a" }},
		{"LREM all", seq(rc(3, "RPUSH", "l", "x", "a", "x"), rc(2, "LREM", "l", "0", "x"), rc(1, "LLEN", "l")),
			func(ops []Op) { ops[1].Int = 1 }},
		{"LRANGE a slice", seq(rc(4, "RPUSH", "l", "a", "b", "c", "d"), ra([]string{"b", "c"}, "LRANGE", "l", "-3", "2")),
			func(ops []Op) { ops[1].Items = append(ops[1].Items, Item{Str: "d"}) }},
		{"LINDEX out of range is nil", seq(rc(1, "RPUSH", "l", "a"), bulk("", false, "LINDEX", "l", "1")),
			func(ops []Op) { ops[1].Exists = true }},
		{"LPOS", seq(rc(5, "RPUSH", "l", "a", "x", "b", "x", "x"), ri(1, "LPOS", "l", "x"), ri(3, "LPOS", "l", "x", "RANK", "-2")),
			func(ops []Op) { ops[2].Int = 4 }},
		{"LPOS not found is nil", seq(rc(1, "RPUSH", "l", "a"), rc(0, "LPOS", "l", "x")),
			func(ops []Op) { ops[1].Exists = true }},
		{"LPOS COUNT MAXLEN", seq(rc(5, "RPUSH", "l", "a", "x", "b", "x", "x"), ra([]string{"1", "3"}, "LPOS", "l", "x", "COUNT", "0", "MAXLEN", "4")),
			func(ops []Op) { ops[1].Items = append(ops[1].Items, Item{Str: "4"}) }},
		{"LMOVE", seq(rc(2, "RPUSH", "a", "x", "y"), bulk("y", true, "LMOVE", "a", "b", "RIGHT", "LEFT"), ra([]string{"y"}, "LRANGE", "b", "0", "-1"), rc(1, "LLEN", "a")),
			func(ops []Op) { ops[1].Result = "x" }},
		{"RPOPLPUSH of no list", seq(rc(1, "RPUSH", "b", "x"), bulk("", false, "RPOPLPUSH", "a", "b"), rc(1, "LLEN", "b")),
			func(ops []Op) { ops[2].Int = 2 }},
		{"LMOVE onto a hash", seq(rc(1, "RPUSH", "a", "x"), rc(1, "HSET", "b", "f", "1"), wrongType(rc(0, "LMOVE", "a", "b", "LEFT", "LEFT")), rc(1, "LLEN", "a")),
			func(ops []Op) { ops[2].Err, ops[2].Result, ops[2].Exists = "", "x", true }},
		{"LMPOP pops from the first list", seq(rc(3, "RPUSH", "b", "x", "y", "z"), ra([]string{"b", "z", "y"}, "LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"), rc(1, "LLEN", "b")),
			func(ops []Op) { ops[1].Items[0].Str = "a" }},
		{"LMPOP of no lists", seq(rc(0, "LMPOP", "2", "a", "b", "LEFT"), rc(1, "RPUSH", "a", "x")),
			func(ops []Op) { ops[0].Items = []Item{{Str: "a"}, {Str: "x"}} }},
		{"BLPOP served", seq(rc(2, "RPUSH", "a", "x", "y"), ra([]string{"a", "x"}, "BLPOP", "a", "0.1"), bulk("y", true, "LINDEX", "a", "0")),
			func(ops []Op) { ops[1].Items[1].Str = "y" }},
		{"BRPOP times out on no list", seq(rc(0, "BRPOP", "a", "b", "0.1")),
			func(ops []Op) { ops[0].Items = []Item{{Str: "a"}, {Str: "x"}} }},
		{"BLMPOP", seq(rc(2, "RPUSH", "b", "x", "y"), ra([]string{"b", "x", "y"}, "BLMPOP", "0.1", "2", "a", "b", "LEFT", "COUNT", "3"), rc(0, "LLEN", "b")),
			func(ops []Op) { ops[2].Int = 1 }},
		{"BLMOVE", seq(rc(1, "RPUSH", "a", "x"), bulk("x", true, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0.1"), bulk("x", true, "BRPOPLPUSH", "b", "a", "0.1"), rc(1, "LLEN", "a")),
			func(ops []Op) { ops[3].Int = 0 }},
	})
}

// A blocking pop served later is linearized at the push that served it:
// its interval spans the push.
func TestBlockingPopServedLater(t *testing.T) {
	pop := ra([]string{"a", "x"}, "BLPOP", "b", "a", "1")
	pop.Client, pop.Call, pop.Return = 1, 0, 10_000_000
	push := rc(1, "RPUSH", "a", "x")
	push.Client, push.Call, push.Return = 2, 4_000_000, 5_000_000
	after := rc(0, "LLEN", "a")
	after.Client, after.Call, after.Return = 2, 11_000_000, 12_000_000
	ops := []Op{pop, push, after}
	for i := range ops {
		ops[i].ID = i
	}
	require.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[0].Items[1].Str = "y" // served something never pushed
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// A blocking pop's timeout says the list was absent at some instant of
// its interval: a list that exists throughout contradicts it.
func TestBlockingPopTimeout(t *testing.T) {
	push := rc(1, "RPUSH", "a", "x")
	push.Client, push.Call, push.Return = 2, 4_000_000, 5_000_000
	pop := rc(0, "BLPOP", "a", "0.1")
	pop.Client, pop.Call, pop.Return = 1, 0, 10_000_000
	ops := []Op{push, pop}
	for i := range ops {
		ops[i].ID = i
	}
	require.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, "absent before the push")
	ops[1].Call = 6_000_000 // after the push: never absent
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// A client unblocked by its master's demotion got an error and popped
// nothing.
func TestBlockingPopUnblockedByDemotion(t *testing.T) {
	ops := seq(rc(1, "RPUSH", "a", "x"), Op{Kind: OpCmd, Key: "b", Args: []string{"BLMOVE", "b", "a", "LEFT", "LEFT", "1"},
		Err: "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"}, rc(1, "LLEN", "a"))
	assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
}

// A pop of several keys with no reply popped from one of them, or none:
// the model forgets those lists until a full read shows them.
func TestMultiKeyPopUnknownOutcome(t *testing.T) {
	for _, left := range [][]string{{"x"}, nil} {
		ops := seq(rc(1, "RPUSH", "a", "x"), rc(1, "RPUSH", "b", "y"), rc(0, "LMPOP", "2", "a", "b", "LEFT"), ra(left, "LRANGE", "a", "0", "-1"))
		ops[2].Unknown = true
		assert.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result, left)
	}
}

// The stream replay applies each propagated form as Redis 7.0.15 sends
// it, and refuses the blocking forms a correct master never sends.
func TestListReplayForms(t *testing.T) {
	d := fakeDB{}
	for _, args := range [][]string{
		{"RPUSH", "a", "1", "2", "3", "4", "5", "6"},
		{"LPOP", "a"},
		{"RPOP", "a", "2"},
		{"LMOVE", "a", "b", "left", "right"},
		{"RPOPLPUSH", "a", "b"},
		{"LPUSHX", "b", "0"},
		{"LINSERT", "b", "AFTER", "0", "z"},
		{"LSET", "b", "-1", "w"},
		{"LREM", "b", "1", "z"},
		{"LTRIM", "b", "0", "1"},
	} {
		require.Empty(t, commands[args[0]].apply(args, d), args)
	}
	assert.Equal(t, []string{"3"}, listOf(d["a"]))
	assert.Equal(t, []string{"0", "4"}, listOf(d["b"]))
	assert.NotEmpty(t, commands["LPOP"].apply([]string{"LPOP", "none"}, d))
	assert.NotEmpty(t, commands["LTRIM"].apply([]string{"LTRIM", "a", "0", "-1"}, d), "an LTRIM that removes nothing is not propagated")
	for _, name := range []string{"BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "LMPOP"} {
		assert.NotEmpty(t, commands[name].never, name)
	}
}

// fakeDB is a replayed dataset for apply tests.
type fakeDB map[string]Value

func (d fakeDB) get(key string) Value { return d[key] }
func (d fakeDB) put(key string, v Value) {
	if !v.Exists {
		delete(d, key)
		return
	}
	d[key] = v
}

// An LSET refused before it looked at the key (MISCONF, READONLY) had
// no effect, in range or not (chaos seed 271).
func TestLsetRefused(t *testing.T) {
	misconf := Op{Kind: OpCmd, Key: "l", Args: []string{"LSET", "l", "0", "z"}, Err: "MISCONF Errors writing to the AOF file: Input/output error"}
	ops := seq(rc(1, "RPUSH", "l", "a"), misconf, bulk("a", true, "LINDEX", "l", "0"))
	require.Equal(t, porcupine.Ok, CheckLinearizable(ops, time.Second).Result)
	ops[2].Result = "z"
	assert.Equal(t, porcupine.Illegal, CheckLinearizable(ops, time.Second).Result)
}

// The list family's CONFIG SET list-max-listpack-size is read back by
// CONFIG GET as it was set (the default -2 before any).
func TestConfigGetListFill(t *testing.T) {
	set := knobAdmin("n1", 10, 20, "OK", "CONFIG", "SET", "list-max-listpack-size", "-6")
	get := func(call int64, v string) Op {
		return knobAdmin("n1", call, call+5, getReply("list-max-listpack-size", v), "CONFIG", "GET", "list-max-listpack-size")
	}
	assert.Empty(t, CheckConfigGets([]Op{get(1, "-2"), set, get(30, "-6")}, nil), "-6 reads back unclamped")
	require.Len(t, CheckConfigGets([]Op{set, get(30, "-5")}, nil), 1, "clamped where it is used, not in CONFIG GET")
	require.Len(t, CheckConfigGets([]Op{get(1, "8")}, nil), 1, "no SET: the default")
}

// CLIENT UNBLOCK client:N answered 1 released client N's blocking command
// in flight, with nil (TIMEOUT) or the UNBLOCKED error (ERROR); that error
// comes from no other CLIENT UNBLOCK.
func TestClientUnblocks(t *testing.T) {
	unblock := func(reply int64, args ...string) Op {
		return Op{Client: 1, Node: "n1", Kind: OpRead, Mode: "ADMIN", Call: 20, Return: 30, Int: reply,
			Args: append([]string{"CLIENT", "UNBLOCK", "client:2"}, args...)}
	}
	blpop := func(err string) Op {
		return Op{Client: 2, Node: "n1", Kind: OpCmd, Key: "l0", Args: []string{"BLPOP", "l0", "1"}, Call: 10, Return: 25, Err: err}
	}
	assert.Empty(t, CheckClientUnblocks([]Op{unblock(1), blpop("")}), "TIMEOUT (the default): nil")
	assert.Empty(t, CheckClientUnblocks([]Op{unblock(1, "TIMEOUT"), blpop("")}))
	assert.Empty(t, CheckClientUnblocks([]Op{unblock(1, "ERROR"), blpop(errUnblocked)}))
	assert.Empty(t, CheckClientUnblocks([]Op{unblock(0, "ERROR"), blpop("")}), "0 is not judged")
	lost := blpop("")
	lost.Unknown = true
	assert.Empty(t, CheckClientUnblocks([]Op{unblock(1, "ERROR"), lost}), "an unknown outcome explains either")

	v := CheckClientUnblocks([]Op{unblock(1, "ERROR"), blpop("")})
	require.Len(t, v, 1, "ERROR answered nil")
	assert.Contains(t, v[0].Detail, "answered 1")
	served := blpop("")
	served.Exists, served.Items = true, []Item{{Str: "l0"}, {Str: "a"}}
	require.Len(t, CheckClientUnblocks([]Op{unblock(1), served}), 1, "TIMEOUT, but the command was served")
	require.Len(t, CheckClientUnblocks([]Op{unblock(1, "TIMEOUT"), blpop(errUnblocked)}), 2, "TIMEOUT answered the error")
	self := unblock(1)
	self.Args[2] = "client:1"
	require.Len(t, CheckClientUnblocks([]Op{self}), 1, "a client unblocking itself is not blocked")
	early := blpop("")
	early.Return = 15
	require.Len(t, CheckClientUnblocks([]Op{unblock(1), early}), 1, "answered before the UNBLOCK was sent")
	other := blpop("")
	other.Node = "n2"
	require.Len(t, CheckClientUnblocks([]Op{unblock(1), other}), 1, "blocked on another node")
	get := blpop("")
	get.Args = []string{"LLEN", "l0"}
	require.Len(t, CheckClientUnblocks([]Op{unblock(1), get}), 1, "not a blocking command")

	v = CheckClientUnblocks([]Op{blpop(errUnblocked)})
	require.Len(t, v, 1, "the UNBLOCKED error with no CLIENT UNBLOCK")
	assert.Contains(t, v[0].Detail, "no CLIENT UNBLOCK")
	require.Len(t, CheckClientUnblocks([]Op{unblock(0, "ERROR"), blpop(errUnblocked)}), 1, "its UNBLOCK answered 0")
}

// A WAIT released by CLIENT UNBLOCK answers its count so far (TIMEOUT) or
// the UNBLOCKED error (ERROR).
func TestClientUnblocksWait(t *testing.T) {
	unblock := Op{Client: 1, Node: "n1", Kind: OpRead, Mode: "ADMIN", Call: 20, Return: 30, Int: 1,
		Args: []string{"CLIENT", "UNBLOCK", "client:2", "TIMEOUT"}}
	wait := Op{Client: 2, Node: "n1", Kind: OpWait, Replicas: 2, Call: 10, Return: 25, Int: 1}
	assert.Empty(t, CheckClientUnblocks([]Op{unblock, wait}))
	werr := wait
	werr.Err = errUnblocked
	require.Len(t, CheckClientUnblocks([]Op{unblock, werr}), 2, "TIMEOUT answered the error")
	unblock.Args[3] = "ERROR"
	assert.Empty(t, CheckClientUnblocks([]Op{unblock, werr}))
	require.Len(t, CheckClientUnblocks([]Op{unblock, wait}), 1, "ERROR answered a count")
}
