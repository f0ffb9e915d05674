package checker

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sec = int64(time.Second)

// crashAfter is master n1 acknowledging SET k1 v at [at-10ms, at] in epoch
// 0, crashing at crash and restarting with loaded.
func crashAfter(p Persistence, at, crash int64, loaded ...string) DurabilityInput {
	w := set(0, "k1", "v", at-sec/100, at)
	return DurabilityInput{
		Ops: ids([]Op{set(0, "k1", "old", 0, 10), w}),
		Restarts: []Restart{{Node: "n1", CrashAt: crash, RestartAt: crash + sec, WasMaster: true, Epoch: 0,
			Persistence: p, Loaded: kvs(loaded...)}},
	}
}

var (
	always   = Persistence{AppendOnly: true, AppendFsync: "always"}
	everysec = Persistence{AppendOnly: true, AppendFsync: "everysec"}
	rdbOnly  = Persistence{SaveRules: true}
)

func TestDurabilityAlwaysKeepsEveryAck(t *testing.T) {
	assert.Empty(t, CheckDurability(crashAfter(always, 5*sec, 5*sec+1, "k1", "v")))
	vs := CheckDurability(crashAfter(always, 5*sec, 5*sec+1, "k1", "old"))
	require.Len(t, vs, 1)
	assert.Equal(t, "durability", vs[0].Check)
	assert.Contains(t, vs[0].Detail, `master n1 (appendfsync always) crashed at 5.000000s and came back with key k1 = "old", losing the acknowledged write SET k1 "v"`)
	vs = CheckDurability(crashAfter(always, 5*sec, 5*sec+1))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "k1 = (nil)")
}

// Under always the reply leaves only after the fsync, so a reply that
// reached its client after the crash (in flight, or sent as the process
// exited on a failed AOF write) is for a write on disk all the same.
func TestDurabilityAlwaysKeepsAnAckArrivingAfterTheCrash(t *testing.T) {
	crash := 5 * sec
	assert.Empty(t, CheckDurability(crashAfter(always, crash+sec/1000, crash, "k1", "v")))
	vs := CheckDurability(crashAfter(always, crash+sec/1000, crash, "k1", "old"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `losing the acknowledged write SET k1 "v"`)
	// Under everysec a reply may leave before the fsync: one that arrived
	// after the crash is in the window.
	assert.Empty(t, CheckDurability(crashAfter(everysec, crash+sec/1000, crash, "k1", "old")))
}

func TestDurabilityEverysecWindow(t *testing.T) {
	// Acknowledged 1s before the crash: inside the 2s window, may be lost.
	assert.Empty(t, CheckDurability(crashAfter(everysec, 4*sec, 5*sec, "k1", "old")))
	// Acknowledged 3s before: must be there.
	vs := CheckDurability(crashAfter(everysec, 2*sec, 5*sec, "k1", "old"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "acknowledged more than 2s before the crash")
	in := crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
	in.EverysecWindow = 4 * time.Second
	assert.Empty(t, CheckDurability(in))
}

func TestDurabilityRDBOnlyNeverInvents(t *testing.T) {
	assert.Empty(t, CheckDurability(crashAfter(rdbOnly, 2*sec, 5*sec, "k1", "old")))
	vs := CheckDurability(crashAfter(rdbOnly, 2*sec, 5*sec, "k1", "invented"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "a value no write ever gave it")
}

// With persistence off the master comes back empty (fine), but a replica
// that then resyncs from it is the known hazard.
func TestDurabilityPersistenceOffHazard(t *testing.T) {
	in := crashAfter(Persistence{}, 2*sec, 5*sec)
	assert.Empty(t, CheckDurability(in))
	in.FullSyncs = []FullSync{{Node: "n2", Master: "n1", At: 7 * sec}}
	vs := CheckDurability(in)
	require.Len(t, vs, 1)
	assert.Equal(t, PropHazard, vs[0].Check, "reported as a hazard, not a durability failure")
	assert.Contains(t, vs[0].Detail, "known hazard redis#2087: master with persistence off restarted empty and replicas resynced to empty")
	assert.Contains(t, vs[0].Detail, "replica n2 resynced from it at 7.000000s")
}

// A replica's crash, or a write whose reply never came, proves nothing.
func TestDurabilityOnlyAckedMasterWrites(t *testing.T) {
	in := crashAfter(always, 5*sec, 5*sec+1, "k1", "old")
	in.Restarts[0].WasMaster = false
	assert.Empty(t, CheckDurability(in))
	in = crashAfter(always, 5*sec, 5*sec+1, "k1", "old")
	in.Ops[1].Unknown = true
	assert.Empty(t, CheckDurability(in))
}

// Under RDB snapshots only (here: the AOF waiting for its first rewrite),
// a relative write after an AOF fsync failure may reload on an older
// value, as under the AOF's own policies (gate seed 9709: INCR answered 1,
// the DEL before it in the pages the failure dropped, reloaded as 127).
// The key is still an integer; anything else is invented.
func TestDurabilityRDBOnlyRelativeAfterFsyncFailure(t *testing.T) {
	in := func(loaded string) DurabilityInput {
		return DurabilityInput{
			Ops: ids([]Op{set(0, "k1", "126", 0, 10),
				{Node: "n1", Kind: OpDel, Key: "k1", Int: 1, Call: sec, Return: sec + 10},
				{Node: "n1", Kind: OpIncr, Key: "k1", Int: 1, Call: 3 * sec, Return: 3*sec + 10}}),
			Restarts: []Restart{{Node: "n1", CrashAt: 5 * sec, RestartAt: 6 * sec, WasMaster: true,
				Persistence: rdbOnly, Loaded: kvs("k1", loaded)}},
			DiskFaults: []DiskFault{{Node: "n1", At: 2 * sec, Op: "sync", Path: "appendonlydir/appendonly.aof.2.incr.aof"}},
		}
	}
	assert.Empty(t, CheckDurability(in("127")))
	vs := CheckDurability(in("abc"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "a value no write ever gave it")
	noFault := in("127")
	noFault.DiskFaults = nil
	require.Len(t, CheckDurability(noFault), 1, "no failure: 127 is invented")
}

// A key COPY made from one with a TTL takes that TTL, and an INCR there
// keeps it: the key may be gone when the master comes back (seed
// 1021428). From a source without a TTL, it may not.
func TestDurabilityCopyCarriesTTL(t *testing.T) {
	history := func(ttl int64) DurabilityInput {
		src := set(0, "k0", "661", sec/10, sec/10+sec/100)
		src.TTL = ttl
		cp := Op{Client: 0, Node: "n1", Kind: OpCmd, Args: []string{"COPY", "k0", "k5"}, Key: "k5", Result: "1", Call: 2 * sec / 10, Return: 2*sec/10 + sec/100}
		incr := Op{Client: 0, Node: "n1", Kind: OpIncr, Key: "k5", Int: 662, Call: 3 * sec / 10, Return: 3*sec/10 + sec/100}
		return DurabilityInput{
			Ops: ids([]Op{src, cp, incr}),
			Restarts: []Restart{{Node: "n1", CrashAt: sec, RestartAt: 4 * sec, WasMaster: true, Epoch: 0,
				Persistence: always, Loaded: kvs()}},
		}
	}
	assert.Empty(t, CheckDurability(history(sec)))
	vs := CheckDurability(history(0))
	require.NotEmpty(t, vs)
	assert.Contains(t, vs[len(vs)-1].Detail, "k5 = (nil), losing the acknowledged write INCR k5")
}

// A key loaded with a TTL already past on the node's clock is gone for
// its readers: it explains a deletion (a writable replica's GETEX EXAT in
// the past leaves the key in place with that TTL, where a master deletes
// it), and a live copy does not.
func TestDurabilityLoadedKeyExpiredIsGone(t *testing.T) {
	del := Op{Client: 0, Node: "n1", Kind: OpDel, Key: "k1", Int: 1, Call: 2 * sec, Return: 2*sec + 10}
	in := DurabilityInput{
		Ops: ids([]Op{set(0, "k1", "old", 0, 10), del}),
		Restarts: []Restart{{Node: "n1", CrashAt: 5 * sec, RestartAt: 6 * sec, WasMaster: true,
			Persistence: always, Loaded: kvs("k1", "old")}},
		Clocks: Clocks{"n1": FixedClock(1767225600*sec, 0)},
	}
	in.Restarts[0].Loaded[0].ExpireAt = 920170000
	assert.Empty(t, CheckDurability(in), "expired in 1970")
	in.Restarts[0].Loaded[0].ExpireAt = 1767225600*1000 + 6000
	vs := CheckDurability(in)
	require.Len(t, vs, 1, "still live at the restart (Redis expires a key once now > when)")
	assert.Contains(t, vs[0].Detail, `came back with key k1 = "old", losing the acknowledged write`)
	in.Restarts[0].Loaded[0].ExpireAt = 0
	assert.Len(t, CheckDurability(in), 1, "no TTL")
}
