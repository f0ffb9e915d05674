package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readOp records a replica read of any kind, as w.read does for GET.
func (w *world) readOp(replica string, op Op) {
	op.ID, op.Client, op.Node = len(w.in.Reads), 9, replica
	op.Call = w.now + 1
	w.now += 500
	op.Return = w.now
	w.in.Reads = append(w.in.Reads, op)
}

// hgetRead is a replica's HGET h1 f answered with val (nil when !exists).
func hgetRead(val string, exists bool) Op {
	op := Op{Kind: OpCmd, Key: "h1", Args: []string{"HGET", "h1", "f"}, Exists: exists, Result: val, Reply: val}
	if !exists {
		op.Reply = "(nil)"
	}
	return op
}

// typedWorld is a replica following a master that writes a hash h1 and
// a set s1, with typed reads that fit.
func typedWorld() *world {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.readOp("n2", hgetRead("", false))
	w.apply("n2", "R", w.write("n1", "R", cmd("SELECT", "0")))
	w.apply("n2", "R", w.write("n1", "R", cmd("HSET", "h1", "f", "1")))
	w.readOp("n2", hgetRead("1", true))
	w.apply("n2", "R", w.write("n1", "R", cmd("SADD", "s1", "a", "b")))
	w.readOp("n2", Op{Kind: OpCmd, Key: "s1", Args: []string{"SCARD", "s1"}, Int: 2, Reply: "(integer) 2"})
	w.readOp("n2", Op{Kind: OpCmd, Key: "s1", Args: []string{"SUNION", "s1", "s2"}, Items: []Item{{Str: "a"}, {Str: "b"}}})
	w.readOp("n2", Op{Kind: OpExists, Key: "s1", Int: 1})
	w.readOp("n2", Op{Kind: OpRead, Mode: "TYPE", Key: "h1", Reply: "hash"})
	w.readOp("n2", Op{Kind: OpCmd, Key: "s1", Args: []string{"HGET", "s1", "f"},
		Err: "WRONGTYPE Operation against a key holding the wrong kind of value"})
	return w
}

func TestPrefixTypedReadsHealthy(t *testing.T) {
	res := CheckPrefix(typedWorld().in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 7, res.Checked)
	assert.Zero(t, res.Unchecked)
}

// A replica HGET answering a value no offset it held had fails.
func TestPrefixHgetOfForeignValueFails(t *testing.T) {
	w := typedWorld()
	w.readOp("n2", hgetRead("7", true))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Equal(t, "prefix", res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, `replica n2 answered HGET h1 f with 7`)
	assert.Contains(t, res.Violations[0].Detail, `its master had hash`)
	assert.Equal(t, []string{"h1"}, res.Violations[0].Keys)
}

// Each kind of read fails on a reply no offset fits: a union missing a
// member, EXISTS and TYPE of a key the replica held otherwise, a
// WRONGTYPE where the key had the command's type.
func TestPrefixTypedReadsMismatchFail(t *testing.T) {
	for name, op := range map[string]Op{
		"SUNION":    {Kind: OpCmd, Key: "s1", Args: []string{"SUNION", "s1", "s2"}, Items: []Item{{Str: "a"}}},
		"EXISTS":    {Kind: OpExists, Key: "h1", Int: 0},
		"TYPE":      {Kind: OpRead, Mode: "TYPE", Key: "h1", Reply: "set"},
		"WRONGTYPE": {Kind: OpCmd, Key: "h1", Args: []string{"HGET", "h1", "f"}, Err: "WRONGTYPE Operation against a key holding the wrong kind of value"},
	} {
		t.Run(name, func(t *testing.T) {
			w := typedWorld()
			w.readOp("n2", op)
			res := CheckPrefix(w.in)
			require.Len(t, res.Violations, 1)
			assert.Contains(t, res.Violations[0].Detail, "replica n2 answered")
			assert.Equal(t, 7, res.Checked-1)
		})
	}
}

// A read of a key whose TTL the replica's clock has passed reads it as
// missing, whether or not the master's DEL arrived.
func TestPrefixTypedReadOfExpiredKey(t *testing.T) {
	w := typedWorld()
	w.in.WallOffset = 1e9 // the nodes' clocks read 1s at virtual time 0
	w.apply("n2", "R", w.write("n1", "R", cmd("PEXPIREAT", "h1", "1")))
	w.readOp("n2", hgetRead("", false))
	w.readOp("n2", Op{Kind: OpExists, Key: "h1", Int: 0})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 9, res.Checked)
}

// masterRead records a read a master client sent to node.
func (w *world) masterRead(node string, op Op) {
	op.ID, op.Client, op.Node = len(w.in.MasterReads), 1, node
	op.Call = w.now + 1
	w.now += 500
	op.Return = w.now
	w.in.MasterReads = append(w.in.MasterReads, op)
}

// A master's read must fit its own stream where its next chunk shows the
// stream went on unbroken: a master that propagated HINCRBY f 1 as HSET f
// 5 answers 6 where its stream says 5.
func TestPrefixMasterReadMustFitItsStream(t *testing.T) {
	w := typedWorld()
	w.apply("n2", "R", w.write("n1", "R", cmd("HSET", "h1", "f", "5")))
	w.masterRead("n1", hgetRead("6", true))
	w.masterRead("n1", hgetRead("5", true))
	w.apply("n2", "R", w.write("n1", "R", cmd("SADD", "s1", "c")))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `master n1 answered HGET h1 f with 6`)
	assert.Contains(t, res.Violations[0].Detail, `its own replication stream had hash {"f":"5"}`)
	assert.Equal(t, 9, res.Checked)
}

// A master read with no chunk after it, or before the master's first
// chunk, is not judged: the master may have had no backlog and written
// unstreamed.
func TestPrefixMasterReadUnstreamedIsUnjudged(t *testing.T) {
	w := newWorld()
	w.masterRead("n1", Op{Kind: OpGet, Key: "k1", Exists: true, Result: "1"})
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SELECT", "0")))
	w.masterRead("n1", Op{Kind: OpGet, Key: "k1", Exists: true, Result: "2"})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 2, res.Unchecked)
}
