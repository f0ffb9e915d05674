package node_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// DEBUG SLEEP blocks the whole node on its own clock: no reply, no other
// client served, no cron, until the first event at or after the end.
func TestDebugSleepBlocksNode(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	a, b := h.Conn(), h.Conn()
	// The sleeper pipelines a SET after the sleep; b asks meanwhile.
	raw := resp.AppendCommandStrings(nil, "DEBUG", "SLEEP", "1.5")
	raw = resp.AppendCommandStrings(raw, "SET", "k", "a")
	assert.Empty(t, h.DoRaw(a, raw), "no reply while asleep")
	assert.Empty(t, h.DoString(b, "GET", "k"), "other clients wait")
	h.Env.Advance(1400 * time.Millisecond)
	h.Tick()
	assert.Empty(t, h.Env.Take(a))
	assert.Empty(t, h.Env.Take(b))
	h.Env.Advance(100 * time.Millisecond)
	h.Tick()
	// The sleeper's pipeline runs first, then the held GET.
	assert.Equal(t, "+OK\r\n+OK\r\n", string(h.Env.Take(a)))
	assert.Equal(t, "$1\r\na\r\n", string(h.Env.Take(b)))
	assert.Equal(t, "+OK\r\n", h.DoString(b, "SET", "k", "b"))
}

// A busy spell lasts its time on the monotonic clock, as Redis's nanosleep:
// a wall clock set back during it does not stretch it (seed 2002267: the
// master's 1 ms AOF flush sleep lasted the 103 s its clock went back), one
// set forward does not cut it short.
func TestDebugSleepIgnoresClockJumps(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	a, b := h.Conn(), h.Conn()
	assert.Empty(t, h.DoString(a, "DEBUG", "SLEEP", "1"))
	h.Env.JumpClock(-100 * time.Second)
	h.Env.Advance(time.Second)
	h.Tick()
	assert.Equal(t, "+OK\r\n", string(h.Env.Take(a)), "the clock set back does not stretch the sleep")
	assert.Equal(t, "+PONG\r\n", h.DoString(b, "PING"))

	assert.Empty(t, h.DoString(a, "DEBUG", "SLEEP", "1"))
	h.Env.JumpClock(100 * time.Second)
	h.Env.Advance(900 * time.Millisecond)
	h.Tick()
	assert.Empty(t, h.Env.Take(a), "the clock set forward does not cut the sleep short")
	h.Env.Advance(100 * time.Millisecond)
	h.Tick()
	assert.Equal(t, "+OK\r\n", string(h.Env.Take(a)))
}

func TestDebugSleepArguments(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "SLEEP", "0"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "SLEEP", "abc"), "not a number sleeps 0")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "SLEEP", "-3"))
	assert.Equal(t, "-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n",
		h.DoString(c, "DEBUG", "SLEEP"))
	assert.Equal(t, "+PONG\r\n", h.DoString(c, "PING"), "none of these made the node busy")
}

// An event arriving after the end of the spell wakes the node without
// waiting for a tick; a connection closed meanwhile is noticed after.
func TestDebugSleepWakesOnEvent(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	a, b, d := h.Conn(), h.Conn(), h.Conn()
	assert.Empty(t, h.DoString(a, "DEBUG", "SLEEP", "1"))
	h.CloseConn(d)
	h.Env.Advance(time.Second)
	assert.Equal(t, "+PONG\r\n", h.DoString(b, "PING"))
	assert.Equal(t, "+OK\r\n", string(h.Env.Take(a)))
	assert.Contains(t, h.DoString(b, "CLIENT", "LIST"), "id=2 ")
	assert.NotContains(t, h.DoString(b, "CLIENT", "LIST"), "id=3 ")
}

func TestDebugPopulate(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	r := h.Replica()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "key:1", "mine"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "3"))
	assert.Equal(t, ":3\r\n", h.DoString(c, "DBSIZE"))
	assert.Equal(t, "$7\r\nvalue:0\r\n", h.DoString(c, "GET", "key:0"))
	assert.Equal(t, "$4\r\nmine\r\n", h.DoString(c, "GET", "key:1"), "existing keys stay")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "2", "p", "10"))
	assert.Equal(t, "$10\r\nvalue:1\x00\x00\x00\r\n", h.DoString(c, "GET", "p:1"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "POPULATE", "1", "q", "3"))
	assert.Equal(t, "$3\r\nval\r\n", h.DoString(c, "GET", "q:0"))
	assert.Equal(t, "-ERR value is out of range, must be positive\r\n", h.DoString(c, "DEBUG", "POPULATE", "-1"))
	assert.Equal(t, "-ERR value is out of range, must be positive\r\n", h.DoString(c, "DEBUG", "POPULATE", "x"))
	assert.Equal(t, [][]string{{"SELECT", "0"}, {"SET", "key:1", "mine"}}, r.Commands(), "not propagated")
}

// DEBUG AOF-FLUSH-SLEEP delays each AOF write, and the replies behind it,
// on the node's clock.
func TestDebugAOFFlushSleep(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "AOF-FLUSH-SLEEP", "500000"))
	size := func() int64 {
		s, err := h.Env.FS().Stat("appendonlydir/appendonly.aof.1.incr.aof")
		require.NoError(t, err)
		return s
	}
	before := size()
	assert.Empty(t, h.DoString(c, "SET", "k", "v"), "the reply waits for the AOF write")
	assert.Equal(t, before, size())
	h.Env.Advance(400 * time.Millisecond)
	h.Tick()
	assert.Empty(t, h.Env.Take(c))
	h.Env.Advance(100 * time.Millisecond)
	h.Tick()
	assert.Equal(t, "+OK\r\n", string(h.Env.Take(c)))
	assert.Greater(t, size(), before)
	assert.Equal(t, "$1\r\nv\r\n", h.DoString(c, "GET", "k"), "reads write nothing: no sleep")
	assert.Equal(t, "+OK\r\n", h.DoString(c, "DEBUG", "AOF-FLUSH-SLEEP", "0"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "w"))
}

// The events held during a busy spell run in one turn, as Redis processes
// every ready event in one turn of its event loop, and their AOF write
// sleeps aof-flush-sleep once after them, not once per event (seed
// 2007013: a replica whose master stream arrived during its AOF flush
// sleeps drained one chunk per 100 ms tick, and noticed its master's close
// 8.5 s late).
func TestDebugAOFFlushSleepOncePerTurn(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.AppendOnly = true
	h := nodetest.New(t, cfg)
	require.NoError(t, h.Node.Load())
	a := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(a, "DEBUG", "AOF-FLUSH-SLEEP", "500000"))
	assert.Empty(t, h.DoString(a, "DEBUG", "SLEEP", "1"))
	var writers []node.ConnID
	for i := range 3 {
		c := h.Conn()
		writers = append(writers, c)
		assert.Empty(t, h.DoString(c, "SET", fmt.Sprint("k", i), "v"), "held while asleep")
	}
	h.Env.Advance(time.Second)
	h.Tick()
	assert.Equal(t, "+OK\r\n", string(h.Env.Take(a)))
	for _, c := range writers {
		assert.Empty(t, h.Env.Take(c), "the replies wait for the AOF write, after its sleep")
	}
	h.Env.Advance(500 * time.Millisecond)
	h.Tick()
	for i, c := range writers {
		assert.Equal(t, "+OK\r\n", string(h.Env.Take(c)), "writer %d: one sleep for the whole turn", i)
	}
}
