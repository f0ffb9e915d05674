package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// perturbEverySecondRun swaps runSeed for a real run that, every second
// time, issues one more operation: a stand-in for a nondeterministic run.
func perturbEverySecondRun(t *testing.T) {
	old := runSeed
	var mu sync.Mutex
	n := 0
	runSeed = func(o harness.Options) *harness.Result {
		mu.Lock()
		n++
		odd := n%2 == 1
		mu.Unlock()
		if !odd {
			o.Ops++
		}
		return harness.Run(o)
	}
	t.Cleanup(func() { runSeed = old })
}

func TestRunCheckDeterminismNamesFirstDifferingLine(t *testing.T) {
	code, out, _ := replsimCLI("run", "--seed", "7", "--ops", "200", "--check-determinism")
	require.Equal(t, 0, code, "an unperturbed run replays the same:\n%s", out)

	perturbEverySecondRun(t)
	code, out, _ = replsimCLI("run", "--seed", "7", "--ops", "200", "--check-determinism")
	require.Equal(t, 1, code, out)

	a := harness.Run(harness.Options{Seed: 7, Ops: 200, KeepTrace: true})
	b := harness.Run(harness.Options{Seed: 7, Ops: 201, KeepTrace: true})
	i := 0
	for i < len(a.Trace) && i < len(b.Trace) && a.Trace[i] == b.Trace[i] {
		i++
	}
	require.Less(t, i, min(len(a.Trace), len(b.Trace)), "the perturbation must change the trace")
	assert.Contains(t, out, "VIOLATION [determinism] seed 7 replayed differently: trace hash "+a.TraceHash+" on the first run, "+b.TraceHash+" on the second\n")
	assert.Contains(t, out, fmt.Sprintf("the traces first differ at line %d (of %d and %d lines):", i+1, len(a.Trace), len(b.Trace)))
	first, second, ok := strings.Cut(out, "second run:")
	require.True(t, ok, out)
	assert.Contains(t, first, fmt.Sprintf("> %d  %s\n", i+1, a.Trace[i]), "the first run's differing line")
	assert.Contains(t, second, fmt.Sprintf("> %d  %s\n", i+1, b.Trace[i]), "the second run's differing line")
	assert.Contains(t, first, fmt.Sprintf("%d  %s\n", i, a.Trace[i-1]), "a line of context before it")
	assert.Contains(t, second, fmt.Sprintf("%d  %s\n", i+2, b.Trace[i+1]), "a line of context after it")
}

func TestRunCheckDeterminismRefusesScenario(t *testing.T) {
	code, _, errOut := replsimCLI("run", "--scenario", "x.txt", "--check-determinism")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--check-determinism does not go with --scenario")
}
