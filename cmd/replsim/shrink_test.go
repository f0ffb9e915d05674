package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A synthetic failure that needs at least 2 replicas and 37 operations
// shrinks to exactly that, with one client and one key.
func TestShrinkFindsTheThreshold(t *testing.T) {
	old := runSeed
	t.Cleanup(func() { runSeed = old })
	runs := 0
	runSeed = func(o harness.Options) *harness.Result {
		runs++
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass}
		if o.Replicas >= 2 && o.Ops >= 37 {
			res.Verdict = harness.VerdictFail
			res.Violations = []checker.Violation{{Check: "convergence", Detail: "x"}}
		}
		return res
	}
	r := shrink(harness.StandardOptions(5), "convergence", 1000)
	require.NotNil(t, r.shrunk.Schedule, "the fault schedule is frozen to shrink it")
	assert.Equal(t, []string{"heal"}, stepKinds(r.shrunk.Schedule), "faults the failure does not need are dropped")
	noSched := r.shrunk
	noSched.Schedule = nil
	assert.Equal(t, harness.Options{Seed: 5, Ops: 37, Clients: 1, Replicas: 2, Keys: 1}, noSched)
	assert.Equal(t, harness.StandardOptions(5), r.original)
	assert.Equal(t, runs, r.runs)
	assert.Less(t, r.runs, 300)
	assert.Equal(t, "replicas=2 clients=1 ops=37 keys=1 fault steps=1", describeSize(r.shrunk))

	short := shrink(harness.StandardOptions(5), "convergence", 3)
	assert.Equal(t, 3, short.runs, "max runs bounds the search")
}

// A failure that needs two particular fault steps keeps exactly those.
func TestShrinkKeepsTheFaultStepsThatMatter(t *testing.T) {
	old := runSeed
	t.Cleanup(func() { runSeed = old })
	full := harness.GenerateSchedule(harness.StandardOptions(5))
	require.Greater(t, len(full.Steps), 4)
	a, b := full.Steps[1].String(), full.Steps[3].String()
	runSeed = func(o harness.Options) *harness.Result {
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass}
		s := scheduleOf(o)
		has := map[string]bool{}
		for _, st := range s.Steps {
			has[st.String()] = true
		}
		if has[a] && has[b] {
			res.Verdict = harness.VerdictFail
			res.Violations = []checker.Violation{{Check: "prefix", Detail: "x"}}
		}
		return res
	}
	r := shrink(harness.StandardOptions(5), "prefix", 2000)
	require.NotNil(t, r.shrunk.Schedule)
	var got []string
	for _, st := range r.shrunk.Schedule.Steps {
		got = append(got, st.String())
	}
	assert.Equal(t, []string{a, b, full.Steps[len(full.Steps)-1].String()}, got)
}

func stepKinds(s *harness.Schedule) []string {
	var out []string
	for _, st := range s.Steps {
		out = append(out, st.Kind)
	}
	return out
}

// Another property failing does not count as the same failure.
func TestShrinkKeepsTheProperty(t *testing.T) {
	old := runSeed
	t.Cleanup(func() { runSeed = old })
	runSeed = func(o harness.Options) *harness.Result {
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictFail,
			Violations: []checker.Violation{{Check: "linearizability", Detail: "x"}}}
		if o.Ops >= 500 {
			res.Violations = []checker.Violation{{Check: "convergence", Detail: "y"}}
		}
		return res
	}
	r := shrink(harness.StandardOptions(5), "convergence", 1000)
	assert.Equal(t, 500, r.shrunk.Ops)
}

func TestShrinkStaleReadToReplayableScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shrunk.txt")
	code, stdout, stderr := runCLI("shrink", "--seed", "3", "--bug", "stale-read", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Regexp(t, `shrink: seed 3 fails linearizability; replicas=2 clients=4 ops=1000 keys=8 fault steps=\d+ -> replicas=1 clients=1 ops=\d+ keys=1 fault steps=\d+`, stderr)
	text, err := os.ReadFile(out)
	require.NoError(t, err)
	s, err := harness.ParseScript(out, string(text))
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

	words, err := harness.SplitCommand(s.Blocks[0].Command)
	require.NoError(t, err)
	args, err := harness.ParseSimulate(words[1:])
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
	code, stdout, stderr := runCLI("run", "--scenario", "../../harness/testdata/scenarios/tutorial.txt")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "> get n2 name2\n(nil)\n")
	assert.Contains(t, stdout, "PASS ../../harness/testdata/scenarios/tutorial.txt")

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
