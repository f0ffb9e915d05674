package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// healthy is a master n1 writing under R, replica n2 synced at 0 and
// applying every write, with reads that fit.
func healthy() *world {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.read("n2", "k1", "", false)
	w.apply("n2", "R", w.write("n1", "R", cmd("SELECT", "0")))
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "1")))
	w.read("n2", "k1", "1", true)
	w.apply("n2", "R", w.write("n1", "R", cmd("MULTI"), cmd("SET", "k1", "2"), cmd("INCR", "k2"), cmd("EXEC")))
	w.read("n2", "k2", "1", true)
	return w
}

func TestPrefixHealthy(t *testing.T) {
	res := CheckPrefix(healthy().in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 3, res.Checked)
	assert.Zero(t, res.Unchecked)
}

// A replica showing a value its master never had at its offsets fails.
func TestPrefixReadOfForeignValueFails(t *testing.T) {
	w := healthy()
	w.read("n2", "k1", "9", true)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Equal(t, "prefix", res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, `replica n2 answered GET k1 with "9"`)
	assert.Contains(t, res.Violations[0].Detail, `its master had "2"`)
}

// A replica going back to an older state without a full resync fails:
// here it shows k1 = "1" after having shown "2".
func TestPrefixReadGoingBackFails(t *testing.T) {
	w := healthy()
	w.read("n2", "k1", "2", true)
	w.read("n2", "k1", "1", true)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, `answered GET k1 with "1"`)
}

// A replica that never synced holds nothing.
func TestPrefixUnsyncedReplicaIsEmpty(t *testing.T) {
	w := newWorld()
	w.read("n3", "k1", "1", true)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "it had never synced")
}

// Bytes shifted by a stray CRLF (crlf-after-rdb) fail.
func TestPrefixShiftedBytesFail(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	c := w.write("n1", "R", cmd("SET", "k1", "1"))
	w.applyBytes("n2", "R", 0, []byte("\r\n"))
	w.applyBytes("n2", "R", 2, c.Data)
	res := CheckPrefix(w.in)
	require.NotEmpty(t, res.Violations)
	assert.Contains(t, res.Violations[0].Detail, `replica n2 applied "\r\n" at offset 0`)
	assert.Contains(t, res.Violations[0].Detail, "shifted or corrupt")
}

// An offset that jumps without a full resync fails.
func TestPrefixOffsetJumpFails(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SET", "k1", "1"))
	c := w.write("n1", "R", cmd("SET", "k1", "2"))
	w.apply("n2", "R", c) // skipped the first write
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "moved forwards from 0 to")
}

// Stopping inside one of the master's writes (half a MULTI) fails.
func TestPrefixHalfTransactionFails(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	c := w.write("n1", "R", cmd("SET", "k1", "1"), cmd("SET", "k2", "2")) // EXEC without MULTI/EXEC
	first := enc(cmd("SET", "k1", "1"))
	w.applyBytes("n2", "R", 0, first)
	w.applyBytes("n2", "R", int64(len(first)), c.Data[len(first):])
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "in the middle of one write of its master (offsets 0..")
	assert.Contains(t, res.Violations[0].Detail, "SET k1 1; SET k2 2")
}

// A full resync that keeps old keys (fullsync-no-flush) fails.
func TestPrefixFullSyncMustLoadExactlyTheSnapshot(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, kvs("k1", "1"), kvs("k1", "1", "old", "x"))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "is not the snapshot it was sent: db0 key old: snapshot (missing), replica \"x\"")
}

// A snapshot that does not match the master's own stream fails.
func TestPrefixSnapshotMustMatchStream(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	c := w.write("n1", "R", cmd("SET", "k1", "1"))
	w.fullSync("n3", "n1", "R", c.End(), kvs("k1", "2"), kvs("k1", "2"))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "is not the state n1's own replication stream reaches there")
}

// Two masters writing different bytes under one replication ID fail.
func TestPrefixTwoHistoriesOneIDFail(t *testing.T) {
	w := newWorld()
	w.write("n1", "R", cmd("SET", "k1", "1"))
	w.offset["R"] = 0
	w.write("n2", "R", cmd("SET", "k1", "2"))
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "two different histories under one replication ID R")
}

// After a promotion, a replica continuing on the new ID from the parent's
// offsets is fine, and reads follow the new master.
func TestPrefixContinuesAcrossPromotion(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.fullSync("n3", "n1", "R", 0, nil, nil)
	c1 := w.write("n1", "R", cmd("SET", "k1", "1"))
	w.apply("n2", "R", c1)
	at := w.tick()
	w.in.Promotions = append(w.in.Promotions, Promotion{Seq: w.seq, At: at, Node: "n2", Before: kvs("k1", "1"), After: kvs("k1", "1"),
		Was: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: c1.End()},
		Now: tap.ReplStatus{Role: "master", ReplID: "S", ReplID2: "R", Offset: c1.End(), SecondOffset: c1.End() + 1}})
	w.offset["S"] = c1.End()
	// n3 was behind: it continues from n2's backlog, now under S.
	w.apply("n3", "S", c1)
	c2 := w.write("n2", "S", cmd("SET", "k1", "2"))
	w.apply("n3", "S", c2)
	w.read("n3", "k1", "2", true)
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Checked)
}

// restoredMaster is seed 72145's history: master n1 writes under R, n2 is
// caught up and n3 lags; n1 crashes and restarts from an RDB carrying
// repl-id R at c2's end, so (as Redis's loadDataFromDisk) it keeps R as its
// secondary ID and writes on under a new ID S. n4 full-syncs from n1 under
// S, n2 continues with PSYNC, and n3, now chained below n2, continues from
// n2's backlog under S.
// repl gives n1's replication state after loading, from the RDB's offset.
func restoredMaster(repl func(rdbOffset int64) tap.ReplStatus) *world {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.fullSync("n3", "n1", "R", 0, nil, nil)
	c1 := w.write("n1", "R", cmd("SELECT", "0"), cmd("SET", "k1", "1"))
	c2 := w.write("n1", "R", cmd("SET", "k1", "2"))
	w.apply("n2", "R", c1)
	w.apply("n2", "R", c2)
	w.apply("n3", "R", c1)
	at := w.tick()
	w.in.Restarts = append(w.in.Restarts, Restart{Seq: w.seq, Node: "n1", CrashAt: at - 1, RestartAt: at,
		WasMaster: true, Loaded: kvs("k1", "2"), Repl: repl(c2.End())})
	w.offset["S"] = c2.End()
	w.fullSync("n4", "n1", "S", c2.End(), kvs("k1", "2"), kvs("k1", "2"))
	c3 := w.write("n1", "S", cmd("PING"))
	c4 := w.write("n1", "S", cmd("SET", "k1", "3"))
	w.apply("n2", "S", c3)
	w.apply("n2", "S", c4)
	w.apply("n3", "S", c2)
	w.read("n3", "k1", "2", true)
	w.apply("n3", "S", c3)
	w.apply("n3", "S", c4)
	w.read("n3", "k1", "3", true)
	return w
}

// A master restarted with the RDB's history as its secondary ID continues
// it under its new ID: bytes a replica takes under the new ID at offsets of
// the restored history are the old history's bytes.
func TestPrefixContinuesAcrossRestoredMasterRestart(t *testing.T) {
	w := restoredMaster(func(off int64) tap.ReplStatus {
		return tap.ReplStatus{Role: "master", ReplID: "S", ReplID2: "R", Offset: off, SecondOffset: off + 1}
	})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 2, res.Checked)
}

// Without a restored secondary ID the new ID has no past: the same bytes
// under it before its start are bytes its master never wrote.
func TestPrefixRestartWithoutRestoredIDHasNoPast(t *testing.T) {
	zero := "0000000000000000000000000000000000000000"
	for _, repl := range []func(int64) tap.ReplStatus{
		func(off int64) tap.ReplStatus {
			return tap.ReplStatus{Role: "master", ReplID: "S", ReplID2: zero, Offset: off, SecondOffset: -1}
		},
		func(off int64) tap.ReplStatus {
			return tap.ReplStatus{Role: "slave", ReplID: "S", ReplID2: "R", Offset: off, SecondOffset: off + 1}
		},
	} {
		w := restoredMaster(repl)
		res := CheckPrefix(w.in)
		require.Len(t, res.Violations, 1, "%+v", repl(0))
		assert.Contains(t, res.Violations[0].Detail, "replica n3 applied SET k1 2 at offset")
		assert.Contains(t, res.Violations[0].Detail, "of replication ID S")
		assert.Contains(t, res.Violations[0].Detail, "but its master never wrote anything there")
	}
}

// Keys with a TTL may read as missing once due on the replica's clock.
func TestPrefixExpiredKeyReadsNil(t *testing.T) {
	w := newWorld()
	w.in.WallOffset = 1e9 // the nodes' clocks read 1s at virtual time 0
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k1", "1", "PXAT", "1")))
	w.read("n2", "k1", "", false)
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	w.apply("n2", "R", w.write("n1", "R", cmd("SET", "k2", "1", "PXAT", "99999999999999")))
	w.read("n2", "k2", "", false)
	assert.Len(t, CheckPrefix(w.in).Violations, 1)
}

// After a restart a node's state is unknown until it syncs again.
func TestPrefixRestartMakesStateUnknown(t *testing.T) {
	w := healthy()
	at := w.tick()
	w.in.Restarts = append(w.in.Restarts, Restart{Seq: w.seq, Node: "n2", RestartAt: at})
	w.read("n2", "k1", "whatever", true)
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Unchecked)
}

func TestDescribeStream(t *testing.T) {
	assert.Equal(t, `SET k1 "a b"; INCR k2`, describeStream(enc(cmd("SET", "k1", "a b"), cmd("INCR", "k2"))))
	assert.Equal(t, `"\r\n"; SET k 1`, describeStream(append([]byte("\r\n"), enc(cmd("SET", "k", "1"))...)))
}

// After a full sync through SYNC (offset -1: its master refused PSYNC and
// Redis gives such a replica no offset), the replica's chunks are not
// placed on its master's stream until its next full sync (chaos seed
// 6936); after that they are checked again.
func TestPrefixStreamAfterSYNCIsNotPlaced(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", -1, nil, nil)
	w.write("n1", "R", cmd("SET", "k1", "1"))
	w.applyBytes("n2", "R", -1, []byte("*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$1\r\n1\r\n"))
	assert.Empty(t, CheckPrefix(w.in).Violations)
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.applyBytes("n2", "R", 0, []byte("\r\n"))
	assert.NotEmpty(t, CheckPrefix(w.in).Violations, "checked again after a PSYNC full sync")
}

// A replica that full-synced from a SYNC-synced replica numbers its stream
// by that replica's offsets, which no master wrote (chaos seed 1019609):
// not placed either, until its next full sync from a placed master.
func TestPrefixStreamBelowSYNCReplicaIsNotPlaced(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", -1, nil, nil)
	w.write("n1", "R", cmd("SET", "k1", "1"))
	w.fullSync("n3", "n2", "X", 5646, nil, nil)
	w.applyBytes("n3", "X", 5646, []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n"))
	assert.Empty(t, CheckPrefix(w.in).Violations)
	w.fullSync("n3", "n1", "R", 0, nil, nil)
	w.applyBytes("n3", "R", 0, []byte("\r\n"))
	assert.NotEmpty(t, CheckPrefix(w.in).Violations, "checked again after a full sync from a placed master")
}

// A snapshot's offset places it on a stream only if its sender's offsets
// were not numbered by a SYNC: n2 SYNC-synced from n3 (offset -1), then
// n4 full-synced from n2 (seed 3774267); n2's restart numbers it again.
func TestSendersNumberedBySYNC(t *testing.T) {
	syncs := []FullSync{
		{Seq: 1, Node: "n2", Master: "n1", Offset: 10},
		{Seq: 3, Node: "n2", Master: "n3", Offset: -1},
		{Seq: 4, Node: "n4", Master: "n2", Offset: 1362},
		{Seq: 5, Node: "n5", Master: "n4", Offset: 1400},
		{Seq: 7, Node: "n6", Master: "n2", Offset: 1500},
	}
	restarts := []Restart{{Seq: 6, Node: "n2"}}
	assert.Equal(t, []bool{false, false, true, true, false}, sendersNumberedBySYNC(syncs, nil, restarts))
	assert.Equal(t, []bool{false, false, true, true, true}, sendersNumberedBySYNC(syncs, nil, nil))
	proms := []Promotion{{Seq: 6, Node: "n2"}}
	assert.Equal(t, []bool{false, false, true, true, false}, sendersNumberedBySYNC(syncs, proms, nil))
}
