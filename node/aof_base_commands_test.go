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

// aof-use-rdb-preamble no writes the AOF base as commands (.base.aof);
// aof-timestamp-enabled puts #TS: lines in the incr file and at the top of
// a rewritten base; both load back.
func TestAOFBaseAsCommandsAndTimestamps(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	cfg.AofUseRdbPreamble = false
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	base, err := h.Env.FS().ReadFile("appendonlydir/appendonly.aof.1.base.aof")
	require.NoError(t, err, "the base is named .aof")
	assert.Empty(t, base)

	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "aof-timestamp-enabled", "yes"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "foo", "bar"))
	incr, err := h.Env.FS().ReadFile("appendonlydir/appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(incr), "#TS:1767225600\r\n*2\r\n$6\r\nSELECT"), "%q", incr)

	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "t", "1", "PXAT", "1767225700000"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "3"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "x", "y"))
	require.Contains(t, h.DoString(c, "BGREWRITEAOF"), "rewriting started")
	h.Tick()
	base, err = h.Env.FS().ReadFile("appendonlydir/appendonly.aof.2.base.aof")
	require.NoError(t, err)
	want := "#TS:1767225600\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n" +
		"*3\r\n$3\r\nSET\r\n$1\r\nt\r\n$1\r\n1\r\n*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nt\r\n$13\r\n1767225700000\r\n" +
		"*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n"
	assert.Equal(t, want, string(base))
	digest := h.DoString(c, "DEBUG", "DIGEST")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
	assert.Equal(t, digest, h.DoString(c, "DEBUG", "DIGEST"))
}

// Sets and hashes (small and large encodings) survive a commands base.
func TestAOFCommandsBaseCollections(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	cfg.AofUseRdbPreamble = false
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	h.Do(c, "SADD", "ints", "1", "2", "3")
	h.Do(c, "SADD", "strs", "a", "b")
	args := []string{"SADD", "big"}
	for i := 0; i < 600; i++ {
		args = append(args, "m"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+itoaTest(i))
	}
	h.Do(c, args...)
	h.Do(c, "HSET", "h", "f1", "v1", "f2", "22")
	hargs := []string{"HSET", "bigh"}
	for i := 0; i < 200; i++ {
		hargs = append(hargs, "f"+itoaTest(i), strings.Repeat("v", 70))
	}
	h.Do(c, hargs...)
	require.Contains(t, h.DoString(c, "BGREWRITEAOF"), "rewriting started")
	h.Tick()
	base, err := h.Env.FS().ReadFile("appendonlydir/appendonly.aof.2.base.aof")
	require.NoError(t, err)
	assert.Contains(t, string(base), "$4\r\nSADD\r\n$4\r\nints\r\n")
	assert.Contains(t, string(base), "$5\r\nHMSET\r\n")
	digest := h.DoString(c, "DEBUG", "DIGEST")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
	assert.Equal(t, digest, h.DoString(c, "DEBUG", "DIGEST"))
}

func itoaTest(i int) string { return strconv.Itoa(i) }
