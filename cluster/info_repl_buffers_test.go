package cluster

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// checker.CheckInfoReplBuffers reads INFO's fields from a reply as the
// recorder keeps it.
func TestInfoReplBuffersReadsRecordedReplies(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	v, err := h.Exec("n1", "INFO")
	require.NoError(t, err)
	op := checker.Op{Kind: checker.OpRead, Node: "n1", Args: []string{"INFO"}, Return: 1}
	recordCommandReply(&op, v)
	require.Contains(t, op.Reply, "repl_backlog_histlen:0")
	assert.Empty(t, checker.CheckInfoReplBuffers([]checker.Op{op}))
	op.Reply = strings.Replace(op.Reply, "repl_backlog_histlen:0", "repl_backlog_histlen:7", 1)
	assert.Len(t, checker.CheckInfoReplBuffers([]checker.Op{op}), 1)
}
