package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Evictions join the linearizability history in the epoch their node was
// master in, under the model's names of their keys; a node evicting while
// not the harness's master is left out, and so is a key no operation names.
func TestLinHistoryTakesEvictionsOfTheMaster(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1})
	h.masterOps = []checker.Op{
		{Node: "n1", Kind: checker.OpSet, Key: "k1", Value: "1", Call: 1, Return: 2},
		{Node: "n1", Kind: checker.OpMSet, Key: "k4", Key2: "k3", Call: 3, Return: 4},
		{Node: "n1", Kind: checker.OpCmd, Key: "k5", Args: []string{"MOVE", "k5", "9"}, Call: 5, Return: 6},
		{Node: "n2", DB: 1, Kind: checker.OpSet, Key: "d1:k3", Value: "358", Call: 110, Return: 120, Epoch: 1},
	}
	h.evictions = []eviction{
		{at: 50, node: "n1", db: 0, key: "k1", policy: "allkeys-lru"},
		{at: 100, node: "n1", db: 0, key: "k4", policy: "allkeys-lru"},           // at the promotion's instant, before it
		{at: 150, epoch: 1, node: "n1", db: 0, key: "k2", policy: "allkeys-lru"}, // deposed
		{at: 160, epoch: 1, node: "n2", db: 1, key: "d1:k3", policy: "volatile-ttl"},
		{at: 170, epoch: 1, node: "n2", db: 9, key: "k5", policy: "allkeys-lru"}, // MOVEd there by the keys family
		// db 0's writes that an AOF cut by a failed fsync replayed into
		// db 1 (seed 1069457): not the model's "d1:k3".
		{at: 180, epoch: 1, node: "n2", db: 1, key: "k3", policy: "volatile-ttl"},
		{at: 190, epoch: 1, node: "n2", db: 0, key: "d1:k3", policy: "volatile-ttl"},
	}
	got := h.LinHistory()
	require.Len(t, got, 8)
	assert.Equal(t, []checker.Op{
		checker.NewEviction("n1", 0, 0, "k1", "allkeys-lru", 50),
		checker.NewEviction("n1", 0, 0, "k4", "allkeys-lru", 100),
		checker.NewEviction("n2", 1, 1, "d1:k3", "volatile-ttl", 160),
		checker.NewEviction("n2", 1, 9, "d9:k5", "allkeys-lru", 170),
	}, got[4:])
	assert.Equal(t, 7, h.Evictions())
}
