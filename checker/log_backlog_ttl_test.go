package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The backlog is freed only after more than the TTL without replicas,
// counted from the start, the last replica's loss or a promotion.
func TestBacklogTTLKept(t *testing.T) {
	start := line(0, "Server initialized")
	lost := line(10, logReplicaLost, "n2:6379")
	assert.Empty(t, backlogTTLKept([]LogLine{start, lost, line(14, logBacklogFreed, 3)}))
	v := backlogTTLKept([]LogLine{start, lost, line(13, logBacklogFreed, 3)})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "3 s (whole seconds of its clock) after \"Connection with replica n2:6379 lost.\"")
	require.Len(t, backlogTTLKept([]LogLine{start, line(2, logBacklogFreed, 3)}), 1, "counted from the start")
	require.Len(t, backlogTTLKept([]LogLine{start, line(20, logMasterMode, "x"), line(21, logBacklogFreed, 1)}), 1, "counted from the promotion")
}
