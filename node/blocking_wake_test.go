package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// Every way a list or sorted set key can appear wakes the clients blocked
// on it (Redis's dbAdd calls signalKeyAsReady), except a DEBUG RELOAD's
// load (dbAddRDBLoad does not) and a set (sets never block).

// wakeCase blocks a client with block, runs make on another connection and
// checks the blocked client's reply.
type wakeCase struct {
	name  string
	setup [][]string
	block []string
	make  [][]string
	want  string
}

func TestEveryWayAKeyAppearsWakesItsClients(t *testing.T) {
	popped := "*2\r\n$1\r\nk\r\n$1\r\na\r\n"
	zpopped := "*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n"
	cases := []wakeCase{
		{name: "COPY", setup: [][]string{{"RPUSH", "tmp", "a"}}, block: []string{"BLPOP", "k", "0"},
			make: [][]string{{"COPY", "tmp", "k"}}, want: popped},
		{name: "COPY REPLACE over a string", setup: [][]string{{"RPUSH", "tmp", "a"}}, block: []string{"BLPOP", "k", "0"},
			make: [][]string{{"SET", "k", "s"}, {"COPY", "tmp", "k", "REPLACE"}}, want: popped},
		{name: "MOVE", setup: [][]string{{"SELECT", "1"}, {"ZADD", "k", "1", "a"}, {"SELECT", "0"}},
			block: []string{"BZPOPMIN", "k", "0"},
			make:  [][]string{{"SELECT", "1"}, {"MOVE", "k", "0"}}, want: zpopped},
		{name: "RENAME", setup: [][]string{{"ZADD", "tmp", "1", "a"}}, block: []string{"BZPOPMIN", "k", "0"},
			make: [][]string{{"RENAME", "tmp", "k"}}, want: zpopped},
		{name: "SORT STORE", setup: [][]string{{"RPUSH", "src", "3", "1", "2"}}, block: []string{"BLPOP", "k", "0"},
			make: [][]string{{"SORT", "src", "STORE", "k"}}, want: "*2\r\n$1\r\nk\r\n$1\r\n1\r\n"},
		{name: "ZUNIONSTORE", setup: [][]string{{"ZADD", "s", "1", "a"}}, block: []string{"BZPOPMIN", "k", "0"},
			make: [][]string{{"ZUNIONSTORE", "k", "1", "s"}}, want: zpopped},
		{name: "ZINTERSTORE", setup: [][]string{{"ZADD", "s", "1", "a"}}, block: []string{"BZPOPMIN", "k", "0"},
			make: [][]string{{"ZINTERSTORE", "k", "1", "s"}}, want: zpopped},
		{name: "ZDIFFSTORE", setup: [][]string{{"ZADD", "s", "1", "a"}}, block: []string{"BZPOPMIN", "k", "0"},
			make: [][]string{{"ZDIFFSTORE", "k", "1", "s"}}, want: zpopped},
		{name: "ZRANGESTORE", setup: [][]string{{"ZADD", "s", "1", "a"}}, block: []string{"BZPOPMIN", "k", "0"},
			make: [][]string{{"ZRANGESTORE", "k", "s", "0", "-1"}}, want: zpopped},
		{name: "LMOVE into a new list", setup: [][]string{{"RPUSH", "src", "a"}}, block: []string{"BLPOP", "k", "0"},
			make: [][]string{{"LMOVE", "src", "k", "LEFT", "RIGHT"}}, want: popped},
		{name: "ZADD", block: []string{"BZMPOP", "0", "1", "k", "MIN"},
			make: [][]string{{"ZADD", "k", "1", "a"}}, want: "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newCmdEnv(t)
			for _, a := range tc.setup {
				require.NotContains(t, e.do(a...), "-ERR", "%v", a)
			}
			w := e.h.Conn()
			require.Empty(t, e.h.DoString(w, tc.block...))
			require.Equal(t, "1", blockedCount(e))
			for _, a := range tc.make {
				require.NotContains(t, e.do(a...), "-ERR", "%v", a)
			}
			assert.Equal(t, tc.want, string(e.h.Env.Take(w)))
			e.do("SELECT", "0")
			assert.Equal(t, "0", blockedCount(e))
		})
	}
}

// RESTORE of a list wakes a client blocked on the key, with or without
// REPLACE.
func TestRestoreWakesBlockedClients(t *testing.T) {
	e := newCmdEnv(t)
	e.do("RPUSH", "tmp", "a")
	payload := e.dump("tmp")
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "BLPOP", "k", "0"))
	e.expect("SET k s", "+OK\r\n")
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "k", "0", payload, "REPLACE"))
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\na\r\n", string(e.h.Env.Take(w)))
	require.Empty(t, e.h.DoString(w, "BLPOP", "k2", "0"))
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "k2", "0", payload))
	assert.Equal(t, "*2\r\n$2\r\nk2\r\n$1\r\na\r\n", string(e.h.Env.Take(w)))
}

// A set appearing under the key does not wake a list pop (SMOVE); the
// client keeps waiting for a list.
func TestSetDoesNotWakeBlockedPop(t *testing.T) {
	e := newCmdEnv(t)
	e.do("SADD", "s", "a")
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "BLPOP", "k", "0"))
	e.expect("SMOVE s k a", ":1\r\n")
	assert.Empty(t, e.h.Env.Take(w))
	assert.Equal(t, "1", blockedCount(e))
	e.expect("DEL k", ":1\r\n", "RPUSH k a", ":1\r\n")
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\na\r\n", string(e.h.Env.Take(w)))
}

// DEBUG RELOAD loads keys without signalling them (dbAddRDBLoad): a client
// blocked for a sorted set on a key that holds a list stays blocked.
func TestDebugReloadDoesNotWake(t *testing.T) {
	e := newCmdEnv(t)
	w := e.h.Conn()
	require.Empty(t, e.h.DoString(w, "BZPOPMIN", "k", "0"))
	e.expect("RPUSH k a", ":1\r\n", "DEBUG RELOAD", "+OK\r\n")
	assert.Empty(t, e.h.Env.Take(w))
	assert.Equal(t, "1", blockedCount(e))
}

// On a writable replica, a client blocked on a key is served when the
// master's stream creates it; the pop is not propagated further.
func TestWritableReplicaStreamWakesBlockedClients(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplicaReadOnly = false
	h := nodetest.New(t, cfg)
	admin := h.Conn()
	link := linkUp(t, h, admin)
	w := h.Conn()
	require.Empty(t, h.DoString(w, "BZPOPMAX", "z", "0"))
	require.Empty(t, h.DoString(w, "PING"))
	h.Node.OnData(link, resp.AppendCommandStrings(nil, "ZADD", "z", "1", "a", "2", "b"))
	assert.Equal(t, "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n+PONG\r\n", string(h.Env.Take(w)))
	assert.Equal(t, "*1\r\n$1\r\na\r\n", h.DoString(admin, "ZRANGE", "z", "0", "-1"))
}

// Turning replica unblocks a client blocked on a sorted set with an
// UNBLOCKED error.
func TestZsetPopUnblockedOnRoleChange(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	admin, w := h.Conn(), h.Conn()
	require.Empty(t, h.DoString(w, "BZMPOP", "0", "1", "z", "MIN"))
	require.Equal(t, "+OK\r\n", h.DoString(admin, "REPLICAOF", "m", "6379"))
	assert.Equal(t, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n", string(h.Env.Take(w)))
}

// A blocking zset pop times out on the node's clock with a null array.
func TestZsetPopTimesOutOnNodeClock(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	w := h.Conn()
	require.Empty(t, h.DoString(w, "BZPOPMIN", "z", "1.5"))
	h.Env.Advance(1400 * 1e6)
	h.Tick()
	assert.Empty(t, h.Env.Take(w))
	h.Env.Advance(200 * 1e6)
	h.Tick()
	assert.Equal(t, "*-1\r\n", string(h.Env.Take(w)))
}
