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

// countLogs is how many collected log lines contain s.
func countLogs(h *nodetest.Harness, s string) int {
	k := 0
	for _, l := range h.Env.Logs() {
		if strings.Contains(l, s) {
			k++
		}
	}
	return k
}

// slowSaves makes every save of the 10 keys last 1 s on the node's clock.
func slowSaves(t *testing.T, h *nodetest.Harness, c node.ConnID) {
	require.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "10"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "rdb-key-save-delay", "100000"))
}

func psync(h *nodetest.Harness, capaEOF bool) (node.ConnID, string) {
	r := h.Conn()
	if capaEOF {
		h.Do(r, "REPLCONF", "capa", "eof", "capa", "psync2")
	} else {
		h.Do(r, "REPLCONF", "capa", "psync2")
	}
	return r, h.DoString(r, "PSYNC", "?", "-1")
}

// diskSyncNode is a node with no save points whose full syncs go through
// a BGSAVE to disk.
func diskSyncNode(t *testing.T) *nodetest.Harness {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.ReplDisklessSync = false
	return nodetest.New(t, cfg)
}

// A BGSAVE for SYNC to disk is the one RDB child: a user BGSAVE meanwhile
// is refused, and a second replica attaches to it (syncCommand's CASE 1)
// with the first one's offset and the stream since the fork.
func TestSyncAttachesToRunningDiskSave(t *testing.T) {
	h := diskSyncNode(t)
	c := h.Conn()
	slowSaves(t, h, c)
	a, out := psync(h, false)
	require.True(t, strings.HasPrefix(out, "+FULLRESYNC "), out)
	fullA := strings.TrimSpace(out)
	assert.Equal(t, 1, countLogs(h, "Starting BGSAVE for SYNC with target: disk"))
	assert.Equal(t, "-ERR Background save already in progress\r\n", h.DoString(c, "BGSAVE"))
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_bgsave_in_progress:1\r\n")
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "after", "fork"))
	b, out := psync(h, true)
	assert.Equal(t, fullA, strings.TrimSpace(out), "the first replica's offset")
	assert.Equal(t, 1, countLogs(h, "Waiting for end of BGSAVE for SYNC"))
	ticks(h, 1100*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Background saving started by pid"), "one child for both")
	for _, r := range []node.ConnID{a, b} {
		got := string(h.Env.Take(r))
		assert.Contains(t, got, "REDIS0010", "the RDB")
		assert.Contains(t, got, "after\r\n$4\r\nfork", "the stream since the fork")
	}
	assert.Equal(t, 2, countLogs(h, "Synchronization with replica"))
}

// A replica asking while a user BGSAVE runs cannot attach (no replica
// registers the stream since its fork): it waits, and its BGSAVE for SYNC
// starts as the user's ends (checkChildrenDone).
func TestSyncWaitsForUserBgsave(t *testing.T) {
	h := diskSyncNode(t)
	c := h.Conn()
	slowSaves(t, h, c)
	require.Equal(t, "+Background saving started\r\n", h.DoString(c, "BGSAVE"))
	r, out := psync(h, false)
	assert.Empty(t, out, "no +FULLRESYNC before its BGSAVE starts")
	assert.Equal(t, 1, countLogs(h, "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC"))
	assert.Equal(t, 0, countLogs(h, "Starting BGSAVE for SYNC"))
	ticks(h, 1100*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Starting BGSAVE for SYNC with target: disk"))
	assert.Contains(t, string(h.Env.Take(r)), "+FULLRESYNC ")
	ticks(h, 1100*time.Millisecond)
	assert.Contains(t, string(h.Env.Take(r)), "REDIS0010")
}

// With diskless sync the replicas waiting when the delay is over share one
// transfer to their sockets; one asking during it waits for the next.
func TestDisklessSyncSharesOneTransfer(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.ReplDisklessSync = true
	cfg.ReplDisklessSyncDelay = 1
	h := nodetest.New(t, cfg)
	c := h.Conn()
	slowSaves(t, h, c)
	a, _ := psync(h, true)
	b, _ := psync(h, true)
	assert.Equal(t, 2, countLogs(h, "Delay next BGSAVE for diskless SYNC"))
	ticks(h, 1100*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Starting BGSAVE for SYNC with target: replicas sockets"))
	assert.Equal(t, 1, countLogs(h, "Background RDB transfer started by pid"))
	_, out := psync(h, true)
	assert.Empty(t, out)
	assert.Equal(t, 1, countLogs(h, "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC"))
	assert.Equal(t, "-ERR Background save already in progress\r\n", h.DoString(c, "BGSAVE", "SCHEDULE"), "the child is an RDB one")
	ticks(h, 1100*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Diskless rdb transfer, done reading from pipe, 2 replicas still up."))
	for _, r := range []node.ConnID{a, b} {
		assert.Contains(t, string(h.Env.Take(r)), "$EOF:")
	}
}

// A replica asking while an AOF rewrite runs waits for it
// (replicationStartPendingFork once no child is active); a BGREWRITEAOF
// during a BGSAVE for SYNC is scheduled.
func TestSyncWaitsForAOFRewrite(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.ReplDisklessSync = false
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	h.Tick()
	slowSaves(t, h, c)
	require.Equal(t, "+Background append only file rewriting started\r\n", h.DoString(c, "BGREWRITEAOF"))
	r, out := psync(h, false)
	assert.Empty(t, out)
	assert.Equal(t, 1, countLogs(h, "No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed"))
	ticks(h, 1100*time.Millisecond)
	assert.Equal(t, 1, countLogs(h, "Starting BGSAVE for SYNC with target: disk"))
	assert.Contains(t, string(h.Env.Take(r)), "+FULLRESYNC ")
	assert.Equal(t, "+Background append only file rewriting scheduled\r\n", h.DoString(c, "BGREWRITEAOF"))
}

// FLUSHALL kills a running BGSAVE for SYNC (flushAllDataAndResetRDB):
// the child is reaped as killed by SIGUSR1 and the replica waiting for it
// loses its sync (updateSlavesWaitingBgsave with an error).
func TestFlushallKillsSyncSave(t *testing.T) {
	h := diskSyncNode(t)
	c := h.Conn()
	slowSaves(t, h, c)
	r, out := psync(h, false)
	require.Contains(t, out, "+FULLRESYNC ")
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	assert.Equal(t, 1, countLogs(h, "Background saving terminated by signal 10"))
	assert.Equal(t, 1, countLogs(h, "SYNC failed. BGSAVE child returned an error"))
	assert.True(t, h.Env.Closed(r))
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_bgsave_in_progress:0\r\n")
	assert.Equal(t, "+Background saving started\r\n", h.DoString(c, "BGSAVE"))
}

// INFO's lag= counts only for an online replica: one waiting for its
// BGSAVE shows 0 however long it waits (Redis computes lag only for
// SLAVE_STATE_ONLINE).
func TestInfoLagOfAWaitingReplica(t *testing.T) {
	h := diskSyncNode(t)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "40"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "rdb-key-save-delay", "100000"))
	_, out := psync(h, false)
	require.True(t, strings.HasPrefix(out, "+FULLRESYNC "), out)
	ticks(h, 2500*time.Millisecond)
	info := h.DoString(c, "INFO", "replication")
	assert.Contains(t, info, ",state=wait_bgsave,offset=0,lag=0\r\n")
}
