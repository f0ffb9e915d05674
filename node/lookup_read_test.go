package node_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// On a writable replica, the write commands that look a key up for
// reading (Redis's lookupKeyRead) leave a key whose TTL from the master
// passed on the replica's clock, as redis-server 7.0.15 does (a master
// with DEBUG SET-ACTIVE-EXPIRE 0 and a replica-read-only no replica: after
// these commands DBSIZE still counts every key and expired_keys is 0;
// GETDEL and DEL delete the key without counting it, DEL answering 1,
// and GETSET expires it). Chaos
// seed 7094: the node's COPY deleted its source, and the master's INCR
// then made "1" where the master had "6".
func TestWritableReplicaReadLookupsKeepExpiredKeys(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	c := h.Conn()
	link := linkUp(t, h, c)
	at := strconv.FormatInt(nodetest.DefaultNow/int64(time.Millisecond)+100, 10)
	master := func(args ...string) {
		h.Node.OnData(link, resp.AppendCommandStrings(nil, args...))
	}
	for _, k := range []string{"s1", "s2", "s3", "s4", "s5", "g", "w:a", "w:b"} {
		master("SET", k, "5", "PXAT", at)
	}
	master("SADD", "st", "a", "b")
	master("ZADD", "z", "1", "a")
	master("RPUSH", "l", "3", "1", "2")
	for _, k := range []string{"st", "z", "l"} {
		master("PEXPIREAT", k, at)
	}
	master("RPUSH", "l2", "a", "b")
	require.Equal(t, ":12\r\n", h.DoString(c, "DBSIZE"))
	h.Env.Advance(time.Second)

	for _, cmd := range [][]string{
		{"COPY", "s1", "s1", "DB", "9"},
		{"BITOP", "OR", "dst", "s2"},
		{"SINTERSTORE", "d1", "st"},
		{"SUNIONSTORE", "d2", "st"},
		{"SDIFFSTORE", "d3", "st"},
		{"ZRANGESTORE", "d4", "z", "0", "-1"},
		{"ZUNIONSTORE", "d5", "1", "z"},
		{"ZINTERSTORE", "d6", "1", "z"},
		{"ZDIFFSTORE", "d7", "1", "z"},
	} {
		assert.Equal(t, ":0\r\n", h.DoString(c, cmd...), cmd)
	}
	assert.Equal(t, "*1\r\n:0\r\n", h.DoString(c, "BITFIELD", "s3", "GET", "u8", "0"))
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GETEX", "s4", "PX", "1000"))
	assert.Equal(t, "*0\r\n", h.DoString(c, "SORT", "l"))
	assert.Equal(t, "*2\r\n$-1\r\n$-1\r\n", h.DoString(c, "SORT", "l2", "BY", "w:*", "GET", "w:*"))
	assert.Equal(t, ":12\r\n", h.DoString(c, "DBSIZE"), "no read lookup deleted a key")
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:0\r\n")

	assert.Equal(t, "$-1\r\n", h.DoString(c, "GETDEL", "s5"))
	assert.Equal(t, ":11\r\n", h.DoString(c, "DBSIZE"), "GETDEL deletes what it read as missing")
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:0\r\n")
	assert.Equal(t, ":2\r\n", h.DoString(c, "DEL", "w:a", "w:b", "nokey"), "DEL deletes and counts what read as expired")
	assert.Equal(t, ":9\r\n", h.DoString(c, "DBSIZE"))
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:0\r\n")
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GETSET", "g", "1"))
	assert.Contains(t, h.DoString(c, "INFO", "stats"), "expired_keys:1\r\n", "GETSET's setKey looks up for writing")

	master("INCR", "s1")
	h.Env.SetNow(nodetest.DefaultNow)
	assert.Equal(t, "$1\r\n6\r\n", h.DoString(c, "GET", "s1"), "the master's INCR found its key")
}
