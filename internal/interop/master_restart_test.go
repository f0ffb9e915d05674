package interop

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// masterRestartKeepsOffset: a master with repl-ping-replica-period 3600 is
// shut down (saving) and restarted from its RDB; its replica resumes by
// partial resync and, with nothing written, both stay at the offset the
// stream had reached before the shutdown (psync2-master-restart in Redis's suite).
func masterRestartKeepsOffset(t *testing.T, start func(t *testing.T, dir string, args ...string) *redistest.Server) {
	dir := t.TempDir()
	mport := strconv.Itoa(redistest.FreePort(t))
	args := []string{"--port", mport, "--save", "", "--repl-ping-replica-period", "3600", "--repl-diskless-sync", "no"}
	master := start(t, dir, args...)
	replica := startRedis(t)
	mc, rc := master.Dial(t), replica.Dial(t)
	require.Equal(t, "OK", mc.Do(t, "SET", "k", "v").String())
	require.Equal(t, "OK", rc.Do(t, "REPLICAOF", "127.0.0.1", mport).String())
	waitLink(t, rc, "up")
	waitValue(t, rc, "k", "v")
	require.Equal(t, "OK", mc.Do(t, "SET", "k2", "v2").String())
	waitValue(t, rc, "k2", "v2")
	_, _ = mc.DoRaw("SHUTDOWN", "SAVE") // the connection closes
	waitLink(t, rc, "down")
	// Redis 7 may send REPLCONF GETACK * while shutting down (for
	// shutdown-timeout), so the reference is where the replica stopped.
	offset := infoInt(t, rc, "replication", "master_repl_offset")
	master = start(t, dir, args...)
	mc = master.Dial(t)
	waitLink(t, rc, "up")
	time.Sleep(2500 * time.Millisecond) // a few replication crons: nothing may be sent
	assert.Equal(t, offset, infoInt(t, mc, "replication", "master_repl_offset"))
	assert.Equal(t, offset, infoInt(t, rc, "replication", "master_repl_offset"))
	assert.Equal(t, int64(1), infoInt(t, mc, "stats", "sync_partial_ok"))
}

func TestReplsimMasterRestartKeepsOffset(t *testing.T) {
	masterRestartKeepsOffset(t, func(t *testing.T, dir string, args ...string) *redistest.Server {
		return redistest.StartIn(t, dir, replsim.Path(t), append([]string{"server"}, args...)...)
	})
}

// The control: real Redis.
func TestRedisMasterRestartKeepsOffset(t *testing.T) {
	masterRestartKeepsOffset(t, func(t *testing.T, dir string, args ...string) *redistest.Server {
		return redistest.StartIn(t, dir, redistest.RequireBinary(t, "redis-server"), args...)
	})
}
