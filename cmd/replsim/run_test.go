package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replsimCLI runs the replsim CLI in process and returns exit status and outputs.
func replsimCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunJSONVerdict(t *testing.T) {
	code, out, _ := replsimCLI("run", "--seed", "42", "--json")
	require.Equal(t, 0, code, out)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	for _, k := range []string{"seed", "verdict", "trace_hash", "ops", "events", "sim_time_ms", "violations"} {
		assert.Contains(t, v, k)
	}
	assert.Equal(t, float64(42), v["seed"])
	assert.Equal(t, "pass", v["verdict"])
	assert.Regexp(t, `^[0-9a-f]{16}$`, v["trace_hash"])
	assert.Equal(t, []any{}, v["violations"])

	_, again, _ := replsimCLI("run", "--seed", "42", "--json")
	assert.Equal(t, out, again, "the same seed must print the same verdict and trace hash")
}

func TestRunSummaryAndFailureExit(t *testing.T) {
	code, out, _ := replsimCLI("run", "--seed", "3")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `(?m)^seed 3: PASS$`, out)
	assert.Regexp(t, `trace [0-9a-f]{16}`, out)

	code, out, _ = replsimCLI("run", "--seed", "3", "--bug", "stale-read")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "seed 3: FAIL")
	assert.Contains(t, out, "VIOLATION [linearizability] key k")
	assert.Contains(t, out, "reproduce: go run ./cmd/replsim run --seed 3 --bug stale-read")
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--seed", "x"},
		{"run", "--bogus"},
		{"run", "extra"},
		{"run", "--bug", "no-such-bug"},
		{"frobnicate"},
		{},
	} {
		code, _, errOut := replsimCLI(args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, errOut, "%v: a usage error must say what is wrong", args)
	}
	_, _, errOut := replsimCLI("run", "--bug", "no-such-bug")
	assert.Contains(t, errOut, `unknown bug "no-such-bug"`)
}

func TestBugsListsOnePerLine(t *testing.T) {
	code, out, _ := replsimCLI("bugs")
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.GreaterOrEqual(t, len(lines), 12)
	row := regexp.MustCompile(`^[a-z0-9-]+ +[a-z_-]+ +\S.*$`) // properties as checks name them (child_jobs)
	for _, l := range lines {
		assert.Regexp(t, row, l)
	}
}
