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
	assert.Contains(t, summary, "Who was master when: n1 master 0–")
	assert.Regexp(t, `>>> VIOLATION 1 \[linearizability\] on n1, keys \S+`, summary)
	assert.Regexp(t, `client c\d on n1: `, summary, "clients by the names the cluster gave them")
	assert.NotRegexp(t, `client \d`, summary)

	html := readReport(t, dir, ReportHistory)
	assert.Contains(t, html, "<html")
	assert.Contains(t, html, "GET k")
	assert.Contains(t, html, `const replsimClientNames = ["c1","c2","c3","c4","r1"`, "porcupine names clients as the cluster does")
	assert.Contains(t, html, "(replsimClientNames[i] || i)", "porcupine's row labels use the names (a porcupine upgrade may move that line)")

	page := readReport(t, dir, ReportHTML)
	assert.Contains(t, page, `<section id="violation">`)
	assert.Contains(t, page, "Violation 1 of ")
	assert.Contains(t, page, `"clients":["c1","c2","c3","c4","r1"`)
	for _, external := range []string{`src="http`, `href="http`, "<link", "@import", "url(http", "fetch(", "XMLHttpRequest"} {
		assert.NotContains(t, page, external, "report.html is self-contained")
	}
	assert.Equal(t, 1, strings.Count(page, "<script id=\"report-data\""))

	trace := readReport(t, dir, ReportTrace)
	assert.True(t, strings.HasSuffix(trace, strings.Join(res.Trace, "\n")+"\n"), "trace.txt holds every trace line")
	assert.NotContains(t, trace, "WARNING")

	repro := readReport(t, dir, ReportRepro)
	assert.Equal(t, "#!/bin/sh\n# Replays seed 3 exactly. Run it from the replsim repository root;\n# extra arguments (--trace FILE, --json) are passed on.\nexec go run ./cmd/replsim run --seed 3 --bug stale-read \"$@\"\n", repro)
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
