package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Evictions join the linearizability history in the epoch their node was
// master in; a node evicting while not the harness's master is left out.
func TestLinHistoryTakesEvictionsOfTheMaster(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "op_promote", Node: "n2", Epoch: 1})
	h.evictions = []eviction{
		{at: 50, node: "n1", db: 0, key: "k1", policy: "allkeys-lru"},
		{at: 100, node: "n1", db: 0, key: "k4", policy: "allkeys-lru"},           // at the promotion's instant, before it
		{at: 150, epoch: 1, node: "n1", db: 0, key: "k2", policy: "allkeys-lru"}, // deposed
		{at: 160, epoch: 1, node: "n2", db: 1, key: "d1:k3", policy: "volatile-ttl"},
		{at: 170, epoch: 1, node: "n2", db: 9, key: "k5", policy: "allkeys-lru"}, // MOVEd there by the keys family
	}
	got := h.LinHistory()
	require.Len(t, got, 4)
	assert.Equal(t, checker.NewEviction("n1", 0, 0, "k1", "allkeys-lru", 50), got[0])
	assert.Equal(t, checker.NewEviction("n1", 0, 0, "k4", "allkeys-lru", 100), got[1])
	assert.Equal(t, checker.NewEviction("n2", 1, 1, "d1:k3", "volatile-ttl", 160), got[2])
	assert.Equal(t, checker.NewEviction("n2", 1, 9, "d9:k5", "allkeys-lru", 170), got[3])
	assert.Equal(t, 5, h.Evictions())
}
