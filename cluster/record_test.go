package cluster

import (
	"testing"
	"time"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
)

func testCluster(timeline ...TimelineEvent) *Cluster {
	replica := node.DefaultConfig()
	replica.ReplicaOfHost = "n1"
	return &Cluster{nodes: []*simNode{{name: "n1", cfg: node.DefaultConfig()}, {name: "n2", cfg: replica}, {name: "n3", cfg: replica}},
		timeline: timeline}
}

func TestMastershipsAndRoles(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1},
		TimelineEvent{At: 200, Kind: "proc_crash", Node: "n2", Epoch: 2},
		TimelineEvent{At: 250, Kind: "proc_crash", Node: "n3", Epoch: 2},
		TimelineEvent{At: 300, Kind: "proc_restart", Node: "n2", Epoch: 2},
	)
	assert.Equal(t, []mastership{
		{node: "n1", epoch: 0, from: 0, to: 100},
		{node: "n2", epoch: 1, from: 100, to: 200},
		{node: "n2", epoch: 2, from: 200, to: 1<<63 - 1},
	}, h.masterships())
	roles := h.Roles()
	assert.Equal(t, checker.RoleChange{At: 0, Node: "n1", Role: "master"}, roles[0])
	assert.Contains(t, roles, checker.RoleChange{At: 100, Node: "n1", Role: "slave"})
	assert.Contains(t, roles, checker.RoleChange{At: 100, Node: "n2", Role: "master"})
	assert.Contains(t, roles, checker.RoleChange{At: 250, Node: "n3", Role: "down"})
	assert.Contains(t, roles, checker.RoleChange{At: 300, Node: "n2", Role: "slave"}, "a restart comes back in the configured role")
}

// A replica reader's operations on a node join the linearizability history
// only while that node is master; a straddling write joins, a straddling
// read does not.
func TestLinHistoryTakesReaderOpsOnMasters(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1})
	h.masterOps = []checker.Op{{Node: "n1", Kind: checker.OpSet, Key: "k", Value: "m", Call: 1, Return: 2}}
	h.replicaOps = []checker.Op{
		{ID: 0, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 10, Return: 20},              // replica read: prefix's
		{ID: 1, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 90, Return: 110},             // straddles: ambiguous
		{ID: 2, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 95, Return: 105}, // straddles: a write
		{ID: 3, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 120, Return: 130},            // on the master
		{ID: 4, Node: "n3", Kind: checker.OpSet, Key: "k", Value: "x", Call: 120, Return: 130, // a replica's refusal
			Err: "READONLY"},
	}
	got := h.LinHistory()
	var ids []int
	for _, op := range got[1:] {
		ids = append(ids, op.ID)
		assert.Equal(t, 1, op.Epoch)
	}
	assert.Equal(t, []int{2, 3}, ids)
	assert.Len(t, h.masterOps, 1, "the master history itself is not touched")
}

// A straddling write on a replica with replica-read-only off may have run
// before the promotion, and the master's stream overwritten it: its
// outcome in the epoch is unknown (seed 76591). One on a read-only
// replica, or sent after the promotion, keeps its reply.
func TestLinHistoryStraddlingWriteOnWritableReplica(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1})
	replica := func(at int64, node string, readOnly bool) checker.SettingsChange {
		return checker.SettingsChange{At: at, Node: node, Settings: tap.Settings{Replica: true, LinkUp: true, ReadOnly: readOnly}}
	}
	h.rec.settings = []checker.SettingsChange{replica(0, "n2", false), replica(0, "n3", true),
		{At: 100, Node: "n2", Settings: tap.Settings{ReadOnly: false}}}
	h.replicaOps = []checker.Op{
		{ID: 0, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 95, Return: 105},
		{ID: 1, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "s", Call: 110, Return: 120},
	}
	unknown := map[int]bool{}
	for _, op := range h.LinHistory() {
		unknown[op.ID] = op.Unknown
	}
	assert.Equal(t, map[int]bool{0: true, 1: false}, unknown)

	// Read-only until the promotion: its OK says it ran as master.
	h.rec.settings[0].ReadOnly = true
	for _, op := range h.LinHistory() {
		assert.False(t, op.Unknown, "%+v", op)
	}
	// Made writable while the write was in flight.
	h.rec.settings = append(h.rec.settings[:2:2], replica(97, "n2", false), h.rec.settings[2])
	for _, op := range h.LinHistory() {
		assert.Equal(t, op.ID == 0, op.Unknown, "%+v", op)
	}
}

// A master client's read answered after its epoch ended may have run in a
// later epoch and is left out; so is a failed INCR (it only reads). Reads
// and writes answered within the epoch, writes straddling its end, WAITs
// and ops with no reply stay (seed 5787).
func TestLinHistoryDropsReadsAnsweredAfterTheirEpoch(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: "op_demote", Node: "n1", Epoch: 1},
		TimelineEvent{At: 200, Kind: "op_promote", Node: "n1", Epoch: 2},
	)
	h.masterOps = []checker.Op{
		{ID: 0, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 10, Return: 20},
		{ID: 1, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 50, Return: 210}, // may have run in epoch 2
		{ID: 2, Node: "n1", Kind: checker.OpIncr, Key: "k", Call: 60, Return: 150, Err: "ERR value is not an integer or out of range"},
		{ID: 3, Node: "n1", Kind: checker.OpIncr, Key: "k", Call: 70, Return: 150, Int: 3},
		{ID: 4, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 80, Unknown: true},
		{ID: 5, Node: "n1", Kind: checker.OpWait, Call: 90, Return: 150, Replicas: 2, Int: 2},
		{ID: 6, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 90, Return: 100}, // at the change: ran before it
		{ID: 7, Node: "n1", Epoch: 1, Kind: checker.OpGet, Key: "k", Call: 120, Return: 130},
		{ID: 8, Node: "n1", Epoch: 2, Kind: checker.OpGet, Key: "k", Call: 220, Return: 230},
		{ID: 9, Node: "n1", Kind: checker.OpCmd, Key: "h", Args: []string{"HGET", "h", "f"}, Call: 50, Return: 210},  // a read too
		{ID: 10, Node: "n1", Kind: checker.OpCmd, Key: "h", Args: []string{"HDEL", "h", "f"}, Call: 50, Return: 210}, // a write
	}
	var ids []int
	for _, op := range h.LinHistory() {
		ids = append(ids, op.ID)
	}
	assert.Equal(t, []int{0, 3, 4, 5, 6, 8, 10}, ids)
}

// A replica reader whose node became master writes to that master: the
// promotion check must see the write, or a later value it left looks like
// a WAIT-confirmed write lost on failover (seed 189).
func TestPromotionInputHasReaderWritesOnMasters(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1},
		TimelineEvent{At: 300, Kind: "op_promote", Node: "n1", Epoch: 2},
	)
	h.opts.Replicas = 2
	h.masterOps = []checker.Op{
		{ID: 0, Client: 0, Node: "n2", Epoch: 1, Kind: checker.OpSet, Key: "k", Value: "1", Call: 110, Return: 120},
		{ID: 1, Client: 0, Node: "n2", Epoch: 1, Kind: checker.OpWait, Replicas: 2, Int: 2, Call: 130, Return: 140},
	}
	h.replicaOps = []checker.Op{
		{ID: 0, Client: 5, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 150, Return: 160},
	}
	set := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n")
	h.rec.chunks = []checker.StreamChunk{
		{Seq: 1, At: 115, Node: "n2", ReplID: "R", Data: set},
		{Seq: 2, At: 125, Node: "n1", ReplID: "R", Data: set, Replica: true},
	}
	before := []tap.KeyValue{{Key: "k", Value: "r"}}
	h.rec.promotions = []checker.Promotion{{Seq: 3, At: 300, Node: "n1", Epoch: 1, Before: before, After: before,
		Was: tap.ReplStatus{Role: "slave", ReplID: "R", Offset: 27},
		Now: tap.ReplStatus{Role: "master", ReplID: "S", ReplID2: "R", Offset: 27, SecondOffset: 28}}}
	res := checker.CheckPromotion(h.PromotionInput(h.LinHistory(), h.Roles()))
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.WaitCovered)

	// Without the reader's write, "r" would contradict the WAIT.
	h.replicaOps = nil
	res = checker.CheckPromotion(h.PromotionInput(h.LinHistory(), h.Roles()))
	assert.Len(t, res.Violations, 1)
}

// Every epoch change hands over: a demotion leaves no master until the
// next promotion, an exit of the master ends its epoch like a crash, and
// the heal's repair makes its node master again (seeds 197 and 403). Reads
// sent to the demoted master were served by a replica: they are not the
// linearizability check's; its refused or unanswered writes stay.
func TestMastershipsFollowEveryEpochChange(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: "op_demote", Node: "n1", Epoch: 1},
		TimelineEvent{At: 150, Kind: "op_repair", Node: "n3", Epoch: 1},
		TimelineEvent{At: 200, Kind: "op_promote", Node: "n2", Epoch: 2},
		TimelineEvent{At: 300, Kind: "proc_exit", Node: "n2", Epoch: 3},
		TimelineEvent{At: 400, Kind: "op_repair", Node: "n1", Epoch: 4},
	)
	assert.Equal(t, []mastership{
		{node: "n1", epoch: 0, from: 0, to: 100},
		{node: "", epoch: 1, from: 100, to: 200, demoted: "n1"},
		{node: "n2", epoch: 2, from: 200, to: 300},
		{node: "n2", epoch: 3, from: 300, to: 400},
		{node: "n1", epoch: 4, from: 400, to: 1<<63 - 1},
	}, h.masterships())

	h.masterOps = []checker.Op{
		{ID: 0, Node: "n1", Epoch: 1, Kind: checker.OpGet, Key: "k", Call: 110, Return: 120},
		{ID: 1, Node: "n1", Epoch: 1, Kind: checker.OpSet, Key: "k", Value: "x", Call: 120, Return: 130, Err: "READONLY"},
		{ID: 2, Node: "n2", Epoch: 2, Kind: checker.OpGet, Key: "k", Call: 210, Return: 220},
	}
	h.replicaOps = []checker.Op{
		{ID: 0, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 110, Return: 120}, // n1 is a replica
		{ID: 1, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 350, Return: 360}, // after n2's exit
		{ID: 2, Node: "n1", Kind: checker.OpGet, Key: "k", Call: 410, Return: 420}, // n1 master again
		// A write to the demoted n1 while no node is master: judged with
		// the master clients' writes to it (seed 1 at 100,000 ops).
		{ID: 3, Node: "n1", Kind: checker.OpSet, Key: "k", Value: "r", Call: 130, Return: 140},
		{ID: 4, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 130, Return: 140}, // n2 is a replica
	}
	type got struct{ id, epoch int }
	var ops []got
	for _, op := range h.LinHistory() {
		ops = append(ops, got{op.ID, op.Epoch})
	}
	assert.Equal(t, []got{{1, 1}, {2, 2}, {1, 3}, {2, 4}, {3, 1}}, ops)
}

// A master that restarts from an appendfsync-always AOF keeps the value a
// replica reader last wrote to it while it was master (seed 197): the
// durability check must see that write.
func TestDurabilityInputHasReaderWritesOnMasters(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1},
		TimelineEvent{At: 300, Kind: "proc_exit", Node: "n2", Epoch: 2},
	)
	h.masterOps = []checker.Op{{ID: 0, Client: 0, Node: "n2", Epoch: 1, Kind: checker.OpSet, Key: "k", Value: "1", Call: 110, Return: 120}}
	h.replicaOps = []checker.Op{{ID: 0, Client: 5, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 150, Return: 160}}
	h.rec.restarts = []checker.Restart{{Node: "n2", CrashAt: 300, RestartAt: 400, WasMaster: true, Epoch: 1,
		Persistence: checker.Persistence{AppendOnly: true, AppendFsync: "always"}, Loaded: []tap.KeyValue{{Key: "k", Value: "r"}}}}
	assert.Empty(t, checker.CheckDurability(h.DurabilityInput(h.LinHistory(), nil)))

	h.replicaOps = nil
	assert.Len(t, checker.CheckDurability(h.DurabilityInput(h.LinHistory(), nil)), 1, "without the reader's write, \"r\" loses SET k 1")
}

// The master's exit on a fatal AOF error ends its epoch, as a crash does.
func TestMastershipsEndAtExit(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "proc_exit", Node: "n1", Epoch: 1})
	assert.Equal(t, []mastership{
		{node: "n1", epoch: 0, from: 0, to: 100},
		{node: "n1", epoch: 1, from: 100, to: 1<<63 - 1},
	}, h.masterships())
}

// A full sync of the node the master clients are sent to ends the epoch
// (seed 3428291); a write answered after it may have run on the loaded
// snapshot, so in its own epoch its outcome is unknown.
func TestLinHistoryAfterAMasterResync(t *testing.T) {
	h := testCluster(
		TimelineEvent{At: 100, Kind: EventDemote, Node: "n1", Epoch: 1},
		TimelineEvent{At: 200, Kind: EventMasterResync, Node: "n1", Epoch: 2},
	)
	assert.Equal(t, []mastership{
		{node: "n1", epoch: 0, from: 0, to: 100},
		{node: "", demoted: "n1", epoch: 1, from: 100, to: 200},
		{node: "", demoted: "n1", epoch: 2, from: 200, to: 1<<63 - 1},
	}, h.masterships(), "the resync keeps the epoch masterless, clients on the demoted node")
	h.masterOps = []checker.Op{
		{ID: 0, Node: "n1", Epoch: 1, Kind: checker.OpIncr, Key: "k", Call: 110, Return: 120, Int: 1},
		{ID: 1, Node: "n1", Epoch: 1, Kind: checker.OpIncr, Key: "k", Call: 190, Return: 210, Int: 812}, // may have run after the load
		{ID: 2, Node: "n1", Epoch: 2, Kind: checker.OpIncr, Key: "k", Call: 220, Return: 230, Int: 813},
	}
	got := h.LinHistory()
	assert.Len(t, got, 3)
	assert.False(t, got[0].Unknown)
	assert.True(t, got[1].Unknown)
	assert.False(t, got[2].Unknown)
	res := checker.CheckLinearizableWith(got, checker.LinOptions{Timeout: time.Second, Lifetimes: h.Lifetimes()})
	assert.Empty(t, res.Violations)
	// In one epoch, as before the fix, INCR answering 1 and then 813 is a violation.
	for i := range got {
		got[i].Epoch = 1
	}
	res = checker.CheckLinearizableWith(got, checker.LinOptions{Timeout: time.Second})
	assert.NotEmpty(t, res.Violations)
}
