package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replsim/replsim/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShrinkStaleReadToReplayableScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shrunk.txt")
	code, stdout, stderr := runCLI("shrink", "--seed", "3", "--bug", "stale-read", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Regexp(t, `shrink: seed 3 fails linearizability; replicas=2 clients=4 ops=1000 keys=8 fault steps=\d+ -> replicas=1 clients=1 ops=\d+ keys=1 fault steps=\d+`, stderr)
	text, err := os.ReadFile(out)
	require.NoError(t, err)
	s, err := scenario.ParseScript(out, string(text))
	require.NoError(t, err)
	require.Len(t, s.Blocks, 1)
	assert.True(t, strings.HasPrefix(s.Blocks[0].Command, "simulate seed=3 ops="), s.Blocks[0].Command)
	assert.Contains(t, s.Blocks[0].Expected, "violation [linearizability] key k0")
	assert.Contains(t, s.Blocks[0].Pre, "# What the shrunk run does")
	assert.Contains(t, s.Blocks[0].Pre, "client 0 on n1: GET k0 -> ")

	code, stdout, stderr = runCLI("run", "--scenario", out)
	assert.Equal(t, 1, code, "the shrunk run still fails")
	assert.Empty(t, stderr, "and prints what the script expects")
	assert.Contains(t, stdout, "FAIL "+out)

	words, err := scenario.SplitCommand(s.Blocks[0].Command)
	require.NoError(t, err)
	args, err := scenario.ParseSimulate(words[1:])
	require.NoError(t, err)
	assert.Less(t, args.Ops, 100)
	require.NotNil(t, args.Schedule, "the shrunk fault schedule travels in the script")
}

func TestShrinkRefusesPassingSeed(t *testing.T) {
	code, _, stderr := runCLI("shrink", "--seed", "1", "--ops", "100")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "shrink: seed 1 does not fail (verdict pass): nothing to shrink")
	code, _, stderr = runCLI("shrink")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--seed is required")
}

func TestRunScenarioExitCodes(t *testing.T) {
	code, stdout, stderr := runCLI("run", "--scenario", "../../scenario/testdata/scenarios/tutorial.txt")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "> get n2 name2\n(nil)\n")
	assert.Contains(t, stdout, "PASS ../../scenario/testdata/scenarios/tutorial.txt")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("start n1\n----\nok\n\nfrob\n----\n"), 0o644))
	code, _, stderr = runCLI("run", "--scenario", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, bad+":5: frob: unknown command")

	code, _, stderr = runCLI("run", "--scenario", filepath.Join(dir, "missing.txt"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "missing.txt")

	stale := filepath.Join(dir, "stale.txt")
	require.NoError(t, os.WriteFile(stale, []byte("start n1\n----\nok\n\nget n1 k\n----\n\"old\"\n"), 0o644))
	code, _, stderr = runCLI("run", "--scenario", stale)
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "transcript differs from the expected one at "+stale+":5: get n1 k")
}
