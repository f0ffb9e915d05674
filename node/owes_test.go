package node_test

import (
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// OwesNothing is what the harness asks when a client gives up on a
// request (checker/unanswered.go): it must be false while the node still
// has the request to run, a reply to send, or the client blocked, and
// true once everything it was sent has been answered.
func TestOwesNothing(t *testing.T) {
	e := newCmdEnv(t)
	c := e.h.Conn()
	assert.True(t, e.h.Node.OwesNothing(c), "a new connection is owed nothing")
	assert.Equal(t, "$-1\r\n", string(e.h.Do(c, "GET", "k")))
	assert.True(t, e.h.Node.OwesNothing(c), "its GET answered")

	require.Empty(t, e.h.DoRaw(c, []byte("*2\r\n$3\r\nGET\r\n$1")), "half a command")
	assert.False(t, e.h.Node.OwesNothing(c), "a command half read is still to run")
	assert.Equal(t, "$-1\r\n", string(e.h.DoRaw(c, []byte("\r\nk\r\n"))))
	assert.True(t, e.h.Node.OwesNothing(c))

	require.Empty(t, e.h.DoString(c, "BLPOP", "list", "0"))
	assert.False(t, e.h.Node.OwesNothing(c), "blocked on a key")
	e.expect("RPUSH list x", ":1\r\n")
	assert.Equal(t, "*2\r\n$4\r\nlist\r\n$1\r\nx\r\n", string(e.h.Env.Take(c)))
	assert.True(t, e.h.Node.OwesNothing(c), "served")

	assert.False(t, e.h.Node.OwesNothing(node.ConnID(1<<40)), "no such connection")
}

// The planted bug expire-conflict-unanswered runs EXPIRE NX XX without a
// reply; the node then owes the client nothing, which is how the harness
// tells a dropped reply from a slow one.
func TestOwesNothingSeesADroppedReply(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Bugs = map[string]bool{node.BugExpireConflictUnanswered: true}
	h := nodetest.New(t, cfg)
	c := h.Conn()
	assert.Empty(t, h.DoRaw(c, resp.AppendCommandStrings(nil, "EXPIRE", "k", "10", "NX", "XX")))
	assert.True(t, h.Node.OwesNothing(c))
}
