package checker

import (
	"testing"
	"time"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nodeState(name string, r tap.ReplStatus, data ...string) NodeState {
	d := kvs(data...)
	digest := "empty"
	for _, kv := range d {
		digest += kv.Key + "=" + kv.Value + ";"
	}
	return NodeState{Name: name, Repl: r, Data: d, Digest: digest}
}

var (
	mst = tap.ReplStatus{Role: "master", ReplID: "R", Offset: 100}
	rep = tap.ReplStatus{Role: "slave", MasterHost: "n1", LinkUp: true, LinkState: "connected", ReplID: "R", Offset: 100}
)

func TestConvergenceHealthy(t *testing.T) {
	assert.Empty(t, CheckConvergence(nodeState("n1", mst, "k", "1"), nodeState("n2", rep, "k", "1")))
}

func TestConvergenceLagIsLiveness(t *testing.T) {
	r := rep
	r.LinkUp, r.LinkState, r.Offset = false, "connect", 40
	vs := CheckConvergenceWithin(nodeState("n1", mst), nodeState("n2", r), time.Minute)
	require.Len(t, vs, 1)
	assert.Equal(t, "convergence", vs[0].Check)
	assert.Equal(t, "liveness: replica n2 did not catch up with master n1 within 1m0s of healing: link down (connect), replica offset 40, master offset 100 (60 bytes behind)", vs[0].Detail)
}

func TestConvergenceDataDiffers(t *testing.T) {
	vs := CheckConvergence(nodeState("n1", mst, "k", "1"), nodeState("n2", rep, "k", "2"))
	require.Len(t, vs, 1)
	assert.Equal(t, `replica n2's dataset differs from master n1's at offset 100: db0 key k: master "1", replica "2"`, vs[0].Detail)
}

func TestConvergenceOtherHistoryOrMaster(t *testing.T) {
	r := rep
	r.ReplID = "Q"
	vs := CheckConvergence(nodeState("n1", mst), nodeState("n2", r))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "on another history")
	r = rep
	r.MasterHost = "n3"
	vs = CheckConvergence(nodeState("n1", mst), nodeState("n2", r))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "replica n2 follows n3, not master n1")
}

// A replica last synced through SYNC (its master refused PSYNC) has no
// offset on its master's history (chaos seed 6936): the offsets are a
// hazard, not a failure, but its data is still compared.
func TestConvergenceAfterSYNCIsAHazard(t *testing.T) {
	r := rep
	r.Offset = 40
	bySync := nodeState("n2", r, "k", "1")
	bySync.SyncedBySYNC = true
	vs := CheckConvergence(nodeState("n1", mst, "k", "1"), bySync)
	require.Len(t, vs, 1)
	assert.Equal(t, PropHazard, vs[0].Check)
	bySync = nodeState("n2", r, "k", "2")
	bySync.SyncedBySYNC = true
	vs = CheckConvergence(nodeState("n1", mst, "k", "1"), bySync)
	require.Len(t, vs, 2)
	assert.Equal(t, PropConvergence, vs[1].Check, "the data still must match")
	r.LinkUp, r.LinkState = false, "connect"
	down := nodeState("n2", r, "k", "1")
	down.SyncedBySYNC = true
	vs = CheckConvergence(nodeState("n1", mst, "k", "1"), down)
	require.Len(t, vs, 1)
	assert.Equal(t, PropConvergence, vs[0].Check, "a link that is down is still a failure")
}

// A replica counts as synced by SYNC after a full sync with no offset,
// until a full sync through PSYNC, a promotion or a restart; other nodes'
// events do not count.
func TestLastSyncBySYNC(t *testing.T) {
	syncs := []FullSync{{Seq: 1, Node: "n2", Offset: 100}, {Seq: 2, Node: "n3", Offset: -1}, {Seq: 3, Node: "n2", Offset: -1}}
	assert.True(t, LastSyncBySYNC(syncs, nil, nil, "n2"))
	assert.True(t, LastSyncBySYNC(syncs, nil, nil, "n3"))
	assert.False(t, LastSyncBySYNC(syncs, nil, nil, "n1"))
	assert.True(t, LastSyncBySYNC(syncs, []Promotion{{Seq: 4, Node: "n3"}}, []Restart{{Seq: 5, Node: "n1"}}, "n2"))
	assert.False(t, LastSyncBySYNC(syncs, []Promotion{{Seq: 4, Node: "n2"}}, nil, "n2"), "promoted since")
	assert.False(t, LastSyncBySYNC(syncs, nil, []Restart{{Seq: 4, Node: "n2"}}, "n2"), "restarted since")
	assert.True(t, LastSyncBySYNC(syncs, []Promotion{{Seq: 1, Node: "n2"}}, nil, "n2"), "promoted before the sync")
	syncs = append(syncs, FullSync{Seq: 6, Node: "n2", Offset: 0})
	assert.False(t, LastSyncBySYNC(syncs, nil, nil, "n2"))
}

// A replica that full-synced from a SYNC-synced replica takes its offsets
// (chaos seed 1019609: n4 under n2, one byte off master n1 like n2).
func TestLastSyncBySYNCInheritedFromMaster(t *testing.T) {
	syncs := []FullSync{{Seq: 1, Node: "n2", Master: "n3", Offset: -1}, {Seq: 2, Node: "n4", Master: "n2", Offset: 5646}}
	assert.True(t, LastSyncBySYNC(syncs, nil, nil, "n4"))
	assert.False(t, LastSyncBySYNC(syncs, []Promotion{{Seq: 0, Node: "n2"}, {Seq: 3, Node: "n4"}}, nil, "n4"), "promoted since")
	syncs = append([]FullSync{{Seq: 0, Node: "n4", Master: "n2", Offset: 10}}, syncs[0])
	assert.False(t, LastSyncBySYNC(syncs, nil, nil, "n4"), "synced from n2 before n2's SYNC")
}

// A zset whose score is -0 has one DEBUG DIGEST as a skiplist (which keeps
// the sign) and another as a listpack (which drops it), as in Redis
// 7.0.15; the data, where every zero score is 0, are the same, and they
// decide (sweep seed 3303009: a replica with a higher
// zset-max-listpack-entries loaded its master's skiplist as a listpack).
func TestConvergenceZeroSignIsNotADivergence(t *testing.T) {
	state := func(name string, r tap.ReplStatus, entries string) NodeState {
		h := nodetest.NewDefault(t)
		c := h.Conn()
		require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "zset-max-listpack-entries", entries))
		require.Equal(t, ":1\r\n", h.DoString(c, "ZADD", "z", "-0", "m"))
		return NodeState{Name: name, Repl: r, Data: h.Node.Dataset(), Digest: h.Node.Digest()}
	}
	skiplist, listpack := state("n1", mst, "0"), state("n2", rep, "128")
	require.NotEqual(t, skiplist.Digest, listpack.Digest)
	assert.Empty(t, CheckConvergence(skiplist, listpack))

	listpack.Data[0].Value += "x" // any other difference is one
	vs := CheckConvergence(skiplist, listpack)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "dataset differs")
}

// A replica whose chained master has an AOF write error nothing will
// clear cannot sync (its PING gets MISCONF, as from Redis): a hazard.
func TestConvergenceBehindStuckAOFIsAHazard(t *testing.T) {
	r := rep
	r.LinkUp, r.LinkState, r.Offset = false, "connect", 0
	st := nodeState("n3", r)
	st.Chain = []string{"n4", "n1"}
	st.StuckAOF = "n4"
	vs := CheckConvergenceWithin(nodeState("n1", mst, "k", "1"), st, time.Minute)
	require.Len(t, vs, 2)
	for _, v := range vs {
		assert.Equal(t, PropHazard, v.Check)
		assert.Contains(t, v.Detail, "n4, upstream, has an AOF write error nothing will clear")
	}
	st.StuckAOF = ""
	vs = CheckConvergenceWithin(nodeState("n1", mst, "k", "1"), st, time.Minute)
	require.Len(t, vs, 2)
	assert.Equal(t, PropConvergence, vs[0].Check)
}
