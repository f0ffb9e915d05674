package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The strings family's operations read back from an operation list as
// drawn, and it draws each of its forms.
func TestStringsRoundTrip(t *testing.T) {
	r := sim.NewWorld(1).Rand("strings")
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		op := checker.Op{Key: "k4"}
		drawStrings(r, &op, 8)
		if op.Args == nil && (op.Kind > checker.OpMulti || op.Mode != "") {
			op.Args = commandArgs(&op)
		}
		words := CommandWords(&op)
		seen[words[0]] = true
		if len(words) > 2 {
			seen[words[0]+" "+words[2]] = true
		}
		got, err := parseCommand(words, false)
		require.NoError(t, err, "%v", words)
		assert.Equal(t, op, got)
	}
	for _, w := range []string{"GETEX", "GETEX EX", "GETEX PX", "GETEX PERSIST", "GETEX EXAT", "GETEX PXAT",
		"MSETNX", "SETRANGE", "INCRBY", "DECRBY", "RENAME", "RENAMENX", "FLUSHDB", "FLUSHALL", "SET", "PTTL"} {
		assert.True(t, seen[w], w)
	}
}

// A bad flush mode gets the syntax error the family expects (as from
// redis-server 7.0.15), and the node keeps its data.
func TestFlushSyntaxErrorOfTheNode(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	_, err := h.Exec("n1", "SET", "k1", "v")
	require.NoError(t, err)
	for _, name := range []string{"FLUSHDB", "FLUSHALL"} {
		op := flushSyntaxError(name, "FOO")
		v, err := h.Exec("n1", op.Args...)
		require.NoError(t, err)
		assert.Equal(t, resp.Error, v.Kind)
		assert.Equal(t, op.Value, string(v.Str))
	}
	v, err := h.Exec("n1", "GET", "k1")
	require.NoError(t, err)
	assert.Equal(t, "v", string(v.Str))
}
