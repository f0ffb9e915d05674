package cluster

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// List commands, blocking ones included, read back from an operation list
// with their keys (BLMPOP's after its timeout and numkeys) and write back
// as they were.
func TestParseListCommands(t *testing.T) {
	text := opsHeader + "\nclient c4 db=1\nc1 BLMPOP 0.1 2 l1 l2 LEFT COUNT 2\nc4 BLMOVE d1:l0 d1:l3 RIGHT LEFT 0.5\nc2 BRPOP l1 l2 1\nc3 LPOS l0 a RANK -1 COUNT 0\n"
	l, err := ParseOps("t", text)
	require.NoError(t, err)
	require.Len(t, l.Ops, 4)
	assert.Equal(t, []string{"l1", "l2"}, OpKeys(&l.Ops[0].Op))
	assert.Equal(t, []string{"d1:l0", "d1:l3"}, OpKeys(&l.Ops[1].Op))
	assert.Equal(t, []string{"l1", "l2"}, OpKeys(&l.Ops[2].Op))
	assert.Equal(t, text, l.Format())
	require.NoError(t, l.Check(fault.Topology{Replicas: 2, Clients: 4}))
}

// A blocking command's client waits its timeout on top of the usual
// deadline; other commands, and a timeout of 0 (forever), add nothing.
func TestBlockForIsTheTimeout(t *testing.T) {
	for args, want := range map[string]sim.Time{
		"BLPOP l1 l2 0.5":            500 * sim.Millisecond,
		"BLMPOP 1 1 l1 LEFT":         sim.Second,
		"BRPOPLPUSH l1 l2 0.01":      10 * sim.Millisecond,
		"BLMOVE l1 l2 LEFT LEFT 0.2": 200 * sim.Millisecond,
		"BLPOP l1 0":                 0,
		"LPOP l1 1":                  0,
	} {
		op := checker.Op{Kind: checker.OpCmd, Args: strings.Fields(args)}
		assert.Equal(t, want, blockFor(&op), args)
	}
}
