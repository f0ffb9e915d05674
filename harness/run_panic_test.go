package harness

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A panic inside a run fails that run, naming the panic and its stack,
// instead of taking down the sweep it is part of.
func TestRunPanicFailsTheRunAlone(t *testing.T) {
	cluster.DrawHook = func(*checker.Op) { panic("planted panic") }
	res := Run(StandardOptions(3))
	cluster.DrawHook = nil
	require.Equal(t, VerdictFail, res.Verdict)
	require.Len(t, res.Violations, 1)
	assert.Equal(t, PropPanic, res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, "the run panicked: planted panic")
	assert.Contains(t, res.Violations[0].Detail, "run_panic_test.go", "the stack names where")
	assert.Equal(t, uint64(3), res.Seed)

	assert.Equal(t, VerdictPass, Run(StandardOptions(3)).Verdict, "the next run is unaffected")
}
