package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegressionsSurviveGeneratorChange changes the workload generator
// deliberately (every drawn value changes) and replays every regression
// script unchanged: each carries its fault schedule and its operation
// list, so its transcript, and the bug it catches, stay the same, while a
// seeded run without a list does change.
func TestRegressionsSurviveGeneratorChange(t *testing.T) {
	files, err := filepath.Glob("testdata/regressions/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	seeded := harness.Options{Seed: 2, Ops: 200}
	before := harness.Run(seeded).TraceHash

	cluster.DrawHook = func(op *checker.Op) {
		if op.Value != "" {
			op.Value += "p"
		}
	}
	defer func() { cluster.DrawHook = nil }()
	require.NotEqual(t, before, harness.Run(seeded).TraceHash, "the perturbed generator draws other operations")

	for _, path := range files {
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		s, err := ParseScript(path, string(text))
		require.NoError(t, err)
		lists := 0
		for _, b := range s.Blocks {
			if strings.HasPrefix(b.Command, "simulate ") {
				require.Contains(t, b.Command, "workload=", "%s:%d: a regression's simulate carries its operations", path, b.Line)
				lists++
			}
		}
		require.NotZero(t, lists, "%s: no simulate command", path)
		run, err := RunScript(s)
		require.NoError(t, err)
		for i, b := range s.Blocks {
			assert.Equal(t, b.Expected, run.Outputs[i], "%s:%d: the transcript changed with the generator", path, b.Line)
		}
		assert.True(t, run.Failed(), "%s: the regression still catches its bug", path)
	}
}
