package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// With repl-diskless-sync-max-replicas the delayed diskless sync starts
// once that many replicas wait, before the delay is over.
func TestDisklessSyncMaxReplicas(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplDisklessSyncDelay = 5
	cfg.ReplDisklessSyncMaxReplicas = 2
	h := nodetest.New(t, cfg)
	sync := func() (node.ConnID, string) {
		c := h.Conn()
		h.Do(c, "REPLCONF", "capa", "eof", "capa", "psync2")
		return c, h.DoString(c, "PSYNC", "?", "-1")
	}
	a, out := sync()
	assert.NotContains(t, out, "$EOF:", "the first waits for the delay")
	_, out = sync()
	assert.Contains(t, out, "$EOF:", "the second replica starts both")
	assert.Contains(t, string(h.Env.Take(a)), "$EOF:")
}
