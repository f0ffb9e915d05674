package node_test

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/require"
)

// cmdEnv is a node with one client connection and, optionally, a fake
// replica recording what the node propagates.
type cmdEnv struct {
	t    *testing.T
	h    *nodetest.Harness
	conn node.ConnID
	repl *nodetest.Replica
}

func newCmdEnv(t *testing.T) *cmdEnv {
	h := nodetest.New(t, node.DefaultConfig())
	return &cmdEnv{t: t, h: h, conn: h.Conn()}
}

// withReplica attaches a fake replica before anything is written.
func (e *cmdEnv) withReplica() *cmdEnv {
	e.repl = e.h.Replica()
	return e
}

func (e *cmdEnv) do(args ...string) string { return e.h.DoString(e.conn, args...) }

// expect runs each pair (command line, raw reply) in order.
func (e *cmdEnv) expect(pairs ...string) {
	e.t.Helper()
	require.Zero(e.t, len(pairs)%2, "pairs")
	for i := 0; i < len(pairs); i += 2 {
		args := strings.Fields(pairs[i])
		require.Equal(e.t, pairs[i+1], e.do(args...), "reply to %q", pairs[i])
	}
}

// propagated returns the commands propagated since the last call, without
// SELECTs, each joined by spaces.
func (e *cmdEnv) propagated() []string {
	e.t.Helper()
	require.NotNil(e.t, e.repl, "no replica attached")
	var out []string
	for _, c := range e.repl.Commands() {
		if strings.EqualFold(c[0], "select") {
			continue
		}
		out = append(out, strings.Join(c, " "))
	}
	return out
}
