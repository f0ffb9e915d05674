package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// INFO stats slave_expires_tracked_keys counts the names a writable
// replica remembers, as redis-server 7.0.15 answered to the same session
// (a replica of a real master with replica-read-only no): FLUSHDB keeps
// the names, the cron drops a name once no db of it holds a TTL still to
// come, COPY's TTL is remembered under the new name, FLUSHALL forgets all.
func TestWritableReplicaTrackedKeysInfo(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	linkUp(t, h, c)
	tracked := func() string {
		_, v, _ := strings.Cut(h.DoString(c, "INFO", "stats"), "\r\nslave_expires_tracked_keys:")
		v, _, _ = strings.Cut(v, "\r\n")
		return v
	}
	require.Equal(t, "0", tracked())
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "a", "1", "PX", "100000"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "b", "1", "PX", "300"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "3"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "a", "1", "PX", "100000"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "0"))
	assert.Equal(t, "2", tracked(), "one name for a in two dbs")
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHDB"))
	assert.Equal(t, "2", tracked(), "FLUSHDB keeps the names")
	h.Env.Advance(600 * time.Millisecond)
	for range 3 {
		h.Tick()
	}
	assert.Equal(t, "1", tracked(), "b is gone from its only db; a still has a TTL in db 3")
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "c", "1"))
	require.Equal(t, ":1\r\n", h.DoString(c, "EXPIRE", "c", "100"))
	require.Equal(t, ":1\r\n", h.DoString(c, "COPY", "c", "d", "DB", "4"))
	assert.Equal(t, "3", tracked())
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	assert.Equal(t, "0", tracked())
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "e", "1", "PX", "100000"))
	assert.Equal(t, "1", tracked())
}

// Writes that keep a key's TTL from the master do not make it the
// replica's own: redis-server 7.0.15 (a writable replica of a real
// master) still counted 0 names after INCR, APPEND, SETRANGE, HSET, LPUSH,
// SET KEEPTTL, GETSET and INCRBYFLOAT on such keys, and 1 after RENAME,
// which gives the new name the TTL (renameGenericCommand's setExpire).
func TestWritableReplicaKeptTTLIsNotRemembered(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	link := linkUp(t, h, c)
	tracked := func() string {
		_, v, _ := strings.Cut(h.DoString(c, "INFO", "stats"), "\r\nslave_expires_tracked_keys:")
		v, _, _ = strings.Cut(v, "\r\n")
		return v
	}
	var stream []byte
	for _, cmd := range [][]string{
		{"SET", "k", "1", "PX", "100000"}, {"SET", "s", "abc", "PX", "100000"},
		{"HSET", "h", "f", "1"}, {"PEXPIRE", "h", "100000"}, {"RPUSH", "l", "a", "b"}, {"PEXPIRE", "l", "100000"},
	} {
		stream = resp.AppendCommandStrings(stream, cmd...)
	}
	h.Node.OnData(link, stream)
	for _, cmd := range [][]string{
		{"INCR", "k"}, {"APPEND", "s", "x"}, {"SETRANGE", "s", "1", "zz"}, {"HSET", "h", "g", "2"}, {"LPUSH", "l", "c"},
		{"SET", "k", "5", "KEEPTTL"}, {"GETSET", "s", "q"}, {"INCRBYFLOAT", "k", "1.5"},
	} {
		h.DoString(c, cmd...)
		assert.Equal(t, "0", tracked(), "after %v", cmd)
	}
	require.Equal(t, "+OK\r\n", h.DoString(c, "RENAME", "k", "k2"))
	assert.Equal(t, "1", tracked())
}
