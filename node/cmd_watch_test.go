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

const (
	execNil  = "*-1\r\n"
	execPong = "*1\r\n+PONG\r\n"
)

// watchThen runs WATCH keys on w, then what on o, then MULTI PING EXEC on w,
// and returns EXEC's reply.
func watchThen(t *testing.T, h *nodetest.Harness, w node.ConnID, keys []string, what func()) string {
	t.Helper()
	require.Equal(t, "+OK\r\n", h.DoString(w, append([]string{"WATCH"}, keys...)...))
	what()
	require.Equal(t, "+OK\r\n", h.DoString(w, "MULTI"))
	require.Equal(t, "+QUEUED\r\n", h.DoString(w, "PING"))
	return h.DoString(w, "EXEC")
}

func TestWatchDirtiesOnWrites(t *testing.T) {
	cases := []struct {
		name  string
		setup [][]string
		keys  []string
		write [][]string
		want  string
	}{
		{"untouched", nil, []string{"x", "y"}, nil, execPong},
		{"SET", [][]string{{"SET", "x", "1"}}, []string{"a", "x", "z"}, [][]string{{"SET", "x", "2"}}, execNil},
		{"SET same value", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"SET", "x", "1"}}, execNil},
		{"SETNX that fails", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"SETNX", "x", "2"}}, execPong},
		{"APPEND in place", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"APPEND", "x", "2"}}, execNil},
		{"SETRANGE in place", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"SETRANGE", "x", "0", "2"}}, execNil},
		{"SADD in place", [][]string{{"SADD", "s", "a"}}, []string{"s"}, [][]string{{"SADD", "s", "b"}}, execNil},
		{"SADD no change", [][]string{{"SADD", "s", "a"}}, []string{"s"}, [][]string{{"SADD", "s", "a"}}, execPong},
		{"HSET in place", [][]string{{"HSET", "h", "f", "v"}}, []string{"h"}, [][]string{{"HSET", "h", "g", "v"}}, execNil},
		{"SMOVE destination", [][]string{{"SADD", "s", "a"}, {"SADD", "d", "b"}}, []string{"d"}, [][]string{{"SMOVE", "s", "d", "a"}}, execNil},
		{"DEL", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"DEL", "x"}}, execNil},
		{"DEL of another key", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"DEL", "y"}}, execPong},
		{"EXPIRE", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"EXPIRE", "x", "10"}}, execNil},
		{"RENAME target", [][]string{{"SET", "a", "1"}}, []string{"b"}, [][]string{{"RENAME", "a", "b"}}, execNil},
		{"FLUSHDB existing", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"FLUSHDB"}}, execNil},
		{"FLUSHALL missing", nil, []string{"x"}, [][]string{{"FLUSHALL"}}, execPong},
		{"other db", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"SELECT", "1"}, {"SET", "x", "2"}}, execPong},
		{"SWAPDB brings key", [][]string{{"SELECT", "1"}, {"SET", "x", "1"}}, []string{"x"}, [][]string{{"SWAPDB", "0", "1"}}, execNil},
		{"SWAPDB takes key", [][]string{{"SET", "x", "1"}}, []string{"x"}, [][]string{{"SWAPDB", "0", "1"}}, execNil},
		{"SWAPDB neither", nil, []string{"x"}, [][]string{{"SWAPDB", "0", "1"}}, execPong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := nodetest.New(t, node.DefaultConfig())
			w, o := h.Conn(), h.Conn()
			for _, cmd := range tc.setup {
				h.Do(o, cmd...)
			}
			h.Do(o, "SELECT", "0")
			got := watchThen(t, h, w, tc.keys, func() {
				for _, cmd := range tc.write {
					h.Do(o, cmd...)
				}
			})
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestWatchErrorsAndReset(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	w, o := h.Conn(), h.Conn()
	assert.Equal(t, "-ERR wrong number of arguments for 'watch' command\r\n", h.DoString(w, "WATCH"))
	assert.Equal(t, "+OK\r\n", h.DoString(w, "UNWATCH"))
	// WATCH inside MULTI errors without dooming the transaction.
	h.Do(w, "MULTI")
	assert.Equal(t, "-ERR WATCH inside MULTI is not allowed\r\n", h.DoString(w, "WATCH", "x"))
	assert.Equal(t, "+QUEUED\r\n", h.DoString(w, "UNWATCH"))
	assert.Equal(t, "*1\r\n+OK\r\n", h.DoString(w, "EXEC"))

	// UNWATCH clears a dirty flag; DISCARD unwatches.
	assert.Equal(t, execPong, watchThen(t, h, w, []string{"x"}, func() {
		h.Do(o, "SET", "x", "1")
		h.Do(w, "UNWATCH")
	}))
	h.Do(w, "WATCH", "x")
	h.Do(o, "SET", "x", "2")
	h.Do(w, "MULTI")
	h.Do(w, "DISCARD")
	h.Do(w, "MULTI")
	h.Do(w, "PING")
	assert.Equal(t, execPong, h.DoString(w, "EXEC"))

	// A failed EXEC unwatches too.
	h.Do(w, "WATCH", "x")
	h.Do(o, "SET", "x", "3")
	h.Do(w, "MULTI")
	assert.Equal(t, execNil, h.DoString(w, "EXEC"))
	h.Do(o, "SET", "x", "4")
	h.Do(w, "MULTI")
	assert.Equal(t, "*0\r\n", h.DoString(w, "EXEC"))

	// A client that goes away stops watching (and nothing breaks).
	h.Do(o, "WATCH", "x")
	h.CloseConn(o)
	h.Do(w, "SET", "x", "5")
}

func TestWatchExpiry(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	w, o := h.Conn(), h.Conn()
	h.Do(o, "DEBUG", "SET-ACTIVE-EXPIRE", "0")

	// Alive when watched, expired at EXEC (not yet deleted): EXEC fails.
	h.Do(o, "SET", "k", "1", "PX", "100")
	assert.Equal(t, execNil, watchThen(t, h, w, []string{"k"}, func() { h.Env.Advance(200 * time.Millisecond) }))

	// Already stale when watched: its deletion is no change.
	h.Do(o, "SET", "s", "1", "PX", "1")
	h.Env.Advance(10 * time.Millisecond)
	assert.Equal(t, execPong, watchThen(t, h, w, []string{"s"}, func() {}))
	h.Do(o, "SET", "s", "1", "PX", "1")
	h.Env.Advance(10 * time.Millisecond)
	assert.Equal(t, execPong, watchThen(t, h, w, []string{"s"}, func() {
		assert.Equal(t, ":0\r\n", h.DoString(o, "EXISTS", "s"))
	}))
	h.Do(o, "SET", "s", "1", "PX", "1")
	h.Env.Advance(10 * time.Millisecond)
	assert.Equal(t, execPong, watchThen(t, h, w, []string{"s"}, func() { h.Do(o, "FLUSHDB") }))
	// Stale, then written again: a change.
	h.Do(o, "SET", "s", "1", "PX", "1")
	h.Env.Advance(10 * time.Millisecond)
	assert.Equal(t, execNil, watchThen(t, h, w, []string{"s"}, func() {
		h.Do(o, "DEL", "s")
		h.Do(o, "SET", "s", "2")
	}))

	// Active expiry deletes a watched live key: a change.
	h.Do(o, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
	h.Do(o, "FLUSHALL")
	h.Do(o, "SET", "a", "1", "PX", "50")
	assert.Equal(t, execNil, watchThen(t, h, w, []string{"a"}, func() {
		h.Env.Advance(time.Second)
		for range 50 {
			h.Tick()
		}
		assert.Equal(t, ":0\r\n", h.DoString(o, "DBSIZE"))
	}))
}

// The master's stream touches keys a replica's client watches.
func TestWatchOnReplicaStream(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	w := h.Conn()
	link := linkUp(t, h, w)
	assert.Equal(t, execNil, watchThen(t, h, w, []string{"k"}, func() {
		h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "k", "v"))
	}))
	assert.Equal(t, execPong, watchThen(t, h, w, []string{"k"}, func() {
		h.Node.OnData(link, resp.AppendCommandStrings(nil, "SET", "other", "v"))
	}))
}

// WATCH of many keys (and repeated ones) stays fast and watches each once.
func TestWatchManyKeys(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	w, o := h.Conn(), h.Conn()
	args := []string{"WATCH"}
	for i := range 200_000 {
		args = append(args, "k"+strconv.Itoa(i%100_000))
	}
	require.Equal(t, "+OK\r\n", h.DoString(w, args...))
	h.Do(o, "SET", "k99999", "x")
	h.Do(w, "MULTI")
	assert.Equal(t, execNil, h.DoString(w, "EXEC"))
}

// The planted bug watch-misses-incr lets INCR and its kin change a
// watched key unseen; other writes still dirty the watcher.
func TestWatchMissesIncrBug(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Bugs = map[string]bool{node.BugWatchMissesIncr: true}
	h := nodetest.New(t, cfg)
	w, o := h.Conn(), h.Conn()
	h.DoString(o, "SET", "k", "1")
	for _, write := range [][]string{{"INCR", "k"}, {"DECR", "k"}, {"INCRBY", "k", "5"}, {"DECRBY", "k", "2"}} {
		assert.Equal(t, execPong, watchThen(t, h, w, []string{"k"}, func() { h.DoString(o, write...) }), "%v", write)
	}
	assert.Equal(t, execNil, watchThen(t, h, w, []string{"k"}, func() { h.DoString(o, "SET", "k", "9") }))
	h2 := nodetest.New(t, node.DefaultConfig())
	w, o = h2.Conn(), h2.Conn()
	assert.Equal(t, execNil, watchThen(t, h2, w, []string{"k"}, func() { h2.DoString(o, "INCR", "k") }), "without the bug INCR dirties")
}
