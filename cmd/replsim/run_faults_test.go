package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func faultsCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestPrintFaultsThenRunThem: --print-faults prints the seed's schedule and
// runs nothing; --faults of that file replays the seeded run exactly, with
// the seed taken from the file; an edited file runs as edited.
func TestPrintFaultsThenRunThem(t *testing.T) {
	code, text, _ := faultsCLI("run", "--seed", "42", "--ops", "300", "--print-faults")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(text, "# replsim fault schedule"), text)
	assert.Contains(t, text, "\nseed 42\n")
	assert.Contains(t, text, "\ntopology replicas=2 ")
	assert.NotContains(t, text, "trace", "nothing ran")

	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
	hash := func(args ...string) string {
		_, out, errs := faultsCLI(append([]string{"run", "--json", "--ops", "300"}, args...)...)
		var res struct {
			TraceHash string   `json:"trace_hash"`
			Swarm     []string `json:"swarm"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &res), out+errs)
		require.NotNil(t, res.Swarm)
		return res.TraceHash
	}
	plain := hash("--seed", "42")
	assert.Equal(t, plain, hash("--faults", file))
	assert.Equal(t, plain, hash("--faults", file, "--seed", "42"))

	lines := strings.Split(strings.TrimSpace(text), "\n")
	edited := strings.Join(lines[:len(lines)-2], "\n") + "\n" + lines[len(lines)-1] + "\n"
	require.NoError(t, os.WriteFile(file, []byte(edited), 0o644))
	assert.NotEqual(t, plain, hash("--faults", file), "a removed step changes the run")
}

func TestFaultsFileErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(file, []byte("seed 1\ntopology replicas=2 chained=0 clients=4\nat 1 proc_crash n9 torn\n"), 0o644))
	code, _, errs := faultsCLI("run", "--faults", file)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `bad.txt: schedule line 3: proc_crash: unknown node "n9"`)

	code, _, errs = faultsCLI("run", "--faults", filepath.Join(dir, "missing.txt"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "run: --faults:")

	require.NoError(t, os.WriteFile(file, []byte("seed 1\ntopology replicas=2 chained=0 clients=4\n"), 0o644))
	code, _, errs = faultsCLI("run", "--faults", file, "--replicas", "3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "topology has replicas=2 but the run asks for 3")

	code, _, errs = faultsCLI("run", "--faults", file, "--print-faults")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "does not go with --print-faults or --no-faults")
}

func TestNoFaults(t *testing.T) {
	code, text, _ := faultsCLI("run", "--seed", "42", "--no-faults", "--print-faults")
	require.Equal(t, 0, code)
	assert.Contains(t, text, "\nswarm none\n")
	assert.NotContains(t, text, "\nat ")
	code, out, _ := faultsCLI("run", "--seed", "42", "--no-faults", "--ops", "300")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "faults: none")
}
