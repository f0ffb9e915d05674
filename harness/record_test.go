package harness

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
)

func testHarness(timeline ...TimelineEvent) *Harness {
	replica := node.DefaultConfig()
	replica.ReplicaOfHost = "n1"
	return &Harness{nodes: []*simNode{{name: "n1", cfg: node.DefaultConfig()}, {name: "n2", cfg: replica}, {name: "n3", cfg: replica}},
		timeline: timeline}
}

func TestMastershipsAndRoles(t *testing.T) {
	h := testHarness(
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
	roles := h.roles()
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
	h := testHarness(TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1})
	h.masterOps = []checker.Op{{Node: "n1", Kind: checker.OpSet, Key: "k", Value: "m", Call: 1, Return: 2}}
	h.replicaOps = []checker.Op{
		{ID: 0, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 10, Return: 20},              // replica read: prefix's
		{ID: 1, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 90, Return: 110},             // straddles: ambiguous
		{ID: 2, Node: "n2", Kind: checker.OpSet, Key: "k", Value: "r", Call: 95, Return: 105}, // straddles: a write
		{ID: 3, Node: "n2", Kind: checker.OpGet, Key: "k", Call: 120, Return: 130},            // on the master
		{ID: 4, Node: "n3", Kind: checker.OpSet, Key: "k", Value: "x", Call: 120, Return: 130, // a replica's refusal
			Err: "READONLY"},
	}
	got := h.linHistory()
	var ids []int
	for _, op := range got[1:] {
		ids = append(ids, op.ID)
		assert.Equal(t, 1, op.Epoch)
	}
	assert.Equal(t, []int{2, 3}, ids)
	assert.Len(t, h.masterOps, 1, "the master history itself is not touched")
}
