package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// fakeRuns replaces runSeed for a test: seeds in fail fail linearizability,
// seeds in unknown are unknown, and every seed run is recorded.
type fakeRuns struct {
	mu      sync.Mutex
	fail    map[uint64]bool
	unknown map[uint64]bool
	ran     []uint64
	// perturb, if set, changes the trace hash of the n-th run of a seed.
	perturb func(seed uint64, n int) bool
	runs    map[uint64]int
	// stats, if set, gives each seed's counters.
	stats func(seed uint64) map[string]int64
}

// useFake swaps runSeed for f until the test ends. Reports of sweeps
// without --out go to the OS temp directory, which is the test's own.
func useFake(t *testing.T, f *fakeRuns) *fakeRuns {
	t.Setenv("TMPDIR", t.TempDir())
	old := runSeed
	f.runs = map[uint64]int{}
	runSeed = f.run
	t.Cleanup(func() { runSeed = old })
	return f
}

func (f *fakeRuns) run(o harness.Options) *harness.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs[o.Seed]++
	if !o.KeepTrace {
		f.ran = append(f.ran, o.Seed)
	}
	res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass, TraceHash: fmt.Sprintf("%016x", o.Seed),
		Faults: map[string]int{"net_reset": 1}, Violations: []checker.Violation{}, Bugs: o.Bugs}
	if f.stats != nil {
		res.Stats = f.stats(o.Seed)
	}
	perturbed := f.perturb != nil && f.perturb(o.Seed, f.runs[o.Seed])
	if perturbed {
		res.TraceHash = "ffffffffffffffff"
	}
	if o.KeepTrace {
		for i := 1; i <= 20; i++ {
			l := fmt.Sprintf("0.%06d event %d", i, i)
			if perturbed && i >= 12 {
				l += " perturbed"
			}
			res.Trace = append(res.Trace, l)
		}
	}
	switch {
	case f.fail[o.Seed]:
		res.Verdict = harness.VerdictFail
		res.Violations = []checker.Violation{{Check: "linearizability", Detail: fmt.Sprintf("key k1: planted for seed %d", o.Seed)}}
	case f.unknown[o.Seed]:
		res.Verdict = harness.VerdictUnknown
		res.Violations = []checker.Violation{{Check: "linearizability", Detail: "key k2: checker timed out"}}
	}
	return res
}

func (f *fakeRuns) seedsRun() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]uint64(nil), f.ran...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func chaosJSON(t *testing.T, args ...string) (int, chaosSummary) {
	t.Helper()
	code, out, errOut := runCLI(append([]string{"chaos", "--json"}, args...)...)
	var s chaosSummary
	require.NoError(t, json.Unmarshal([]byte(out), &s), "stdout %q stderr %q", out, errOut)
	return code, s
}

func TestShardProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := rapid.Uint64Range(0, 1<<40).Draw(t, "start")
		total := rapid.Uint64Range(0, 200).Draw(t, "total")
		n := rapid.Uint64Range(1, 17).Draw(t, "n")
		seen := map[uint64]uint64{}
		for k := uint64(0); k < n; k++ {
			sh := shard{k: k, n: n}
			for i := uint64(0); i < sh.count(total); i++ {
				s := sh.seed(start, i)
				prev, dup := seen[s]
				require.False(t, dup, "seed %d in shards %d and %d", s, prev, k)
				require.True(t, sh.contains(start, s))
				seen[s] = k
			}
		}
		require.Len(t, seen, int(total), "the shards cover the sweep exactly")
		for s := range seen {
			require.True(t, s >= start && s < start+total, "seed %d outside the sweep", s)
		}
	})
}

func TestChaosShardsCoverUnshardedSweep(t *testing.T) {
	f := useFake(t, &fakeRuns{})
	dir := t.TempDir()
	code, all := chaosJSON(t, "--seeds", "23", "--start", "100")
	require.Equal(t, 0, code)
	require.EqualValues(t, 23, all.Seeds)
	unsharded := f.seedsRun()
	f.ran = nil
	var union []uint64
	for k := 0; k < 4; k++ {
		before := len(f.seedsRun())
		code, s := chaosJSON(t, "--seeds", "23", "--start", "100", "--shard", fmt.Sprintf("%d/4", k), "--out", dir)
		require.Equal(t, 0, code)
		got := f.seedsRun()
		assert.EqualValues(t, len(got)-before, s.Seeds)
		assert.Equal(t, fmt.Sprintf("%d/4", k), s.Shard)
		union = got
	}
	assert.Equal(t, unsharded, union, "four shards together run exactly the unsharded seeds, once each")
	for i, s := range unsharded {
		assert.EqualValues(t, 100+i, s)
	}
}

func TestChaosJSONShape(t *testing.T) {
	useFake(t, &fakeRuns{fail: map[uint64]bool{4: true, 2: true}, unknown: map[uint64]bool{5: true}})
	code, out, _ := runCLI("chaos", "--json", "--seeds", "6", "--out", t.TempDir(), "--workers", "3", "--bug", "stale-read")
	require.Equal(t, 1, code)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	for _, k := range []string{"seeds", "passed", "failed", "unknown", "failing_seeds", "unknown_seeds", "seeds_per_sec", "elapsed_sec", "faults", "start", "shard", "workers", "bugs", "check_determinism", "first_detection"} {
		assert.Contains(t, m, k)
	}
	assert.EqualValues(t, 6, m["seeds"])
	assert.EqualValues(t, 3, m["passed"])
	assert.EqualValues(t, 2, m["failed"])
	assert.EqualValues(t, 1, m["unknown"])
	assert.Equal(t, []any{2.0, 4.0}, m["failing_seeds"])
	assert.Equal(t, []any{5.0}, m["unknown_seeds"])
	assert.Equal(t, map[string]any{"net_reset": 6.0}, m["faults"], "faults are summed over seeds")
	assert.Equal(t, map[string]any{"seed": 2.0, "seeds_run": 2.0}, m["first_detection"])
	assert.Greater(t, m["seeds_per_sec"], 0.0)
}

func TestChaosJSONEmptyListsAreArrays(t *testing.T) {
	useFake(t, &fakeRuns{})
	code, out, _ := runCLI("chaos", "--json", "--seeds", "2")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"failing_seeds":[]`)
	assert.Contains(t, out, `"unknown_seeds":[]`)
	assert.Contains(t, out, `"first_detection":null`)
}

func TestChaosExitCodes(t *testing.T) {
	useFake(t, &fakeRuns{fail: map[uint64]bool{7: true}, unknown: map[uint64]bool{9: true}})
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--seeds", "5"}, 0, ""},
		{[]string{"--seeds", "7"}, 1, ""},
		{[]string{"--seeds", "3", "--start", "9"}, 1, ""},
		{[]string{"--shard", "4/4"}, 2, `--shard "4/4": want K/N with 0 <= K < N`},
		{[]string{"--shard", "x"}, 2, "want K/N"},
		{[]string{"--duration", "-1s"}, 2, "--duration -1s is negative"},
		{[]string{"--bug", "nope"}, 2, `unknown bug "nope"`},
		{[]string{"--workers", "0"}, 2, "--workers 0: want at least 1"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--frobnicate"}, 2, "flag provided but not defined"},
	} {
		code, _, errOut := runCLI(append([]string{"chaos"}, tc.args...)...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.err, "%v", tc.args)
	}
}

func TestChaosWritesReports(t *testing.T) {
	useFake(t, &fakeRuns{fail: map[uint64]bool{3: true, 1: true}})
	dir := filepath.Join(t.TempDir(), "out")
	code, out, _ := runCLI("chaos", "--seeds", "4", "--out", dir, "--workers", "2")
	require.Equal(t, 1, code)
	assert.Contains(t, out, "passed 2, failed 2, unknown 0")
	assert.Contains(t, out, "failing seeds: 1 3")
	assert.Equal(t, "  reports: "+dir+" (list in "+filepath.Join(dir, "failing-seeds.txt")+")", lastLine(out))
	list, err := os.ReadFile(filepath.Join(dir, "failing-seeds.txt"))
	require.NoError(t, err)
	assert.Equal(t, "seed 1 linearizability: key k1: planted for seed 1\nseed 3 linearizability: key k1: planted for seed 3\n", string(list))
	for _, name := range []string{"summary.txt", "repro.sh", "result.json", "report.html"} {
		assert.FileExists(t, filepath.Join(dir, "seed-3", name))
	}
	repro, err := os.ReadFile(filepath.Join(dir, "seed-3", "repro.sh"))
	require.NoError(t, err)
	assert.Contains(t, string(repro), "go run ./cmd/replsim run --seed 3 --ops 1000 --replicas 2")
	sum, err := os.ReadFile(filepath.Join(dir, "seed-3", "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), "reproduce: go run ./cmd/replsim run --seed 3 --ops 1000 --replicas 2")
}

func TestChaosCheckDeterminismCatchesDifference(t *testing.T) {
	// Every second run of seed 6 differs from line 12 on.
	f := useFake(t, &fakeRuns{perturb: func(seed uint64, n int) bool { return seed == 6 && n%2 == 0 }})
	dir := t.TempDir()
	code, s := chaosJSON(t, "--seeds", "8", "--check-determinism", "--out", dir)
	require.Equal(t, 1, code)
	assert.Equal(t, []uint64{6}, s.FailingSeeds)
	assert.True(t, s.Determinism)
	assert.Equal(t, 2, f.runs[1], "every seed runs twice")
	assert.Equal(t, 4, f.runs[6], "a seed whose hashes differ runs twice more, keeping its traces")
	list, err := os.ReadFile(filepath.Join(dir, "failing-seeds.txt"))
	require.NoError(t, err)
	assert.Equal(t, "seed 6 determinism: seed 6 replayed differently: trace hash 0000000000000006 on the first run, ffffffffffffffff on the second (more in seed-6/summary.txt)\n", string(list))
	sum, err := os.ReadFile(filepath.Join(dir, "seed-6", "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), "the traces first differ at line 12 (of 20 and 20 lines):")
	assert.Contains(t, string(sum), "    > 12  0.000012 event 12\n")
	assert.Contains(t, string(sum), "    > 12  0.000012 event 12 perturbed\n")
	assert.Contains(t, string(sum), "       9  0.000009 event 9\n", "context before the difference")
	assert.Contains(t, string(sum), "      15  0.000015 event 15 perturbed\n", "context after it")

	code, _ = chaosJSON(t, "--seeds", "8")
	assert.Equal(t, 0, code, "without the check the difference goes unnoticed")
}

func TestChaosDuration(t *testing.T) {
	useFake(t, &fakeRuns{})
	code, s := chaosJSON(t, "--duration", "30ms", "--shard", "1/3", "--start", "10")
	require.Equal(t, 0, code)
	require.Positive(t, s.Seeds)

	code, s = chaosJSON(t, "--duration", "1h", "--seeds", "5")
	require.Equal(t, 0, code)
	require.EqualValues(t, 5, s.Seeds, "with both, the sweep ends at whichever comes first")
}

// The real thing: a planted bug is caught, and the repro line in the report
// replays the very same run.
func TestChaosRealBugAndRepro(t *testing.T) {
	dir := t.TempDir()
	code, s := chaosJSON(t, "--seeds", "3", "--ops", "300", "--bug", "stale-read", "--out", dir)
	require.Equal(t, 1, code)
	require.NotNil(t, s.FirstDetection)
	require.EqualValues(t, 1, s.FirstDetection.SeedsRun)
	seed := s.FirstDetection.Seed
	repro, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("seed-%d", seed), "repro.sh"))
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, fmt.Sprintf("seed-%d", seed), "trace.txt"))
	var line string
	for _, l := range strings.Split(string(repro), "\n") {
		if strings.HasPrefix(l, "exec go run ./cmd/replsim ") {
			line = strings.TrimSuffix(strings.TrimPrefix(l, "exec go run ./cmd/replsim "), ` "$@"`)
		}
	}
	require.NotEmpty(t, line, string(repro))
	code, out, _ := runCLI(append(strings.Fields(line), "--json")...)
	require.Equal(t, 1, code)
	var res harness.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	want := harness.Run(harness.Options{Seed: seed, Ops: 300, Replicas: 2, Bugs: []string{"stale-read"}})
	assert.Equal(t, want.TraceHash, res.TraceHash)
	sum, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("seed-%d", seed), "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), "trace "+res.TraceHash)
}

func lastLine(out string) string {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	return lines[len(lines)-1]
}

// A sweep where every seed passes writes nothing, with or without --out,
// and says so in its last line.
func TestChaosWritesNothingWhenAllPass(t *testing.T) {
	useFake(t, &fakeRuns{})
	dir := filepath.Join(t.TempDir(), "out")
	code, out, _ := runCLI("chaos", "--seeds", "5", "--out", dir)
	require.Equal(t, 0, code)
	assert.Equal(t, "  reports: none (no seed failed)", lastLine(out))
	assert.NoDirExists(t, dir)

	code, out, _ = runCLI("chaos", "--seeds", "5")
	require.Equal(t, 0, code)
	assert.Equal(t, "  reports: none (no seed failed)", lastLine(out))
	made, err := os.ReadDir(os.TempDir())
	require.NoError(t, err)
	assert.Empty(t, made)

	code, js := chaosJSON(t, "--seeds", "5")
	require.Equal(t, 0, code)
	assert.Empty(t, js.Out)
}

// Without --out, a failure's reports go to a new folder in the OS temp
// directory (never the current one), named in the last line and the JSON.
func TestChaosReportsGoToTempByDefault(t *testing.T) {
	useFake(t, &fakeRuns{fail: map[uint64]bool{2: true}, unknown: map[uint64]bool{3: true}})
	code, out, _ := runCLI("chaos", "--seeds", "4")
	require.Equal(t, 1, code)
	made, err := filepath.Glob(filepath.Join(os.TempDir(), "replsim-chaos-*"))
	require.NoError(t, err)
	require.Len(t, made, 1)
	dir := made[0]
	assert.Equal(t, "  reports: "+dir+" (list in "+filepath.Join(dir, "failing-seeds.txt")+")", lastLine(out))
	list, err := os.ReadFile(filepath.Join(dir, "failing-seeds.txt"))
	require.NoError(t, err)
	assert.Equal(t, "seed 2 linearizability: key k1: planted for seed 2\nseed 3 unknown: key k2: checker timed out\n", string(list))
	assert.FileExists(t, filepath.Join(dir, "seed-2", "summary.txt"))
	assert.FileExists(t, filepath.Join(dir, "seed-3", "summary.txt"))

	code, js := chaosJSON(t, "--seeds", "4")
	require.Equal(t, 1, code)
	assert.True(t, strings.HasPrefix(js.Out, filepath.Join(os.TempDir(), "replsim-chaos-")), js.Out)
	assert.NotEqual(t, dir, js.Out, "each sweep gets its own folder")
	assert.FileExists(t, filepath.Join(js.Out, "failing-seeds.txt"))
}

// A report folder that cannot be made is an error (exit 2) after the
// summary, not a silent loss.
func TestChaosUnwritableOut(t *testing.T) {
	useFake(t, &fakeRuns{fail: map[uint64]bool{1: true}})
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, out, errOut := runCLI("chaos", "--seeds", "2", "--out", filepath.Join(file, "sub"))
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "failing seeds: 1")
	assert.Equal(t, "  reports: none (they could not be written)", lastLine(out))
	assert.Contains(t, errOut, "chaos: writing reports:")
}

// The Jepsen-style headline: the share of acknowledged writes lost on
// failover across the sweep, and the WAIT-covered ones.
func TestChaosFailoverHeadline(t *testing.T) {
	useFake(t, &fakeRuns{stats: func(seed uint64) map[string]int64 {
		return map[string]int64{"acked_writes": 1000 * int64(seed), "lost_on_failover": 10 * int64(seed), "promotions": 2,
			"wait_covered_writes": 100, "wait_lost_writes": 0}
	}})
	code, out, _ := runCLI("chaos", "--seeds", "4")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "\n  acknowledged writes lost on failover: 1.0% (100 of 10,000, over 8 promotions); with WAIT covering them: 0 of 400\n")
	code, s := chaosJSON(t, "--seeds", "4")
	require.Equal(t, 0, code)
	assert.Equal(t, failoverLoss{AckedWrites: 10000, Lost: 100, Promotions: 8, WaitCovered: 400}, s.Failover)

	useFake(t, &fakeRuns{})
	_, out, _ = runCLI("chaos", "--seeds", "2")
	assert.NotContains(t, out, "acknowledged writes", "no headline without acknowledged writes")
}

func TestCommas(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 13200: "13,200", 1234567: "1,234,567", -4500: "-4,500"} {
		assert.Equal(t, want, commas(n))
	}
}

// The real thing: a sweep of real runs counts acknowledged writes, and
// loses some on failover (Redis's asynchronous replication).
func TestChaosFailoverHeadlineReal(t *testing.T) {
	code, s := chaosJSON(t, "--seeds", "6", "--ops", "300")
	require.Equal(t, 0, code)
	assert.Positive(t, s.Failover.AckedWrites)
	assert.Positive(t, s.Failover.Promotions)
	assert.LessOrEqual(t, s.Failover.Lost, s.Failover.AckedWrites)
	assert.Zero(t, s.Failover.WaitLost, "no planted bug: WAIT keeps its promise")
}

// A seed whose run panics fails alone: the sweep goes on, counts it
// failed and writes its report (the panic and its stack).
func TestChaosSweepSurvivesAPanickingSeed(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	old := runSeed
	var one sync.Mutex // the hook is global: runs (and the report's replay) one at a time
	runSeed = func(o harness.Options) *harness.Result {
		one.Lock()
		defer one.Unlock()
		if o.Seed == 2 {
			cluster.DrawHook = func(*checker.Op) { panic("planted panic") }
			defer func() { cluster.DrawHook = nil }()
		}
		return harness.Run(o)
	}
	t.Cleanup(func() { runSeed = old })
	var out, errOut bytes.Buffer
	code := chaosCommand([]string{"--seeds", "3", "--workers", "1", "--json"}, &out, &errOut)
	assert.Equal(t, 1, code, errOut.String())
	var sum chaosSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &sum))
	assert.Equal(t, uint64(3), sum.Seeds)
	assert.Equal(t, []uint64{2}, sum.FailingSeeds)
	summary, err := os.ReadFile(filepath.Join(sum.Out, "seed-2", "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(summary), "the run panicked: planted panic")
}
