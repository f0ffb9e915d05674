package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A writable master demoted into a replication cycle gets back, from its
// own master's stream, what it wrote as master and its replicas had not
// yet received: those writes join the epoch with no master as writes whose
// outcome is unknown; the ones whose bytes did not come back do not (seed
// 43568).
func TestDemotedWritableMasterGetsItsOwnWritesBack(t *testing.T) {
	h := testCluster(TimelineEvent{At: 100, Kind: "op_demote", Node: "n1", Epoch: 1})
	h.rec.settings = []checker.SettingsChange{
		{At: 0, Node: "n1"},
		{At: 100, Node: "n1", Settings: tap.Settings{Replica: true, LinkUp: true}},
	}
	h.masterOps = []checker.Op{
		{ID: 0, Client: 1, Node: "n1", Kind: checker.OpSet, Key: "k", Value: "1", Call: 10, Return: 20},
		{ID: 1, Client: 1, Node: "n1", Kind: checker.OpIncr, Key: "k", Int: 2, Call: 30, Return: 40},
		{ID: 2, Client: 1, Node: "n1", Epoch: 1, Kind: checker.OpSet, Key: "k", Value: "5", Call: 110, Return: 120},
		{ID: 3, Client: 1, Node: "n1", Epoch: 1, Kind: checker.OpIncr, Key: "k", Int: 7, Call: 130, Return: 140},
	}
	set := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n")
	incr := []byte("*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n")
	h.rec.chunks = []checker.StreamChunk{
		{Seq: 1, At: 15, Node: "n1", ReplID: "R", Start: 0, Data: set},
		{Seq: 2, At: 35, Node: "n1", ReplID: "R", Start: int64(len(set)), Data: incr},
		{Seq: 3, At: 125, Node: "n1", ReplID: "R", Start: int64(len(set)), Data: incr, Replica: true},
	}
	lin := func() (copies []int, ok bool) {
		ops := h.LinHistory()
		for _, op := range ops {
			if op.Epoch == 1 && op.ID < 2 {
				assert.True(t, op.Unknown)
				copies = append(copies, op.ID)
			}
		}
		res := checker.CheckLinearizable(ops, 0)
		return copies, len(res.Violations) == 0
	}
	copies, ok := lin()
	assert.Equal(t, []int{1}, copies, "only the INCR's bytes came back")
	assert.True(t, ok, "the INCR that came back explains 7")

	// Nothing came back: 7 after SET 5 is an anomaly.
	h.rec.chunks = h.rec.chunks[:2]
	copies, ok = lin()
	assert.Empty(t, copies)
	assert.False(t, ok)

	// A read-only demoted master takes no writes of its own: nothing to mix.
	h.rec.chunks = append(h.rec.chunks, checker.StreamChunk{Seq: 3, At: 125, Node: "n1", ReplID: "R", Start: int64(len(set)), Data: incr, Replica: true})
	h.rec.settings[1].ReadOnly = true
	copies, _ = lin()
	require.Empty(t, copies)
}
