package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// A client that sent REPLCONF but no SYNC or PSYNC is a normal client, as
// in Redis (CLIENT_SLAVE comes with the sync): INFO counts it among
// connected_clients (checked with redis-cli against redis-server 7.0.15:
// 1, where the node said 0) and it may turn into a MONITOR.
func TestReplconfClientIsNormal(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "REPLCONF", "listening-port", "1234", "capa", "eof"))
	assert.Contains(t, h.DoString(c, "INFO", "clients"), "\r\nconnected_clients:1\r\n")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "MONITOR"))
}
