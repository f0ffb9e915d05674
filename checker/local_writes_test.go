package checker

import (
	"math"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLocalWritesAreThoseOnWritableReplicas: only writes a writable replica
// may have run count: not refused, and sent while the node was a replica
// with replica-read-only no (at any later time, for one with no reply).
func TestLocalWritesAreThoseOnWritableReplicas(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, true, true), replicaSettings(100, true, false, true), replicaSettings(200, true, true, true)}
	noReply := onN2(set(4, "k4", "x", 50, 0), "")
	noReply.Unknown = true
	ops := []Op{
		onN2(set(1, "k1", "x", 110, 120), ""),        // local
		onN2(set(2, "k2", "x", 10, 20), readOnlyErr), // refused
		onN2(set(3, "k3", "x", 10, 20), ""),          // read-only replica: not local (access says)
		noReply,                                      // may have run at 100 or later
		onN2(get(5, "k5", "x", true, 110, 120), ""),  // a read
		set(6, "k6", "x", 110, 120),                  // on n1, unknown to the settings
		onN2(set(7, "k7", "x", 90, 101), ""),         // straddles
	}
	var keys []string
	for _, op := range LocalWrites(LocalInput{Ops: ops, Settings: settings}) {
		keys = append(keys, op.Key)
	}
	assert.Equal(t, []string{"k1", "k4", "k7"}, keys)
}

// TestTaintsFollowFullSyncs: a full resync ends a replica's taints from
// writes that ended before it, not those of writes with no reply, and
// hands on its master's.
func TestTaintsFollowFullSyncs(t *testing.T) {
	noReply := onN2(set(2, "k2", "x", 20, 0), "")
	noReply.Unknown = true
	local := []Op{onN2(set(1, "k1", "x", 10, 20), ""), noReply}
	syncs := []FullSync{{At: 100, Node: "n3", Master: "n2"}, {At: 200, Node: "n2", Master: "n1"}}
	tt := newTaints(local, syncs)
	k1, k2 := dbKey{0, "k1"}, dbKey{0, "k2"}
	assert.True(t, tt.has("n2", k1, 10, 10))
	assert.False(t, tt.has("n2", k1, 0, 9), "not before the write")
	assert.True(t, tt.has("n2", k1, 150, 199))
	assert.False(t, tt.has("n2", k1, 200, math.MaxInt64), "ended by n2's full resync")
	assert.True(t, tt.has("n2", k2, 300, 300), "a write with no reply may still arrive")
	assert.True(t, tt.has("n3", k1, 100, 100), "n3 synced from n2's snapshot")
	assert.False(t, tt.has("n3", k1, 0, 99))
	assert.Equal(t, []tap.KeyValue{{Key: "k1"}, {Key: "k2"}}, LocalKeys(local, syncs, "n3", 500))
	assert.Equal(t, []tap.KeyValue{{Key: "k2"}}, LocalKeys(local, syncs, "n2", 500))
	assert.Empty(t, LocalKeys(local, syncs, "n1", 500))
}

// TestPrefixLeavesLocalKeysOut: a writable replica's read of a key written
// on it is not judged against its master's history, nor is a snapshot it
// sends; other keys and nodes still are.
func TestPrefixLeavesLocalKeysOut(t *testing.T) {
	w := healthy()
	local := onN2(set(9, "k1", "r5", w.now+1, w.now+2), "")
	w.now += 10
	w.read("n2", "k1", "r5", true)
	res := CheckPrefix(w.in)
	require.Len(t, res.Violations, 1, "without the local write the read is foreign")
	w.in.LocalWrites = []Op{local}
	res = CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Unchecked)

	// n2 hands its dataset on to n3: that snapshot is no state of R.
	w.fullSync("n3", "n2", "R", w.offset["R"], kvs("k1", "r5", "k2", "1"), kvs("k1", "r5", "k2", "1"))
	w.read("n3", "k1", "r5", true)
	w.read("n3", "k2", "2", true) // wrong: the master's k2 is 1
	res = CheckPrefix(w.in)
	require.Len(t, res.Violations, 1, "%v", res.Violations)
	assert.Contains(t, res.Violations[0].Detail, `replica n3 answered GET k2 with "2"`)
}

// TestConvergenceLeavesLocalKeysOut: keys written on a writable replica
// are not compared; any other difference still is.
func TestConvergenceLeavesLocalKeysOut(t *testing.T) {
	st := tap.ReplStatus{Role: "slave", MasterHost: "n1", LinkUp: true, ReplID: "R", Offset: 10}
	master := NodeState{Name: "n1", Repl: tap.ReplStatus{Role: "master", ReplID: "R", Offset: 10}, Data: kvs("k1", "1", "k2", "2"), Digest: "a"}
	replica := NodeState{Name: "n2", Repl: st, Data: kvs("k1", "r5", "k2", "2"), Digest: "b"}
	require.Len(t, CheckConvergence(master, replica), 1)
	replica.Local = []tap.KeyValue{{Key: "k1"}}
	assert.Empty(t, CheckConvergence(master, replica))
	replica.Data = kvs("k1", "r5", "k2", "3")
	vs := CheckConvergence(master, replica)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "(leaving out 1 keys written on a writable replica)")
	assert.Contains(t, vs[0].Detail, "db0 key k2")
	assert.NotContains(t, vs[0].Detail, "key k1")
}

// TestPromotionLocalKeyProvesNoLoss: a promoted node's key written on it
// while it was a writable replica is not counted as the old master's
// write lost on failover.
func TestPromotionLocalKeyProvesNoLoss(t *testing.T) {
	in := PromotionInput{Promotions: []Promotion{promotion(kvs("k1", "r5"), kvs("k1", "r5"))},
		Ops: ids([]Op{set(0, "k1", "1", 0, 10)}), Replicas: 1}
	assert.Equal(t, 1, CheckPromotion(in).LostOnFailover)
	in.LocalWrites = []Op{onN2(set(9, "k1", "r5", 20, 30), "")}
	assert.Zero(t, CheckPromotion(in).LostOnFailover)
}

// A master's RENAME (or a set command moving members) carries a writable
// replica's local value to another key of that replica: the destination
// is marked too, and so on for moves of moves (chaos seed 5992).
func TestLocalValuesMoveWithTheMastersRenames(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	ops := []Op{
		onN2(set(1, "k1", "x", 10, 20), ""),
		{ID: 2, Node: "n1", Kind: OpRename, Key: "k1", Key2: "k3", Call: 30, Return: 40},
		{ID: 3, Node: "n1", Kind: OpCmd, Key: "k3", Args: []string{"SUNIONSTORE", "s9", "k3", "s2"}, Int: 1, Call: 50, Return: 60},
		{ID: 4, Node: "n1", Kind: OpRename, Key: "k5", Key2: "k6", Call: 30, Return: 40}, // moves nothing local
	}
	local := LocalWrites(LocalInput{Ops: ops, Settings: settings})
	require.Len(t, local, 3)
	tt := newTaints(local, nil)
	for _, k := range []string{"k1", "k3", "s9"} {
		assert.True(t, tt.has("n2", dbKey{0, k}, 100, 100), k)
	}
	assert.False(t, tt.has("n2", dbKey{0, "k6"}, 100, 100))
	assert.False(t, tt.has("n1", dbKey{0, "k3"}, 100, 100), "the master holds no local value")
}

// A second move onto a key marked before, whose mark a full resync ended,
// marks it again from then.
func TestLocalValuesMoveAgainAfterAResync(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	ops := []Op{
		onN2(set(1, "k1", "x", 10, 20), ""),
		{ID: 2, Node: "n1", Kind: OpRename, Key: "k1", Key2: "k3", Call: 30, Return: 40},
		onN2(set(3, "k1", "y", 110, 120), ""),
		{ID: 4, Node: "n1", Kind: OpRename, Key: "k1", Key2: "k3", Call: 130, Return: 140},
	}
	syncs := []FullSync{{At: 100, Node: "n2", Master: "n1"}}
	tt := newTaints(LocalWrites(LocalInput{Ops: ops, Settings: settings, FullSyncs: syncs}), syncs)
	assert.False(t, tt.has("n2", dbKey{0, "k3"}, 101, 129), "ended by the resync")
	assert.True(t, tt.has("n2", dbKey{0, "k3"}, 200, 200), "marked again by the second move")
}

// A FLUSHALL on a writable replica removes keys only the master's clients
// named: they are marked local on that replica too (chaos seed 3764).
func TestLocalFlushMarksEveryKey(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	ops := []Op{
		{ID: 1, Node: "n1", DB: 1, Kind: OpSet, Key: "d1:k1", Value: "5", Call: 5, Return: 8},
		onN2(Op{ID: 2, Kind: OpFlush, Mode: "ALL", Call: 10, Return: 20}, ""),
	}
	tt := newTaints(LocalWrites(LocalInput{Ops: ops, Settings: settings}), nil)
	assert.True(t, tt.has("n2", dbKey{1, "d1:k1"}, 30, 30))
	assert.False(t, tt.has("n1", dbKey{1, "d1:k1"}, 30, 30))
}

// TestLocalValueFollowsRename: the master's RENAME moves a value written
// locally on a writable replica to the destination there (seed 11359).
func TestLocalValueFollowsRename(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	local := onN2(set(2, "k1", "r797", 10, 20), "")
	rename := Op{ID: 3, Client: 3, Kind: OpRename, Key: "k1", Key2: "k6", Node: "n1", Call: 30, Return: 40, Args: []string{"RENAME", "k1", "k6"}}
	lw := LocalWrites(LocalInput{Ops: []Op{local, rename}, Settings: settings})
	assert.Equal(t, []tap.KeyValue{{Key: "k1"}, {Key: "k6"}}, LocalKeys(lw, nil, "n2", 500))
	assert.Empty(t, LocalKeys(lw, nil, "n1", 500), "the master holds no local value")
}

// A local MOVE to db 9 taints the moved key by the name db 9 holds it
// under, as well as the model's "d9:" name (seed 6601: a writable
// replica's MOVE k3 9 was compared with its master's db 9).
func TestLocalMoveTaintsTheKeyInItsNewDB(t *testing.T) {
	move := onN2(Op{Client: 1, Kind: OpCmd, Key: "k3", Args: []string{"MOVE", "k3", "9"}, Call: 10, Return: 20, Int: 1}, "")
	got := LocalKeys([]Op{move}, nil, "n2", 30)
	assert.Contains(t, got, tap.KeyValue{DB: 9, Key: "k3"})
	assert.Contains(t, got, tap.KeyValue{Key: "k3"})
}

// A master's MOVE (or COPY ... DB) carries a writable replica's local
// value to the key of the same name in another db there: that key is
// marked too (seed 2046974: a writable replica's ZMPOP popped from z7,
// then the master's MOVE z7 9, and the replica's db 9 z7 lacked the
// popped members).
func TestLocalValuesMoveWithTheMastersMoves(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	ops := []Op{
		onN2(Op{ID: 1, Client: 1, Kind: OpCmd, Key: "z6", Args: []string{"ZMPOP", "2", "z6", "z7", "MAX", "COUNT", "2"}, Call: 10, Return: 20}, ""),
		{ID: 2, Node: "n1", Kind: OpCmd, Key: "z7", Args: []string{"MOVE", "z7", "9"}, Int: 1, Call: 30, Return: 40},
		{ID: 3, Node: "n1", Kind: OpCmd, Key: "z6", Args: []string{"COPY", "z6", "z8", "DB", "5"}, Int: 1, Call: 30, Return: 40},
		{ID: 4, Node: "n1", Kind: OpCmd, Key: "z5", Args: []string{"MOVE", "z5", "9"}, Int: 1, Call: 30, Return: 40}, // moves nothing local
	}
	local := LocalWrites(LocalInput{Ops: ops, Settings: settings})
	got := LocalKeys(local, nil, "n2", 100)
	assert.Contains(t, got, tap.KeyValue{DB: 9, Key: "z7"})
	assert.Contains(t, got, tap.KeyValue{DB: 5, Key: "z8"})
	assert.NotContains(t, got, tap.KeyValue{DB: 9, Key: "z5"})
	assert.Empty(t, LocalKeys(local, nil, "n1", 100), "the master holds no local value")
}

// A local write that only sets or removes a TTL taints its key: the
// replica expires a TTL it set itself (sweep seed 3223654: PEXPIRE d1:k6
// on a writable replica, whose key was gone, and only there, at the end).
func TestLocalTTLChangeTaintsTheKey(t *testing.T) {
	pexpire := Op{Node: "n2", DB: 1, Kind: OpExpire, Key: "d1:k6", TTL: 452, Int: 1, Call: 10, Return: 20,
		Args: []string{"PEXPIRE", "d1:k6", "452", "LT"}}
	persist := Op{Node: "n2", Kind: OpPersist, Key: "k1", Int: 1, Call: 30, Return: 40}
	tx := Op{Node: "n2", Kind: OpTx, Call: 50, Return: 60, Sub: []Op{{Kind: OpExpire, Key: "k2", TTL: 100, Int: 1}}}
	getex := Op{Node: "n2", Kind: OpCmd, Key: "k3", Args: []string{"GETEX", "k3", "PERSIST"}, Result: "5", Exists: true, Call: 50, Return: 60}
	assert.Empty(t, keyWrites(&pexpire, nil), "the value stays: no value write")
	assert.Empty(t, keyWrites(&getex, nil))
	local := []Op{pexpire, persist, tx, getex}
	assert.Equal(t, []tap.KeyValue{{Key: "k1"}, {Key: "k2"}, {Key: "k3"}, {DB: 1, Key: "d1:k6"}, {DB: 1, Key: "k6"}}, LocalKeys(local, nil, "n2", 100))
	tt := newTaints(local, nil)
	assert.False(t, tt.has("n2", dbKey{1, "d1:k6"}, 0, 9), "not before the PEXPIRE")
	assert.Empty(t, LocalKeys(local, []FullSync{{At: 70, Node: "n2", Master: "n1"}}, "n2", 100), "a full resync replaces them")
}

// A master's move carries a local value its replica was handed by a full
// sync from the writable node too (seed 38152: writable n3's RPUSH l0, n4's
// full sync from n3, then n3, promoted, ran RPOPLPUSH l0 l5: n4's l5 holds
// n3's value, and n1, which had no such l0, has no l5).
func TestLocalValuesMoveOnTheReplicasTheyWereHandedTo(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true), {At: 50, Node: "n2", Settings: tap.Settings{}}}
	ops := []Op{
		onN2(Op{ID: 1, Client: 1, Kind: OpCmd, Key: "l0", Args: []string{"RPUSH", "l0", "c", "9"}, Int: 2, Call: 10, Return: 20}, ""),
		onN2(Op{ID: 2, Client: 2, Kind: OpCmd, Key: "l0", Args: []string{"RPOPLPUSH", "l0", "l5"}, Result: "9", Exists: true, Call: 200, Return: 210}, ""),
	}
	syncs := []FullSync{{At: 100, Node: "n4", Master: "n2"}}
	local := LocalWrites(LocalInput{Ops: ops, Settings: settings, FullSyncs: syncs})
	assert.Contains(t, LocalKeys(local, syncs, "n4", 300), tap.KeyValue{Key: "l5"})
	assert.Contains(t, LocalKeys(local, syncs, "n2", 300), tap.KeyValue{Key: "l5"})
	unsynced := LocalWrites(LocalInput{Ops: ops, Settings: settings})
	assert.Empty(t, LocalKeys(unsynced, nil, "n4", 300), "without the sync n4 holds nothing local")
	assert.Empty(t, LocalKeys(local, syncs, "n1", 300))
}

// A master's move that returned before a writable replica's full sync
// reaches it after the load, from the stream that follows the snapshot;
// a local write in flight across the load may run before it, so the move
// carries that value past the sync (seed 59781: SET k3 r409 on n3 across
// its full sync, then the master's RENAME k3 k7 from the stream, and n3's
// GET k7 read r409).
func TestLocalValueMovedAfterAFullSyncByAnEarlierMove(t *testing.T) {
	settings := []SettingsChange{replicaSettings(0, true, false, true)}
	rename := Op{ID: 2, Node: "n1", Kind: OpRename, Key: "k3", Key2: "k7", Call: 88, Return: 91}
	for _, c := range []struct {
		call, ret int64
		kept      bool
	}{{109, 111, true}, {105, 108, false}, {112, 115, false}} {
		ops := []Op{onN2(set(1, "k3", "r409", c.call, c.ret), ""), rename}
		syncs := []FullSync{{At: 110, Node: "n2", Master: "n1"}}
		tt := newTaints(LocalWrites(LocalInput{Ops: ops, Settings: settings, FullSyncs: syncs}), syncs)
		assert.Equal(t, c.kept, tt.has("n2", dbKey{0, "k7"}, 120, 120), "SET k3 over [%d, %d]", c.call, c.ret)
	}
}
