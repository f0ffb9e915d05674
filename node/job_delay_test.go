package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// With rdb-key-save-delay a BGSAVE stays in progress for keys*delay on the
// node's clock and writes nothing before; FLUSHALL kills it and nothing is
// ever written.
func TestRdbKeySaveDelay(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "10"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "rdb-key-save-delay", "100000")) // 1 s in all
	assert.Equal(t, "+Background saving started\r\n", h.DoString(c, "BGSAVE"))
	ticks(h, 900*time.Millisecond)
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_bgsave_in_progress:1\r\n")
	_, err := h.Env.FS().Stat("dump.rdb")
	assert.Error(t, err, "nothing written yet")
	ticks(h, 200*time.Millisecond)
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_bgsave_in_progress:0\r\n")
	_, err = h.Env.FS().Stat("dump.rdb")
	assert.NoError(t, err)

	require.NoError(t, h.Env.FS().Remove("dump.rdb"))
	assert.Equal(t, "+Background saving started\r\n", h.DoString(c, "BGSAVE"))
	ticks(h, 100*time.Millisecond)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_bgsave_in_progress:0\r\n")
	ticks(h, 2*time.Second)
	_, err = h.Env.FS().Stat("dump.rdb")
	assert.Error(t, err, "the killed save never writes")
}

// FLUSHALL with save rules saves the emptied dataset at once (Redis's
// flushAllDataAndResetRDB), and still propagates.
func TestFlushallSavesWithSaveRules(t *testing.T) {
	cfg := node.DefaultConfig()
	h := nodetest.New(t, cfg)
	c := h.Conn()
	r := h.Replica()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	data, err := h.Env.FS().ReadFile("dump.rdb")
	require.NoError(t, err, "FLUSHALL saved")
	assert.NotContains(t, string(data), "k\x01v")
	assert.Equal(t, [][]string{{"SELECT", "0"}, {"SET", "k", "v"}, {"FLUSHALL"}}, r.Commands())
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_changes_since_last_save:0\r\n")

	// Without save rules: the removed keys count as changes, nothing more.
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "save", ""))
	h.Do(c, "SET", "a", "1")
	h.Do(c, "SET", "b", "1")
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	assert.Contains(t, h.DoString(c, "INFO", "persistence"), "rdb_changes_since_last_save:4\r\n")
}
