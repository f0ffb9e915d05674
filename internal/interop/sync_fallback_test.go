package interop

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// serveSyncFallback takes the replica's connection, refuses its PSYNC
// with an error, reads the inline SYNC it falls back to and sends an
// empty RDB with no +FULLRESYNC before it (a master that predates PSYNC).
func (m *scriptedMaster) serveSyncFallback(t *testing.T) {
	t.Helper()
	m.handshake(t, func([]string) {
		m.send(t, "-ERR unknown command 'PSYNC'\r\n")
		require.NoError(t, m.conn.SetReadDeadline(time.Now().Add(syncTimeout)))
		line, err := m.r.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "SYNC\r\n", line, "the fallback after PSYNC's error")
		payload := emptyRDB(strings.Repeat("a", 40))
		m.send(t, "$"+strconv.Itoa(len(payload))+"\r\n"+string(payload))
	})
}

// syncFallbackInfo is a fresh replica's INFO replication master_replid
// and master_repl_offset once it synced with SYNC after its PSYNC was
// refused.
func syncFallbackInfo(t *testing.T, start func(t *testing.T, args ...string) *redistest.Server) (replid, offset string) {
	m := newScriptedMaster(t)
	s := start(t, "--replicaof", "127.0.0.1", m.port())
	m.serveSyncFallback(t)
	c := s.Dial(t)
	redistest.Eventually(t, syncTimeout, func() string {
		if st := c.InfoField(t, "replication", "master_link_status"); st != "up" {
			return "master_link_status " + st
		}
		return ""
	})
	return c.InfoField(t, "replication", "master_replid"), c.InfoField(t, "replication", "master_repl_offset")
}

// After a SYNC fallback Redis 7.0.15's readSyncBulkPayload takes
// server.master_replid, which only a +FULLRESYNC sets: in a process that
// never read one it is blank, and INFO says "master_replid:". The offset
// is the master's initial one, -1 (SYNC gives none). replsim shows the
// same.
func TestSyncFallbackReplicationIDAsRedis(t *testing.T) {
	rid, roff := syncFallbackInfo(t, startRedis)
	fid, foff := syncFallbackInfo(t, startReplsim)
	assert.Equal(t, [2]string{rid, roff}, [2]string{fid, foff}, "(master_replid, master_repl_offset): redis-server, replsim")
	assert.Empty(t, rid, "redis-server's master_replid after a SYNC fallback in a fresh process")
}
