package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

func writeFile(t *testing.T, env *nodetest.Env, name string, data []byte) {
	t.Helper()
	f, err := env.FS().Create(name)
	require.NoError(t, err)
	_, err = f.Write(data)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func startAOFNode(t *testing.T, env *nodetest.Env) (*nodetest.Harness, error) {
	cfg := node.DefaultConfig()
	cfg.AppendOnly = true
	cfg.Save = nil
	n := node.New(cfg, env)
	env.Node = n
	err := n.Load()
	return &nodetest.Harness{T: t, Env: env, Node: n}, err
}

// An old single-file appendonly.aof in the working directory is moved into
// appendonlydir as base 1 of a multi-part AOF and loaded.
func TestAOFUpgradeFromSingleFile(t *testing.T) {
	env := nodetest.NewEnv(1)
	old := resp.AppendCommandStrings(nil, "SET", "k1", "v1")
	old = resp.AppendCommandStrings(old, "SET", "k2", "v2")
	writeFile(t, env, "appendonly.aof", old)
	h, err := startAOFNode(t, env)
	require.NoError(t, err)
	c := h.Conn()
	assert.Equal(t, "$2\r\nv2\r\n", h.DoString(c, "GET", "k2"))
	_, err = env.FS().Stat("appendonly.aof")
	assert.Error(t, err, "moved away")
	moved, err := env.FS().ReadFile("appendonlydir/appendonly.aof")
	require.NoError(t, err)
	assert.Equal(t, old, moved)
	m, err := env.FS().ReadFile("appendonlydir/appendonly.aof.manifest")
	require.NoError(t, err)
	assert.Equal(t, "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", string(m))
	assert.Contains(t, env.Logs(), "Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).")
}

// An upgrade cut short after the manifest was written and before the
// rename continues; a manifest naming a base that is nowhere fails with
// the "No such file or directory" line.
func TestAOFUpgradeInterruptedAndMissing(t *testing.T) {
	env := nodetest.NewEnv(1)
	writeFile(t, env, "appendonly.aof", resp.AppendCommandStrings(nil, "SET", "k1", "v1"))
	require.NoError(t, env.FS().MkdirAll("appendonlydir"))
	writeFile(t, env, "appendonlydir/appendonly.aof.manifest", []byte("file appendonly.aof seq 1 type b\n"))
	h, err := startAOFNode(t, env)
	require.NoError(t, err)
	assert.Equal(t, "$2\r\nv1\r\n", h.DoString(h.Conn(), "GET", "k1"))

	env2 := nodetest.NewEnv(2)
	require.NoError(t, env2.FS().MkdirAll("appendonlydir"))
	writeFile(t, env2, "appendonlydir/appendonly.aof.manifest", []byte("file appendonly.aof seq 1 type b\n"))
	_, err = startAOFNode(t, env2)
	require.Error(t, err)
	found := false
	for _, l := range env2.Logs() {
		found = found || l == "Unable to obtain the AOF file appendonly.aof length. stat: No such file or directory"
	}
	assert.True(t, found, "%q", env2.Logs())
}

// An old AOF written with an RDB preamble (an RDB, then commands) loads
// both parts.
func TestAOFUpgradeWithRDBPreamble(t *testing.T) {
	src := nodetest.New(t, node.DefaultConfig())
	sc := src.Conn()
	require.Equal(t, "+OK\r\n", src.DoString(sc, "SET", "k1", "v1"))
	require.Equal(t, "+OK\r\n", src.DoString(sc, "SAVE"))
	preamble, err := src.Env.FS().ReadFile("dump.rdb")
	require.NoError(t, err)

	env := nodetest.NewEnv(1)
	old := append(append([]byte(nil), preamble...), resp.AppendCommandStrings(nil, "SET", "k2", "v2")...)
	writeFile(t, env, "appendonly.aof", old)
	h, err := startAOFNode(t, env)
	require.NoError(t, err)
	c := h.Conn()
	assert.Equal(t, "$2\r\nv1\r\n", h.DoString(c, "GET", "k1"))
	assert.Equal(t, "$2\r\nv2\r\n", h.DoString(c, "GET", "k2"))
}

// A stale appendonly.aof beside a directory whose manifest lists incr
// files is left alone: Redis 7.0.15 upgrades only when the directory is
// missing, the manifest empty, or naming that file alone as its base
// (loadAppendOnlyFiles), so the node loads its directory and never reads
// the file (here no AOF at all, which it would refuse).
func TestAOFStaleSingleFileIgnored(t *testing.T) {
	env := nodetest.NewEnv(1)
	writeFile(t, env, "appendonly.aof", []byte("stale, not an AOF\n"))
	require.NoError(t, env.FS().MkdirAll("appendonlydir"))
	writeFile(t, env, "appendonlydir/appendonly.aof.1.base.aof", resp.AppendCommandStrings(nil, "SET", "k1", "v1"))
	writeFile(t, env, "appendonlydir/appendonly.aof.1.incr.aof", resp.AppendCommandStrings(nil, "SET", "k2", "v2"))
	manifest := "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	writeFile(t, env, "appendonlydir/appendonly.aof.manifest", []byte(manifest))
	h, err := startAOFNode(t, env)
	require.NoError(t, err)
	c := h.Conn()
	assert.Equal(t, "$2\r\nv1\r\n", h.DoString(c, "GET", "k1"))
	assert.Equal(t, "$2\r\nv2\r\n", h.DoString(c, "GET", "k2"))
	stale, err := env.FS().ReadFile("appendonly.aof")
	require.NoError(t, err)
	assert.Equal(t, "stale, not an AOF\n", string(stale))
	m, err := env.FS().ReadFile("appendonlydir/appendonly.aof.manifest")
	require.NoError(t, err)
	assert.Equal(t, manifest, string(m))
}
