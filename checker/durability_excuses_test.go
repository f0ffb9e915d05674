package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Under appendfsync always no injected write or fsync failure excuses the
// loss of an acknowledged write: Redis exits on such a failure before it
// replies, and every earlier reply waited for its fsync. The same faults
// excuse the loss under everysec.
func TestDurabilityAlwaysDiskFaultsExcuseNothing(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	faults := map[string]DiskFault{
		"fsync failure after the ack":   {At: 2*sec + sec/2, Node: "n1", Op: "sync", Path: incr},
		"write failure after the ack":   {At: 2*sec + sec/2, Node: "n1", Op: "write", Path: incr},
		"fsync failure during the call": {At: 2*sec - sec/200, Node: "n1", Op: "sync", Path: incr},
		"fsync failure at the crash":    {At: 5 * sec, Node: "n1", Op: "sync", Path: incr},
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			in := crashAfter(always, 2*sec, 5*sec, "k1", "old")
			in.DiskFaults = []DiskFault{f}
			vs := CheckDurability(in)
			require.Len(t, vs, 1, "always: the fault excuses nothing")
			assert.Equal(t, PropDurability, vs[0].Check)
			assert.Contains(t, vs[0].Detail, `(appendfsync always) crashed at 5.000000s and came back with key k1 = "old", losing the acknowledged write SET k1 "v"`)

			in = crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
			in.DiskFaults = []DiskFault{f}
			if f.At >= 2*sec-sec/100 && f.At < 5*sec {
				assert.Empty(t, CheckDurability(in), "everysec: the failure may have dropped the unsynced write")
			}
		})
	}
}

// Under always the history as recorded (the write acknowledged, the key
// back with its old value) fails even when the acknowledged write was the
// last thing before the crash: there is no loss window.
func TestDurabilityAlwaysNoWindow(t *testing.T) {
	in := crashAfter(always, 5*sec, 5*sec, "k1", "old")
	require.Len(t, CheckDurability(in), 1)
	in.Restarts[0].Loaded = nil
	require.Len(t, CheckDurability(in), 1, "the key gone entirely")
	in.Restarts[0].Loaded = kvs("k1", "old")
	in.Ops[1].Unknown = true
	assert.Empty(t, CheckDurability(in), "a write whose reply never came may be lost")
}

// Only a flip in a file without a checksum excuses a restart: an AOF or
// its manifest. A flip in an RDB (a dump, an AOF's RDB base) makes the
// load fail on its CRC, so a load that read one and went on proves a bug.
func TestDurabilityBitflipExcusesOnlyUnchecksummedFiles(t *testing.T) {
	cases := []struct {
		path    string
		excused bool
	}{
		{"appendonlydir/appendonly.aof.3.incr.aof", true},
		{"appendonlydir/appendonly.aof.2.base.aof", true},
		{"appendonlydir/appendonly.aof.manifest", true},
		{"appendonlydir/appendonly.aof.2.base.rdb", false},
		{"dump.rdb", false},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			in := crashAfter(always, 2*sec, 5*sec, "k1", "old")
			r := in.Restarts[0]
			in.DiskFaults = []DiskFault{{At: r.RestartAt, Node: r.Node, Op: "bitflip", Path: c.path}}
			if c.excused {
				assert.Empty(t, CheckDurability(in))
			} else {
				assert.Len(t, CheckDurability(in), 1)
			}
			in.DiskFaults[0].Node = "n2"
			assert.Len(t, CheckDurability(in), 1, "a flip on another node's disk excuses nothing")
		})
	}
}

// A node wiped after refusing its files restarts with no persistence (as
// the cluster records it): nothing it acknowledged is owed, and only the
// persistence-off hazard is judged.
func TestDurabilityWipedNodeOwesNothing(t *testing.T) {
	in := crashAfter(Persistence{}, 2*sec, 5*sec)
	assert.Empty(t, CheckDurability(in))
}

// Seed 4303088: an everysec fsync of the AOF failed (dropping the unsynced
// pages, a SELECT 1 among them); writes to db 1 acknowledged after it
// reloaded into db 0. Redis keeps aof_selected_db across the failure, so
// that is a hazard, not a durability failure; without an AOF fault before
// the write, or with the key nowhere else, it stays a violation.
func TestDurabilitySelectDroppedIsAHazard(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	input := func(faults []DiskFault, loaded ...tap.KeyValue) DurabilityInput {
		ops := ids([]Op{set(0, "k1", "old", 0, 10), set(0, "k1", "v", 2*sec-sec/100, 2*sec)})
		for i := range ops {
			ops[i].DB = 1
		}
		return DurabilityInput{
			Ops: ops,
			Restarts: []Restart{{Node: "n1", CrashAt: 5 * sec, RestartAt: 6 * sec, WasMaster: true,
				Persistence: everysec, Loaded: loaded}},
			DiskFaults: faults,
		}
	}
	fault := []DiskFault{{At: 1 * sec, Node: "n1", Op: "sync", Path: incr}}
	misplaced := []tap.KeyValue{{DB: 0, Key: "k1", Value: "v"}, {DB: 1, Key: "k1", Value: "old"}}
	vs := CheckDurability(input(fault, misplaced...))
	require.Len(t, vs, 1)
	assert.Equal(t, PropHazard, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "the key came back in db 0 instead")

	vs = CheckDurability(input(nil, misplaced...))
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check, "no AOF fault: a misplaced write is the node's")
	vs = CheckDurability(input(fault, tap.KeyValue{DB: 1, Key: "k1", Value: "old"}))
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check, "the key nowhere else: lost, not misplaced")

	// Gate seed 3076540: DEL k1 (db 1) reloaded into db 0, where it found
	// nothing, so k1 kept its old value in db 1; another key of the run,
	// k2, came back in db 0 instead of db 1: the SELECT was dropped.
	withDel := func(faults []DiskFault, loaded ...tap.KeyValue) DurabilityInput {
		in := input(faults, loaded...)
		del := Op{Kind: OpDel, Key: "k1", Int: 1, Node: "n1", Call: 2*sec + sec/2, Return: 2*sec + sec/2 + 10, DB: 1}
		k2 := set(0, "k2", "w", 2*sec+sec/4, 2*sec+sec/4+10)
		k2.DB = 1
		in.Ops = ids(append(in.Ops, k2, del))
		return in
	}
	oldK1 := tap.KeyValue{DB: 1, Key: "k1", Value: "v"}
	vs = CheckDurability(withDel(fault, oldK1, tap.KeyValue{DB: 1, Key: "k2", Value: "w"}, tap.KeyValue{DB: 0, Key: "k2", Value: "w"}))
	require.Len(t, vs, 1)
	assert.Equal(t, PropHazard, vs[0].Check)
	assert.Contains(t, vs[0].Detail, "key k1 = \"v\", losing the acknowledged write DEL")
	assert.Contains(t, vs[0].Detail, "key k2 came back in db 0 instead of its own")
	vs = CheckDurability(withDel(fault, oldK1, tap.KeyValue{DB: 1, Key: "k2", Value: "w"}))
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check, "no key misplaced: the DEL is lost")
}

// Seed 4527664: SET k1 5 was not owed (another master's epoch, or
// everysec) and a failed fsync dropped it; INCR k1 -> 6, acknowledged
// under always, was synced after it and reloaded on nothing, as 1. With
// an AOF failure before the INCR its value is not promised, only an
// integer; without one, or with no unowed write before it, it is.
func TestDurabilityRelativeWriteOnADroppedBase(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	input := func(faults []DiskFault, baseEpoch int, loaded ...string) DurabilityInput {
		base := set(0, "k1", "5", 0, 10)
		base.Epoch = baseEpoch
		ops := ids([]Op{base, {Client: 1, Node: "n1", Epoch: 1, Kind: OpIncr, Key: "k1", Int: 6, Call: 3 * sec, Return: 3*sec + 10}})
		return DurabilityInput{
			Ops: ops,
			Restarts: []Restart{{Node: "n1", CrashAt: 5 * sec, RestartAt: 6 * sec, WasMaster: true, Epoch: 1,
				Persistence: always, Loaded: kvs(loaded...)}},
			DiskFaults: faults,
		}
	}
	fault := []DiskFault{{At: 2 * sec, Node: "n1", Op: "sync", Path: incr}}
	assert.Empty(t, CheckDurability(input(fault, 0, "k1", "1")), "the base dropped: any integer")
	assert.Empty(t, CheckDurability(input(fault, 0, "k1", "6")))
	assert.Len(t, CheckDurability(input(fault, 0, "k1", "v")), 1, "INCR leaves an integer")
	assert.Len(t, CheckDurability(input(fault, 0)), 1, "INCR leaves the key")
	assert.Len(t, CheckDurability(input(nil, 0, "k1", "1")), 1, "no AOF failure: the base was synced with the INCR")
	late := []DiskFault{{At: 4 * sec, Node: "n1", Op: "sync", Path: incr}}
	assert.Len(t, CheckDurability(input(late, 0, "k1", "1")), 1, "a failure after the INCR drops nothing it synced")
	assert.Len(t, CheckDurability(input(fault, 1, "k1", "1")), 1, "the base owed too (always, this epoch): it cannot be gone")
}
