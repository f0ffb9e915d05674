package node_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

// linkUp makes h's node a replica of a fake master and takes it through
// the handshake and a full sync of an empty dataset; it returns the link.
func linkUp(t *testing.T, h *nodetest.Harness, admin node.ConnID) node.ConnID {
	t.Helper()
	require.Equal(t, "+OK\r\n", h.DoString(admin, "REPLICAOF", "m", "6379"))
	dials := h.Env.Dials()
	require.NotEmpty(t, dials)
	link := dials[len(dials)-1].ID
	h.Node.OnDialed(link, nil)
	h.Node.OnData(link, []byte("+PONG\r\n"))
	h.Node.OnData(link, []byte("+OK\r\n+OK\r\n"))
	require.Contains(t, string(h.Env.Take(link)), "PSYNC")
	payload := rdb.Append(nil, &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}, rdb.Options{Checksum: true})
	h.Node.OnData(link, append([]byte("+FULLRESYNC "+strings.Repeat("a", 40)+" 100\r\n$"+strconv.Itoa(len(payload))+"\r\n"), payload...))
	require.True(t, h.Node.Repl().LinkUp)
	return link
}

// Keys a client gives a TTL on a writable replica are deleted once expired
// (Redis's "Slave is able to evict keys created in writable slaves"); keys
// with a TTL from the master wait for the master's DEL.
func TestWritableReplicaExpiresItsOwnKeys(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	link := linkUp(t, h, c)
	future := (nodetest.DefaultNow/int64(time.Millisecond) + 5000)
	h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "frommaster", "v", "PXAT", strconv.FormatInt(future, 10)))

	require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "5"))
	for _, k := range []string{"key1", "key2", "key3"} {
		require.Equal(t, "+OK\r\n", h.DoString(c, "SET", k, "1", "EX", "5"))
	}
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "keep", "1", "EX", "100"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "persisted", "1", "EX", "5"))
	require.Equal(t, ":1\r\n", h.DoString(c, "PERSIST", "persisted"))
	require.Equal(t, ":5\r\n", h.DoString(c, "DBSIZE"))

	h.Env.Advance(6 * time.Second)
	for i := 0; i < 10; i++ {
		h.Tick()
	}
	assert.Equal(t, ":2\r\n", h.DoString(c, "DBSIZE"), "key1..3 are gone, keep and persisted stay")
	require.Equal(t, "+OK\r\n", h.DoString(c, "SELECT", "0"))
	assert.Equal(t, ":1\r\n", h.DoString(c, "DBSIZE"), "the master's key waits for its DEL")
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "frommaster"), "but reads as missing")
}

// A read-only replica remembers nothing, and FLUSHALL forgets what a
// writable one remembered: a key of the same name from the master later
// is not the replica's to expire.
func TestReplicaExpiresOnlyWhileWritable(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	link := linkUp(t, h, c)
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "1", "EX", "5"))
	require.Equal(t, "+OK\r\n", h.DoString(c, "FLUSHALL"))
	future := nodetest.DefaultNow/int64(time.Millisecond) + 5000
	h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "k", "v", "PXAT", strconv.FormatInt(future, 10)))
	h.Env.Advance(6 * time.Second)
	for i := 0; i < 10; i++ {
		h.Tick()
	}
	assert.Equal(t, ":1\r\n", h.DoString(c, "DBSIZE"))
}

// A write on a writable replica to a key of its own that expired deletes
// it first and logs the DEL to the AOF with the write (checked against
// redis-server 7.0.15: its AOF holds MULTI, DEL k, INCR k, EXEC), so a
// restart replays INCR onto no key, as the client saw; a read only
// reports the key missing.
func TestWritableReplicaWriteDeletesExpiredKey(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	cfg.Save = nil
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	linkUp(t, h, c)
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "991", "PX", "50"))
	h.Env.Advance(100 * time.Millisecond)
	require.Equal(t, "$-1\r\n", h.DoString(c, "GET", "k"))
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:0\r\n", "a read deletes nothing")
	require.Equal(t, ":1\r\n", h.DoString(c, "INCR", "k"))
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:1\r\n")
	h.Tick() // the fsync of the AOF the full sync began anew
	names, err := h.Env.FS().List("appendonlydir")
	require.NoError(t, err)
	var incr []byte
	for _, name := range names {
		if strings.HasSuffix(name, ".incr.aof") {
			b, err := h.Env.FS().ReadFile("appendonlydir/" + name)
			require.NoError(t, err)
			incr = append(incr, b...)
		}
	}
	assert.Contains(t, string(incr), "*1\r\n$5\r\nMULTI\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*1\r\n$4\r\nEXEC\r\n")
}

// DEBUG RELOAD on a writable replica loads its keys' TTLs without
// remembering them as the replica's own (Redis's rdbLoad calls setExpire
// with no client): a key with a TTL from the master still waits for the
// master's DEL after a NOFLUSH reload, and an ordinary reload forgets the
// replica's own keys (seed 2208323: the replica expired the master's key
// and the two datasets parted).
func TestWritableReplicaReloadRemembersNoTTL(t *testing.T) {
	for _, opts := range [][]string{{"NOFLUSH", "MERGE"}, {}} {
		cfg := node.DefaultConfig()
		cfg.ReplicaReadOnly = false
		h := nodetest.New(t, cfg)
		c := h.Conn()
		link := linkUp(t, h, c)
		future := nodetest.DefaultNow/int64(time.Millisecond) + 5000
		h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "frommaster", "v", "PXAT", strconv.FormatInt(future, 10)))
		require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "own", "1", "EX", "5"))
		require.Equal(t, "+OK\r\n", h.DoString(c, append([]string{"DEBUG", "RELOAD"}, opts...)...), opts)
		h.Env.Advance(6 * time.Second)
		for i := 0; i < 10; i++ {
			h.Tick()
		}
		want := ":2\r\n" // an ordinary reload empties the list of own keys
		if len(opts) > 0 {
			want = ":1\r\n" // NOFLUSH keeps it: own is still the replica's to expire
		}
		assert.Equal(t, want, h.DoString(c, "DBSIZE"), opts)
		assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "frommaster"), "the master's key reads as missing, and stays until its DEL")
	}
}

// DEBUG LOADAOF on a writable replica replays its AOF through a client that
// is not its master, so the TTLs the AOF sets, its master's included, are
// remembered as its own and expired by it (checked against redis-server
// 7.0.15 with its master's expiry off: DBSIZE dropped by the keys with a
// TTL and expired_keys counted them; without the load it kept them).
func TestWritableReplicaLoadAOFRemembersTheTTLsItLoads(t *testing.T) {
	for _, load := range []bool{false, true} {
		cfg := node.DefaultConfig()
		cfg.ReplicaReadOnly = false
		cfg.Save = nil
		cfg.AppendOnly = true
		h := nodetest.New(t, cfg)
		require.NoError(t, h.Node.Load())
		c := h.Conn()
		link := linkUp(t, h, c)
		h.Tick()
		future := nodetest.DefaultNow/int64(time.Millisecond) + 5000
		h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "k", "v", "PXAT", strconv.FormatInt(future, 10)))
		h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "keep", "v"))
		h.Tick()
		if load {
			require.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "LOADAOF"))
		}
		require.Equal(t, ":2\r\n", h.DoString(c, "DBSIZE"))
		h.Env.Advance(6 * time.Second)
		for i := 0; i < 10; i++ {
			h.Tick()
		}
		if load {
			assert.Equal(t, ":1\r\n", h.DoString(c, "DBSIZE"), "the loaded TTL is the replica's own")
			assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:1\r\n")
		} else {
			assert.Equal(t, ":2\r\n", h.DoString(c, "DBSIZE"), "the master's key waits for its DEL")
		}
	}
}
