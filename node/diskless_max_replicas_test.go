package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// With repl-diskless-sync-max-replicas the delayed diskless sync starts
// at the first replicationCron that finds that many replicas waiting,
// before the delay is over; not in the request that makes them that many
// (redis-server 7.0.15 logs "Delay next BGSAVE for diskless SYNC" and
// starts the transfer up to a second later).
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
	b, out := sync()
	assert.NotContains(t, out, "$EOF:", "the second waits for replicationCron")
	for i := 0; i < 12; i++ {
		h.Env.Advance(100 * time.Millisecond)
		h.Tick()
	}
	assert.Contains(t, string(h.Env.Take(a)), "$EOF:", "started within a second, long before the 5 s delay")
	assert.Contains(t, string(h.Env.Take(b)), "$EOF:")
}
