package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInfoReplBuffers(t *testing.T) {
	info := func(mem, hist string) Op {
		return Op{Kind: OpRead, Node: "n1", Client: 2, Args: []string{"INFO"},
			Reply: `"# Memory\r\nused_memory:1\r\nmem_total_replication_buffers:` + mem + `\r\nmem_clients_slaves:0\r\n# Replication\r\nrepl_backlog_active:1\r\nrepl_backlog_histlen:` + hist + `\r\n"`}
	}
	assert.Empty(t, CheckInfoReplBuffers([]Op{info("16384", "1200")}))
	v := CheckInfoReplBuffers([]Op{info("0", "1200")})
	require.Len(t, v, 1, "the backlog left out of the buffers (mutant repl_buffer_mem.go:11:3)")
	assert.Contains(t, v[0].Detail, "mem_total_replication_buffers:0 below repl_backlog_histlen:1200")
	only := info("0", "1200")
	only.Reply = `"# Replication\r\nrepl_backlog_histlen:1200\r\n"`
	assert.Empty(t, CheckInfoReplBuffers([]Op{only}), "one section only")
}
