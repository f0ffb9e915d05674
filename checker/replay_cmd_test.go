package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func typedKV(key, typ, val string) tap.KeyValue {
	return tap.KeyValue{Key: key, Type: typ, Value: val}
}

// The stream replay follows hash and set commands: a snapshot that
// matches what the stream reaches passes, one that does not fails, and
// the comparison includes the type.
func TestReplayTypedCommands(t *testing.T) {
	build := func(snapshot []tap.KeyValue) PrefixResult {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("SELECT", "0"))
		w.write("n1", "R", cmd("HSET", "h", "a", "1", "b", "2"))
		w.write("n1", "R", cmd("HINCRBY", "h", "a", "4"))
		w.write("n1", "R", cmd("HDEL", "h", "b"))
		w.write("n1", "R", cmd("SADD", "s", "x", "y", "z"))
		w.write("n1", "R", cmd("SREM", "s", "z"))
		w.write("n1", "R", cmd("smove", "s", "t", "x"))
		w.write("n1", "R", cmd("SUNIONSTORE", "u", "s", "t"))
		c := w.write("n1", "R", cmd("SADD", "gone", "1"), cmd("SREM", "gone", "1"))
		w.fullSync("n3", "n1", "R", c.End(), snapshot, snapshot)
		return CheckPrefix(w.in)
	}
	good := []tap.KeyValue{
		typedKV("h", tap.TypeHash, tap.EncodeHash([][2]string{{"a", "5"}})),
		typedKV("s", tap.TypeSet, tap.EncodeSet([]string{"y"})),
		typedKV("t", tap.TypeSet, tap.EncodeSet([]string{"x"})),
		typedKV("u", tap.TypeSet, tap.EncodeSet([]string{"x", "y"})),
	}
	tap.SortKeyValues(good)
	assert.Empty(t, build(good).Violations)

	bad := append([]tap.KeyValue(nil), good...)
	bad[0].Value = tap.EncodeHash([][2]string{{"a", "1"}})
	res := build(bad)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `key h: stream hash {"a":"5"}, snapshot hash {"a":"1"}`)

	retyped := append([]tap.KeyValue(nil), good...)
	retyped[1].Type = tap.TypeHash // same encoding, another type
	require.Len(t, build(retyped).Violations, 1)
}

// A master that propagates SPOP or HINCRBYFLOAT as sent (whose effect
// depends on a random draw or the platform) fails the prefix property.
func TestReplayReportsVerbatimNondeterministicCommands(t *testing.T) {
	for _, c := range [][]string{cmd("SPOP", "s"), cmd("HINCRBYFLOAT", "h", "f", "1.5")} {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("SADD", "s", "x"))
		w.write("n1", "R", c)
		res := CheckPrefix(w.in)
		require.Len(t, res.Violations, 1, c[0])
		assert.Contains(t, res.Violations[0].Detail, "master n1 propagated "+c[0])
	}
	// SREM, as Redis propagates a pop, is fine.
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SADD", "s", "x"))
	w.write("n1", "R", cmd("SREM", "s", "x"))
	assert.Empty(t, CheckPrefix(w.in).Violations)
}

// A snapshot a chained replica loads sits wherever its master's stream
// was: the replay from there continues in the db the stream last
// selected (chaos seed 5719), not db 0.
func TestReplayFromABaseContinuesInTheStreamsDB(t *testing.T) {
	w := newWorld()
	w.write("n1", "R", cmd("SELECT", "1"))
	c := w.write("n1", "R", cmd("SET", "d1:k", "1"))
	w.fullSync("n3", "n2", "R", c.End(), []tap.KeyValue{{DB: 1, Key: "d1:k", Value: "1"}}, []tap.KeyValue{{DB: 1, Key: "d1:k", Value: "1"}})
	c = w.write("n1", "R", cmd("SET", "d1:k", "2"), cmd("SADD", "d1:s", "x"))
	snap := []tap.KeyValue{{DB: 1, Key: "d1:k", Value: "2"}, {DB: 1, Key: "d1:s", Type: tap.TypeSet, Value: tap.EncodeSet([]string{"x"})}}
	w.fullSync("n4", "n1", "R", c.End(), snap, snap)
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
}

// Redis wraps one call's propagation in MULTI/EXEC only when it is more
// than one command: a MULTI/EXEC around a single write (a SELECT inside
// does not count) fails the prefix property; around two, it passes.
func TestReplayReportsTransactionOfOneCommand(t *testing.T) {
	build := func(inner ...[]string) PrefixResult {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", append(append([][]string{cmd("MULTI")}, inner...), cmd("EXEC"))...)
		return CheckPrefix(w.in)
	}
	res := build(cmd("SELECT", "1"), cmd("SET", "k", "1"))
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "master n1 propagated a MULTI/EXEC around 1 command(s)")
	assert.Empty(t, build(cmd("SET", "k", "1"), cmd("SELECT", "1"), cmd("SET", "k", "2")).Violations)
}
