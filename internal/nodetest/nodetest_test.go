package nodetest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/vfs"
)

func TestEnvClockAndConns(t *testing.T) {
	env := nodetest.NewEnv(7)
	assert.Equal(t, nodetest.DefaultNow, env.Now())
	env.Advance(1500 * time.Millisecond)
	assert.Equal(t, nodetest.DefaultNow+int64(1500*time.Millisecond), env.Now())
	env.SetNow(42)
	assert.Equal(t, int64(42), env.Now())

	a, b := env.NewConnID(), env.Dial("host:1")
	assert.NotEqual(t, a, b)
	assert.Equal(t, []nodetest.Dial{{ID: b, Addr: "host:1"}}, env.Dials())

	env.Send(a, []byte("x"))
	env.Send(a, []byte("y"))
	assert.Equal(t, "xy", string(env.Take(a)))
	assert.Empty(t, env.Take(a))
	env.Close(a)
	assert.True(t, env.Closed(a))
	env.Logf("hello %d", 1)
	assert.Equal(t, []string{"hello 1"}, env.Logs())
}

func TestEnvRandIsSeeded(t *testing.T) {
	a, b, c := nodetest.NewEnv(1), nodetest.NewEnv(1), nodetest.NewEnv(2)
	x, y, z := a.Rand(), b.Rand(), c.Rand()
	assert.Equal(t, x, y)
	assert.NotEqual(t, x, z)
}

func TestEnvQueuesJobs(t *testing.T) {
	env := nodetest.NewEnv(1)
	ran := 0
	env.Background(1, func(fs vfs.FS) error { ran++; return nil })
	assert.Equal(t, 1, env.PendingJobs())
	assert.Equal(t, 0, ran)
	assert.Equal(t, 1, env.RunJobs())
	assert.Equal(t, 1, ran)
	assert.Zero(t, env.PendingJobs())
}

func TestHarnessDoAndReplica(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	r := h.Replica()
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Equal(t, "$1\r\nv\r\n", string(h.DoRaw(c, []byte("GET k\r\n"))))
	require.Equal(t, [][]string{{"SELECT", "0"}, {"SET", "k", "v"}}, r.Commands())
	assert.Empty(t, r.Commands())
	h.CloseConn(c)
	assert.False(t, h.Env.Closed(c), "a peer close is not a node close")
}
