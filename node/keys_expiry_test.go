package node_test

import (
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
)

// Redis expires a key once now > when (db.c keyIsExpired, expire.c
// activeExpireCycleTryExpire): through its expiry millisecond the key is
// still there, lazily and actively.
func TestKeyLivesThroughItsExpiryMillisecond(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	h.Env.SetNow(1_767_225_600_000 * 1e6)
	c := h.Conn()
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v", "PXAT", "1767225601000"))
	h.Env.SetNow(1_767_225_601_000*1e6 + 999_999)
	h.Tick()
	assert.Equal(t, "$1\r\nv\r\n", h.DoString(c, "GET", "k"))
	assert.Equal(t, ":0\r\n", h.DoString(c, "PTTL", "k"))
	h.Env.SetNow(1_767_225_601_001 * 1e6)
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "k"))
}
