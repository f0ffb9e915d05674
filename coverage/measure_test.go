package coverage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/gotool"
)

// A real measurement over a few seeds: the instrumented binary writes
// counters, and node/'s hottest paths show up as run.
func TestMeasureSmallSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds replsim with coverage")
	}
	mod, err := gotool.FindModule(".")
	require.NoError(t, err)
	m, err := Measure(Options{Module: mod, ChaosArgs: []string{"--seeds=3", "--workers=1", "--out="}})
	require.NoError(t, err)
	assert.False(t, m.SweepFailed)
	s := Summarize(m.Blocks, mod.Path, "node/", nil)
	require.NotEmpty(t, s.Files)
	assert.Greater(t, s.Total.Covered, 0)
	for _, f := range s.Files {
		assert.NotContains(t, f.File, "cmd/", "only node/ is summarised")
	}
}
