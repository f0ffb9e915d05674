package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// WAIT waits for the offset the client's own last command left the master
// at (Redis 7.0.15's c->woff, which processCommand sets after every call),
// not the master's offset when WAIT runs: another client's later write
// does not hold it up, and a connection that ran nothing yet (woff 0)
// counts every online replica. Checked against redis-server 7.0.15: A SET,
// A WAIT 1 0 -> 1, replica in DEBUG SLEEP, B SET, A WAIT 1 500 -> 1 at
// once, B WAIT 1 500 -> 0 at its timeout, a fresh connection's WAIT 1 500
// -> 1 at once.
func TestWaitWaitsForTheClientsOwnOffset(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	h := nodetest.New(t, cfg)
	a, b := h.Conn(), h.Conn()
	r := h.Replica()
	ticks(h, time.Second)
	require.Equal(t, "+OK\r\n", h.DoString(a, "SET", "k", "v"))
	ack(h, r)
	require.Equal(t, ":1\r\n", h.DoString(a, "WAIT", "1", "0"))

	require.Equal(t, "+OK\r\n", h.DoString(b, "SET", "k2", "v2"))
	assert.Equal(t, ":1\r\n", h.DoString(a, "WAIT", "1", "500"), "a's own writes are acknowledged")
	assert.Empty(t, h.DoString(b, "WAIT", "1", "500"), "b's write is not")
	ticks(h, 600*time.Millisecond)
	assert.Equal(t, ":0\r\n", string(h.Env.Take(b)))

	fresh := h.Conn()
	assert.Equal(t, ":1\r\n", h.DoString(fresh, "WAIT", "1", "500"), "nothing of its own to wait for")
}
