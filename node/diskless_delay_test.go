package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// The diskless delay is shouldStartChildReplication's: server.unixtime -
// lastinteraction >= repl-diskless-sync-delay, in whole seconds of the
// clock and with the delay in force at replicationCron, not the one at the
// replica's request (seed 17894: a delay raised from 1 to 2 s after the
// request was not kept).
func TestDisklessDelayIsWholeSecondsNow(t *testing.T) {
	// start runs the first replicationCron at second s + 0.45 and asks
	// for a full sync at s + 0.85; the next crons run at s + 1.45,
	// s + 2.45, ...
	start := func(t *testing.T, delay int64) (*nodetest.Harness, node.ConnID) {
		cfg := node.DefaultConfig()
		cfg.Save = nil
		cfg.ReplDisklessSync = true
		cfg.ReplDisklessSyncDelay = delay
		h := nodetest.New(t, cfg)
		h.Env.SetNow(nodetest.DefaultNow + 450*int64(time.Millisecond))
		h.Tick()
		ticks(h, 400*time.Millisecond)
		psync(h, true)
		return h, h.Conn()
	}
	started := func(h *nodetest.Harness) int {
		return countLogs(h, "Starting BGSAVE for SYNC with target: replicas sockets")
	}
	t.Run("whole seconds", func(t *testing.T) {
		h, _ := start(t, 1)
		ticks(h, 500*time.Millisecond)
		assert.Equal(t, 0, started(h), "no cron yet")
		ticks(h, 100*time.Millisecond)
		assert.Equal(t, 1, started(h), "the cron at s + 1.45: idle 1, 0.6 s after the request")
	})
	t.Run("the delay now", func(t *testing.T) {
		h, c := start(t, 1)
		assert.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "repl-diskless-sync-delay", "3"))
		ticks(h, 1600*time.Millisecond)
		assert.Equal(t, 0, started(h), "idle 2 < 3 at s + 2.45")
		ticks(h, 1000*time.Millisecond)
		assert.Equal(t, 1, started(h), "idle 3 at s + 3.45")
	})
}
