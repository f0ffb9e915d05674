package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// DEBUG RELOAD saves, empties and loads the RDB back; NOSAVE loads what is
// on disk; bad options are refused.
func TestDebugReload(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "t", "1", "PX", "100000"))
	digest := h.DoString(c, "DEBUG", "DIGEST")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "RELOAD"))
	assert.Equal(t, digest, h.DoString(c, "DEBUG", "DIGEST"))
	assert.Contains(t, h.Env.Logs(), "DB reloaded by DEBUG RELOAD")
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k2", "v2"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "RELOAD", "NOSAVE"))
	assert.Equal(t, digest, h.DoString(c, "DEBUG", "DIGEST"), "k2 was never saved")
	assert.Equal(t, "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n", h.DoString(c, "DEBUG", "RELOAD", "x"))
}

// DEBUG LOADAOF reloads the dataset from the AOF files.
func TestDebugLoadAOF(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	require.Equal(t, ":2\r\n", h.DoString(c, "INCRBY", "n", "2"))
	digest := h.DoString(c, "DEBUG", "DIGEST")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
	assert.Equal(t, digest, h.DoString(c, "DEBUG", "DIGEST"))
	assert.Contains(t, h.Env.Logs(), "Append Only File loaded by DEBUG LOADAOF")
	require.Equal(t, ":3\r\n", h.DoString(c, "INCR", "n"), "the AOF is still appended to")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
	assert.Equal(t, "$1\r\n3\r\n", h.DoString(c, "GET", "n"))
}

// DEBUG LOADAOF writes the AOF buffer before it loads, fsyncing only as
// the policy says (debug.c: flushAppendOnlyFile(1)): under appendfsync no
// it fsyncs nothing (the aof_fsync rule caught the node fsyncing always).
func TestDebugLoadAOFFsyncsByPolicy(t *testing.T) {
	for _, policy := range []string{"no", "always"} {
		cfg := node.DefaultConfig()
		cfg.Save = nil
		cfg.AppendOnly = true
		cfg.AppendFsync = policy
		h := nodetest.New(t, cfg)
		require.NoError(t, h.Node.Load())
		c := h.Conn()
		require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
		h.Tick()
		syncs := 0
		h.Env.Disk().OnSync = func(string, bool) { syncs++ }
		require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k2", "v2"))
		before := syncs
		assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
		assert.Equal(t, "$2\r\nv2\r\n", h.DoString(c, "GET", "k2"))
		assert.Equal(t, before, syncs, "DEBUG LOADAOF fsyncs nothing more under appendfsync %s (always fsynced the SET already)", policy)
	}
}

// DEBUG RELOAD NOSAVE with no RDB on disk empties the dataset and fails,
// as Redis 7.0.15's rdbLoad does when it cannot open the file (checked on
// redis-server: "Error trying to load the RDB dump", DBSIZE 0 after).
func TestDebugReloadNoSaveWithoutFile(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Equal(t, "-ERR Error trying to load the RDB dump\r\n", h.DoString(c, "DEBUG", "RELOAD", "NOSAVE"))
	assert.Equal(t, ":0\r\n", h.DoString(c, "DBSIZE"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Equal(t, "-ERR Error trying to load the RDB dump\r\n", h.DoString(c, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"))
	assert.Equal(t, ":1\r\n", h.DoString(c, "DBSIZE"), "NOFLUSH keeps the dataset")
}

// DEBUG LOADAOF takes any extra arguments (DEBUG's arity is -2 and the
// loadaof branch does not look at argc): DEBUG LOADAOF x loads the AOF.
func TestDebugLoadAOFExtraArgs(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF", "x"))
	assert.Equal(t, "$1\r\nv\r\n", h.DoString(c, "GET", "k"))
}

// NOFLUSH without MERGE loads the file over the dataset: a key already
// there is rdbLoad's "Duplicated key found in RDB file" panic, the end of
// the process; with MERGE the file's keys replace the dataset's.
func TestDebugReloadNoFlushDuplicate(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	c := h.Conn()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SAVE"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "w"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "n", "1"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"))
	assert.Equal(t, "$1\r\nv\r\n", h.DoString(c, "GET", "k"), "the file's value wins")
	assert.Equal(t, "$1\r\n1\r\n", h.DoString(c, "GET", "n"), "a key not in the file stays")
	h.DoString(c, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")
	assert.True(t, h.Node.Down())
	assert.Contains(t, h.Env.Logs(), "RDB has duplicated key 'k' in DB 0")
}
