package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

// The stream replay follows the bit and key commands, across dbs: a
// snapshot that matches what the stream reaches passes, one that does not
// fails.
func TestReplayBitsAndKeys(t *testing.T) {
	build := func(snapshot []tap.KeyValue) PrefixResult {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("SELECT", "0"))
		w.write("n1", "R", cmd("SETBIT", "b", "1", "1"))
		w.write("n1", "R", cmd("BITFIELD", "b", "INCRBY", "u4", "4", "3"))
		w.write("n1", "R", cmd("SET", "x", "1"))
		w.write("n1", "R", cmd("BITOP", "AND", "x", "none"))
		w.write("n1", "R", cmd("RESTORE", "r", "0", EncodeDump(tap.TypeSet, tap.EncodeSet([]string{"2", "1"}), DumpVersion)))
		w.write("n1", "R", cmd("SORT", "r", "DESC", "STORE", "l"))
		w.write("n1", "R", cmd("COPY", "b", "c"))
		w.write("n1", "R", cmd("MOVE", "c", "9"))
		c := w.write("n1", "R", cmd("COPY", "b", "b", "DB", "9"))
		w.fullSync("n3", "n1", "R", c.End(), snapshot, snapshot)
		return CheckPrefix(w.in)
	}
	good := []tap.KeyValue{
		{Key: "b", Value: "\x43"},
		typedKV("r", tap.TypeSet, tap.EncodeSet([]string{"1", "2"})),
		typedKV("l", tap.TypeList, tap.EncodeList([]string{"2", "1"})),
		{DB: 9, Key: "c", Value: "\x43"},
		{DB: 9, Key: "b", Value: "\x43"},
	}
	tap.SortKeyValues(good)
	assert.Empty(t, build(good).Violations)

	bad := append([]tap.KeyValue(nil), good...)
	bad = bad[:len(bad)-1] // COPY ... DB 9 left nothing
	require.Len(t, build(bad).Violations, 1)
}

// RESTORE with a relative TTL in the stream fails the prefix property: a
// correct master sends the absolute time (ABSTTL).
func TestReplayReportsRelativeRestoreTTL(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	c := w.write("n1", "R", cmd("RESTORE", "k", "500", EncodeDump(tap.TypeString, "v", DumpVersion)))
	w.fullSync("n3", "n1", "R", c.End(), nil, nil)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "relative TTL 500 ms")
}
