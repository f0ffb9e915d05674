package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// REPLICAOF answers a blocked WAIT with an error (mutant
// repl_replica.go:57:2 left it blocked, to return its count later).
func TestWaitsUnblockedByReplicaof(t *testing.T) {
	w := WaitAck{Master: "n1", Client: 2, Blocked: true, BlockedAt: 1e9, At: 1.1e9, Want: 2, Conns: []string{"n2:1"}}
	demoted := LogLine{Node: "n1", At: 1.05e9, Format: logReplicaOfOn}
	v := CheckWaitsUnblockedByReplicaof([]WaitAck{w}, []LogLine{demoted})
	require.Len(t, v, 1, "the corrupted history: returned after the demotion")
	assert.Contains(t, v[0].Detail, "though REPLICAOF made it a replica at 1.050000s")
	demoted.At = 1.2e9
	assert.Empty(t, CheckWaitsUnblockedByReplicaof([]WaitAck{w}, []LogLine{demoted}), "returned before it")
	demoted.At, demoted.Node = 1.05e9, "n2"
	assert.Empty(t, CheckWaitsUnblockedByReplicaof([]WaitAck{w}, []LogLine{demoted}), "another node")
}
