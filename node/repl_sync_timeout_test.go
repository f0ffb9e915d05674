package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// A replica that synced with SYNC (its PSYNC refused, e.g. MASTERDOWN)
// sends no periodic REPLCONF ACK, and Redis's master does not expect any:
// replicationCron skips CLIENT_PRE_PSYNC replicas when it disconnects
// timed-out ones (replication.c, "Disconnecting timedout replica
// (streaming sync)"). One that used PSYNC and stays silent is cut off
// after repl-timeout (seed 20284: the node cut the SYNC replica off 60 s
// after its sync, and its liveness check failed).
func TestMasterKeepsSilentSyncReplica(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplDisklessSync = false
	h := nodetest.New(t, cfg)
	plain, psync := h.Conn(), h.Conn()
	h.Do(plain, "REPLCONF", "listening-port", "7001")
	h.Do(psync, "REPLCONF", "listening-port", "7002")
	require.Contains(t, h.DoString(plain, "SYNC"), "$")
	require.True(t, strings.HasPrefix(h.DoString(psync, "PSYNC", "?", "-1"), "+FULLRESYNC "))
	require.Contains(t, strings.Join(h.Env.Logs(), "\n"), "Synchronization with replica 127.0.0.1:7001 succeeded")
	for i := 0; i < int(cfg.ReplTimeoutSec+3)*cfg.Hz; i++ {
		h.Env.Advance(time.Second / time.Duration(cfg.Hz))
		h.Tick()
	}
	logs := strings.Join(h.Env.Logs(), "\n")
	assert.Contains(t, logs, "Disconnecting timedout replica (streaming sync): 127.0.0.1:7002")
	assert.NotContains(t, logs, "Disconnecting timedout replica (streaming sync): 127.0.0.1:7001")
	assert.False(t, h.Env.Closed(plain))
}
