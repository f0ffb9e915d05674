package node_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// changesSinceSave is INFO persistence's rdb_changes_since_last_save.
func changesSinceSave(t *testing.T, h *nodetest.Harness, c node.ConnID) string {
	t.Helper()
	info := h.DoString(c, "INFO", "persistence")
	_, rest, ok := strings.Cut(info, "rdb_changes_since_last_save:")
	require.True(t, ok, info)
	v, _, _ := strings.Cut(rest, "\r\n")
	return v
}

// Redis 7.0.15 counts expiries in expired_keys only: neither a lazy nor an
// active expiry moves server.dirty (deleteExpiredKeyAndPropagate), so INFO's
// rdb_changes_since_last_save and the save points do not see them
// (redis-server 7.0.15: SET a 1 PX 50, wait, SET b 1 PX 50, wait, GET b
// leaves rdb_changes_since_last_save at 2 with expired_keys 2).
func TestExpiriesAreNotChanges(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	h.Env.SetNow(1_767_225_600_000 * 1e6)
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "a", "1", "PX", "50"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "b", "1", "PX", "50"))
	assert.Equal(t, "2", changesSinceSave(t, h, c))
	h.Env.SetNow(1_767_225_601_000 * 1e6)
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "b"), "a lazy expiry")
	for range 20 {
		h.Tick() // the active expire cycle takes a
	}
	assert.Equal(t, ":0\r\n", h.DoString(c, "DBSIZE"))
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:2\r\n")
	assert.Equal(t, "2", changesSinceSave(t, h, c))
}

// Nor does an eviction move server.dirty (evict.c performEvictions counts
// stat_evictedkeys only): redis-server 7.0.15 with 20000 keys set, then a
// maxmemory that evicts 16023 of them, still says
// rdb_changes_since_last_save:20000.
func TestEvictionsAreNotChanges(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "maxmemory-policy", "allkeys-random"))
	for i := range 100 {
		h.DoString(c, "SET", "k"+strconv.Itoa(i), strings.Repeat("v", 100))
	}
	assert.Equal(t, "100", changesSinceSave(t, h, c))
	info := h.DoString(c, "INFO", "memory")
	_, rest, _ := strings.Cut(info, "used_memory:")
	field, _, _ := strings.Cut(rest, "\r\n")
	used, err := strconv.ParseInt(field, 10, 64)
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "maxmemory", strconv.FormatInt(used-30*160, 10)))
	assert.Equal(t, "+PONG\r\n", h.DoString(c, "PING"))
	assert.NotContains(t, h.DoString(c, "INFO", "stats"), "evicted_keys:0\r\n")
	assert.Equal(t, "100", changesSinceSave(t, h, c))
}
