package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/replsim/replsim/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShrinkStaleReadToReplayableScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shrunk.txt")
	code, stdout, stderr := runCLI("shrink", "--seed", "1", "--bug", "stale-read", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Regexp(t, `shrink: seed 1 fails linearizability; replicas=2 chained=1 clients=c1,c2,c3,c4,r1,r2,r3 ops=1375 keys=\d+ fault steps=\d+ -> replicas=\d( chained=\d)? clients=c1(,c2)? ops=\d keys=\d fault steps=\d+ in \d+ runs`, stderr)
	text, err := os.ReadFile(out)
	require.NoError(t, err)
	s, err := scenario.ParseScript(out, string(text))
	require.NoError(t, err)
	require.Len(t, s.Blocks, 1)
	b := s.Blocks[0]
	assert.Equal(t, "simulate seed=1 bug=stale-read faults=<<FAULTS workload=<<WORKLOAD", b.Command, "the schedule and the operations are readable blocks")
	require.Len(t, b.Heredocs, 2)
	assert.Regexp(t, `(?m)^(at [0-9.]+ )?c1 GET k\d+$`, b.Heredocs[1].Body, "the stale read is in the list")
	assert.Contains(t, b.Expected, "violation [linearizability] key k")
	assert.Contains(t, b.Pre, "# What the shrunk run does")
	assert.Regexp(t, `c1 on n\d: GET k\d+ -> `, b.Pre)

	code, stdout, stderr = runCLI("run", "--scenario", out)
	assert.Equal(t, 1, code, "the shrunk run still fails")
	assert.Empty(t, stderr, "and prints what the script expects")
	assert.Contains(t, stdout, "FAIL "+out)

	words, err := b.Words()
	require.NoError(t, err)
	args, err := scenario.ParseSimulate(words[1:])
	require.NoError(t, err)
	require.NotNil(t, args.Workload, "the operations travel in the script")
	assert.LessOrEqual(t, len(args.Workload.Ops), 5)
	require.NotNil(t, args.Schedule, "the shrunk fault schedule travels in the script")

	code, _, stderr = runCLI("shrink", "--seed", "1", "--bug", "stale-read", "--max-runs", "5", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, ` in 5 runs\n`, stderr, "--max-runs bounds the search")
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
