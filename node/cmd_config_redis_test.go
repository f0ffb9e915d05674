package node

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"

	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRealRedis runs a throwaway redis-server 7.0.15 on a free loopback
// port and returns a connection to it. It skips (or fails under CI) without
// the binary.
func startRealRedis(t *testing.T) net.Conn {
	t.Helper()
	bin := redistest.RequireBinary(t, "redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "3600 1 300 100 60 10000",
		"--appendonly", "no", "--daemonize", "no")
	c, err := net.DialTimeout("tcp", srv.Addr(), 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(30*time.Second)))
	return c
}

// redisCall sends one command and reads exactly one reply.
func redisCall(t *testing.T, c net.Conn, buf *[]byte, args ...string) string {
	t.Helper()
	_, err := c.Write(resp.AppendCommandStrings(nil, args...))
	require.NoError(t, err)
	chunk := make([]byte, 4096)
	for {
		_, k, err := resp.ParseValue(*buf)
		require.NoError(t, err)
		if k > 0 {
			reply := string((*buf)[:k])
			*buf = (*buf)[k:]
			return reply
		}
		m, err := c.Read(chunk)
		require.NoError(t, err)
		*buf = append(*buf, chunk[:m]...)
	}
}

// sortedPairs normalises a CONFIG GET glob reply, whose order Redis leaves
// to its hash table.
func sortedPairs(t *testing.T, raw string) []string {
	v, _, err := resp.ParseValue([]byte(raw))
	require.NoError(t, err)
	var pairs []string
	for i := 0; i+1 < len(v.Array); i += 2 {
		pairs = append(pairs, string(v.Array[i].Str)+"="+string(v.Array[i+1].Str))
	}
	return sortStrings(pairs)
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// TestConfigAgreesWithRedis runs the same CONFIG commands, in order, on one
// connection to a real redis-server and to the node, and compares the raw
// replies byte for byte (CONFIG GET replies as sorted pairs).
func TestConfigAgreesWithRedis(t *testing.T) {
	rc := startRealRedis(t)
	var rbuf []byte
	n, e := newCfgNode(t)

	script := [][]string{
		{"config", "set", "foo", "bar"},
		{"config", "set", "hz", "abc"},
		{"config", "set", "hz", ""},
		{"config", "set", "repl-backlog-size", "1x"},
		{"config", "set", "dir", "/tmp"},
		{"config", "set", "dbfilename", "a/b"},
		{"config", "set", "rdbchecksum", "no"},
		{"config", "set", "daemonize", "yes"},
		{"config", "set", "databases", "3"},
		{"config", "set", "slaveof", "127.0.0.1 1"},
		{"config", "set", "appendfilename", "x.aof"},
		{"config", "set", "appendfsync", "sometimes"},
		{"config", "set", "save", "1"},
		{"config", "set", "save", "900  1"},
		{"config", "set", "save", "abc 1", "hz", "3"},
		{"config", "set", "save", "0 1"},
		{"config", "set", "hz", "1", "hz", "2"},
		{"config", "set", "hz", "1", "hz", "2", "foo", "1"},
		{"config", "set", "foo", "1", "hz", "1", "hz", "2"},
		{"config", "set", "hz"},
		{"config", "set", "hz", "4", "bar"},
		{"config", "get"},
		{"config"},
		{"config", "foo"},
		{"CONFIG", "nope", "x"},
		{"config", "resetstat", "x"},
		{"config", "resetstat"},
		{"config", "rewrite"},
		{"config", "help"},
		{"config", "set", "replica-read-only", "maybe"},
		{"config", "set", "appendonly", "maybe"},
		{"config", "set", "port", "-1"},
		{"config", "set", "port", "65536"},
		{"config", "set", "repl-timeout", "0"},
		{"config", "set", "repl-ping-replica-period", "0"},
		{"config", "set", "repl-diskless-sync-delay", "-1"},
		{"config", "set", "proto-max-bulk-len", "1000"},
		{"config", "set", "repl-backlog-size", "0"},
		{"config", "set", "repl-backlog-size", "-5"},
		{"config", "set", "hz", "99999999999"},
		{"config", "get", "save"},
		{"config", "set", "save", "900 1 300 10", "appendfsync", "always"},
		{"config", "get", "save"},
		{"config", "get", "appendfsync"},
		{"config", "set", "save", ""},
		{"config", "get", "save"},
		{"config", "set", "hz", "1000"},
		{"config", "get", "hz"},
		{"config", "set", "hz", "0"},
		{"config", "get", "HZ"},
		{"config", "set", "repl-backlog-size", "32kb"},
		{"config", "get", "repl-backlog-size"},
		{"config", "set", "repl-backlog-size", "1"},
		{"config", "get", "repl-backlog-size"},
		{"config", "set", "proto-max-bulk-len", "2mb"},
		{"config", "get", "proto-max-bulk-len"},
		{"config", "set", "slave-read-only", "yes", "replica-read-only", "no"},
		{"config", "get", "replica-read-only"},
		{"config", "set", "masterauth", "m", "repl-timeout", "30", "repl-ping-slave-period", "3"},
		{"config", "get", "masterauth", "repl-timeout", "repl-ping-replica-period", "repl-ping-slave-period"},
		{"config", "set", "rdbcompression", "NO", "aof-load-truncated", "no", "stop-writes-on-bgsave-error", "no"},
		{"config", "get", "rdbcompression", "rdbchecksum", "daemonize", "databases", "dbfilename"},
		{"config", "get", "appendonly", "appendfilename", "appenddirname", "aof-load-truncated", "stop-writes-on-bgsave-error"},
		{"config", "get", "slaveof", "replicaof", "replica-serve-stale-data", "repl-diskless-sync-delay", "enable-protected-configs"},
		{"config", "get", "databases", "DATABASES", "no-such"},
		{"config", "set", "requirepass", "pw"},
		{"config", "get", "requirepass"},
		{"config", "set", "requirepass", ""},
		{"config", "get", "requirepass"},
	}
	for _, cmd := range script {
		want := redisCall(t, rc, &rbuf, cmd...)
		got := call(t, n, e, 1, cmd...)
		if len(cmd) > 2 && strings.EqualFold(cmd[1], "get") && strings.HasPrefix(want, "*") {
			// Redis orders the pairs by its hash table.
			assert.Equal(t, sortedPairs(t, want), sortedPairs(t, got), "%q", cmd)
			continue
		}
		assert.Equal(t, want, got, "%q", cmd)
	}

	globs := [][]string{
		{"config", "get", "*read-only*"},
		{"config", "get", "repl-*"},
		{"config", "get", "*slave*", "*replica*"},
		{"config", "get", "s?ve", "append*"},
	}
	for _, cmd := range globs {
		want := sortedPairs(t, redisCall(t, rc, &rbuf, cmd...))
		got := sortedPairs(t, call(t, n, e, 1, cmd...))
		// Redis has directives replsim does not implement; each of ours
		// must be there with Redis's value.
		for _, g := range got {
			if g == "repl-diskless-sync=no" {
				continue // DefaultConfig keeps disk-based sync; Redis 7.0 defaults to diskless
			}
			assert.Contains(t, want, g, "%q", cmd)
		}
	}
}
