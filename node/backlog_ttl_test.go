package node_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// A master whose last replica left frees its backlog after repl-backlog-ttl
// seconds and starts a new history: the replica coming back cannot
// continue and gets a full sync.
func TestBacklogFreedAfterTTL(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplBacklogTTLSec = 5
	h := nodetest.New(t, cfg)
	c := h.Conn()
	r := h.Replica()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	ticks(h, 2*time.Second)
	st := h.Node.Repl()
	h.CloseConn(r.Conn)
	ticks(h, 5*time.Second)
	assert.Contains(t, h.DoString(c, "INFO", "replication"), "repl_backlog_active:1", "kept for the ttl")
	ticks(h, 1100*time.Millisecond)
	info := h.DoString(c, "INFO", "replication")
	assert.Contains(t, info, "repl_backlog_active:0")
	assert.NotContains(t, info, st.ReplID)
	assert.Contains(t, h.Env.Logs(), "Replication backlog freed after 5 seconds without connected replicas.")

	rc := h.Conn()
	h.Do(rc, "REPLCONF", "capa", "psync2")
	out := h.DoString(rc, "PSYNC", st.ReplID, strconv.FormatInt(st.Offset+1, 10))
	assert.Regexp(t, `^\+FULLRESYNC [0-9a-f]{40} `, out)
}

// With repl-backlog-ttl 0, and on a replica, the backlog stays.
func TestBacklogKeptWithoutTTL(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplBacklogTTLSec = 0
	h := nodetest.New(t, cfg)
	c := h.Conn()
	r := h.Replica()
	h.CloseConn(r.Conn)
	ticks(h, 10*time.Second)
	assert.Contains(t, h.DoString(c, "INFO", "replication"), "repl_backlog_active:1")
}
