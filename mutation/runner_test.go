package mutation

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/gotool"
)

// The runner end to end, on real builds and a small sweep: a mutant that
// stops the master from feeding its replication stream is killed, one that
// does not compile is invalid, and a listed equivalent one is not run.
func TestExecuteKillsAKnownMutant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds replsim and sweeps chaos")
	}
	mod, err := gotool.FindModule(".")
	require.NoError(t, err)
	const file = "node/propagate.go"
	src, err := os.ReadFile(filepath.Join(mod.Root, file))
	require.NoError(t, err)
	ms, err := Enumerate(file, src)
	require.NoError(t, err)
	var feed *Mutant
	for i, m := range ms {
		if m.Desc == "remove call: r.feedRaw(cmds)" {
			feed = &ms[i]
		}
	}
	require.NotNil(t, feed, "the mutant this test relies on: feedStream's r.feedRaw(cmds)")
	broken := Mutant{File: file, Line: 1, Col: 1, Op: "garble", Desc: "not Go", edits: []edit{{0, 0, "not Go at all\n"}}}
	skipped := ms[0]

	var log strings.Builder
	out, err := Execute(Options{
		Module: mod, Seeds: 20, Workers: 1, Jobs: 1, Timeout: 2 * time.Minute, SkipBaseline: true,
		Equivalent: EquivalentList{skipped.ID(): {Code: skipped.Desc, Reason: "test"}}, Log: &log, Judge: 1,
	}, []Mutant{skipped, broken, *feed, ms[1]}, map[string][]byte{file: src})
	require.NoError(t, err, log.String())
	require.Len(t, out.Results, 3, "stops after the first judged mutant")
	assert.Equal(t, Equivalent, out.Results[0].Status)
	assert.Equal(t, Invalid, out.Results[1].Status)
	assert.Contains(t, out.Results[1].Detail, "does not compile")
	assert.Equal(t, Killed, out.Results[2].Status, out.Results[2].Detail)
	assert.Contains(t, out.Results[2].Detail, "seed ")
}

// sweep's verdicts, with shell scripts standing in for replsim.
func TestSweepVerdicts(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755))
		return p
	}
	for _, tc := range []struct {
		name, body string
		killed     bool
		detail     string
	}{
		{"pass", "exit 0", false, "100 seeds passed"},
		{"fail", `echo '{"failing_seeds":[7,9],"unknown_seeds":[]}'; exit 1`, true, "seed 7 failed"},
		{"unknown", `echo '{"failing_seeds":[],"unknown_seeds":[4]}'; exit 1`, true, "seed 4 unknown"},
		{"crash", "echo 'goroutine 1' >&2; echo 'panic: boom' >&2; exit 2", true, "crash: panic: boom"},
		{"exit", "exit 3", true, "crash: chaos exit 3"},
		{"hang", "exec sleep 30", true, "timeout after 300ms"},
		// The chunks: 25 seeds from 1, then 50 from 26; seed 30 fails.
		// A failing seed's report goes to --out, which sweep removes.
		{"reports", `out=${3#--out=}; mkdir -p "$out/seed-7" && echo '{"failing_seeds":[7]}' && exit 1; exit 9`, true, "seed 7 failed"},
		{"chunks", `case "$5" in --start=1) exit 0;; --start=26) [ "$4" = --seeds=50 ] && echo '{"failing_seeds":[30]}' && exit 1;; esac; exit 9`, true, "seed 30 failed"},
	} {
		o := Options{Module: gotool.Module{Root: dir}, Seeds: 100, Start: 1, Workers: 1, Timeout: time.Minute}
		if tc.name == "hang" {
			o.Timeout = 300 * time.Millisecond
		}
		ctx, cancel := context.WithTimeout(t.Context(), o.Timeout)
		reports := filepath.Join(dir, "reports-"+tc.name)
		killed, detail, err := sweep(ctx, o, script(tc.name, tc.body), reports)
		cancel()
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.killed, killed, tc.name)
		assert.Equal(t, tc.detail, detail, tc.name)
		assert.NoDirExists(t, reports, tc.name)
	}
}
