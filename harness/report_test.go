package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readReport(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// TestWriteReport: a failing run's report says which property broke, shows
// the history, holds the full trace and replays with one command.
func TestWriteReport(t *testing.T) {
	res := Run(Options{Seed: 3, Bugs: []string{"stale-read"}, KeepTrace: true})
	require.Equal(t, VerdictFail, res.Verdict)
	dir := filepath.Join(t.TempDir(), "report")
	require.NoError(t, WriteReport(dir, res))

	summary := readReport(t, dir, ReportSummary)
	assert.Contains(t, summary, "replsim run, seed 3: FAIL")
	assert.Contains(t, summary, "== linearizability\nWhat it means: ")
	assert.Regexp(t, `\n1\. key (d1:)?k`, summary)
	assert.Contains(t, summary, "Replay it exactly: go run ./cmd/replsim run --seed 3 --bug stale-read")

	html := readReport(t, dir, ReportHistory)
	assert.Contains(t, html, "<html")
	assert.Contains(t, html, "GET k")

	trace := readReport(t, dir, ReportTrace)
	assert.True(t, strings.HasSuffix(trace, strings.Join(res.Trace, "\n")+"\n"), "trace.txt holds every trace line")
	assert.NotContains(t, trace, "WARNING")

	repro := readReport(t, dir, ReportRepro)
	assert.Equal(t, "#!/bin/sh\n# Replays seed 3 exactly. Run it from the replsim repository root;\n# extra arguments (--trace, --json) are passed on.\nexec go run ./cmd/replsim run --seed 3 --bug stale-read \"$@\"\n", repro)
	st, err := os.Stat(filepath.Join(dir, ReportRepro))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), st.Mode().Perm())
}

// Without a kept trace, WriteReport reruns the seed for it, and the rerun
// hashes the same.
func TestWriteReportRerunsForTrace(t *testing.T) {
	res := Run(Options{Seed: 5, Bugs: []string{"no-multi-wrap"}, Ops: 300})
	require.Equal(t, VerdictFail, res.Verdict)
	require.Empty(t, res.Trace)
	dir := t.TempDir()
	require.NoError(t, WriteReport(dir, res))
	trace := readReport(t, dir, ReportTrace)
	assert.NotContains(t, trace, "WARNING")
	assert.Greater(t, strings.Count(trace, "\n"), 100)
	assert.Contains(t, readReport(t, dir, ReportRepro), "--ops 300")
	assert.Contains(t, readReport(t, dir, ReportSummary), "== prefix")
}

func TestWriteReportErrors(t *testing.T) {
	require.Error(t, WriteReport(t.TempDir(), nil))
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	err := WriteReport(filepath.Join(file, "sub"), &Result{Seed: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "report:")
}
