package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/harness"
)

// maxTracedReports bounds how many failing seeds of one sweep are re-run to
// keep their full trace in the report (a trace is a few hundred kB) and get
// report.html; later failures get a summary and the repro line only.
const maxTracedReports = 20

// chaosReporter writes the reports of a sweep's failing seeds:
// failing-seeds.txt (appended as failures come in, sorted at the end) and
// one report folder per failing seed. Nothing is written before the first
// failure.
type chaosReporter struct {
	out    string // --out; "" for a new folder in the OS temp directory
	dir    string // the reports' folder, once made
	list   *os.File
	lines  map[uint64]string
	traced int
	err    error
}

// newChaosReporter returns a reporter writing under out ("" = a new folder
// in the OS temp directory).
func newChaosReporter(out string) *chaosReporter {
	return &chaosReporter{out: out, lines: map[uint64]string{}}
}

// open makes the reports' folder and failing-seeds.txt, once.
func (r *chaosReporter) open() error {
	if r.list != nil {
		return nil
	}
	dir := r.out
	var err error
	if dir == "" {
		dir, err = os.MkdirTemp("", "replsim-chaos-")
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "failing-seeds.txt"))
	if err != nil {
		return err
	}
	r.dir, r.list = dir, f
	return nil
}

// failLine is the failing-seeds.txt line of a result: "seed N check: detail",
// the detail cut at its first line break.
func failLine(res *harness.Result) string {
	check, detail := res.Verdict, "no violation recorded"
	if len(res.Violations) > 0 {
		check, detail = res.Violations[0].Check, res.NamedDetail(res.Violations[0])
		if res.Verdict == harness.VerdictUnknown {
			check = "unknown"
		}
	}
	if first, _, more := strings.Cut(detail, "\n"); more {
		// The rest (a determinism failure's trace lines) is in the
		// seed's summary.txt.
		detail = first + " (more in seed-" + strconv.FormatUint(res.Seed, 10) + "/summary.txt)"
	}
	return fmt.Sprintf("seed %d %s: %s", res.Seed, check, detail)
}

func (r *chaosReporter) failure(opts harness.Options, res *harness.Result) {
	if r.err != nil {
		return
	}
	if r.err = r.open(); r.err != nil {
		return
	}
	line := failLine(res)
	r.lines[res.Seed] = line
	if _, err := fmt.Fprintln(r.list, line); err != nil {
		r.err = err
		return
	}
	// A run that replayed differently keeps its own result: a replay
	// could hash like the first run and lose the determinism failure.
	replayed := len(res.Violations) > 0 && res.Violations[0].Check == harness.PropDeterminism
	full := r.traced < maxTracedReports
	if full && !replayed {
		if traced := replayWithTrace(opts, res); traced != nil {
			res = traced
		}
	}
	dir := filepath.Join(r.dir, "seed-"+strconv.FormatUint(res.Seed, 10))
	if r.err = writeReportFallback(dir, res, reproLine(opts)); r.err != nil {
		return
	}
	if full {
		// report.html (and porcupine's history.html) for the first few
		// failures: rendering checks the history with porcupine again.
		r.traced++
		r.err = harness.WriteReportPages(dir, res)
	}
}

// replayWithTrace runs the seed again keeping its trace. The replay must
// give the same trace hash; if it does not (a determinism failure), the
// first result is kept and nil returned.
func replayWithTrace(opts harness.Options, res *harness.Result) *harness.Result {
	opts.KeepTrace = true
	again := runSeed(opts)
	if again.TraceHash != res.TraceHash {
		return nil
	}
	return again
}

// close rewrites failing-seeds.txt in seed order; it does nothing when no
// seed failed.
func (r *chaosReporter) close() error {
	if r.list == nil {
		return r.err
	}
	if err := r.list.Close(); err != nil && r.err == nil {
		r.err = err
	}
	if r.err != nil {
		return r.err
	}
	seeds := make([]uint64, 0, len(r.lines))
	for s := range r.lines {
		seeds = append(seeds, s)
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	var b strings.Builder
	for _, s := range seeds {
		b.WriteString(r.lines[s] + "\n")
	}
	return os.WriteFile(filepath.Join(r.dir, "failing-seeds.txt"), []byte(b.String()), 0o644)
}

// reproLine is the command that replays a seed with its options.
func reproLine(o harness.Options) string {
	s := fmt.Sprintf("go run ./cmd/replsim run --seed %d", o.Seed)
	if o.Ops > 0 {
		s += fmt.Sprintf(" --ops %d", o.Ops)
	}
	if o.Replicas > 0 {
		s += fmt.Sprintf(" --replicas %d", o.Replicas)
	}
	for _, b := range o.Bugs {
		s += " --bug " + b
	}
	for _, f := range o.Families {
		s += " --family " + f
	}
	for _, f := range o.Faults {
		s += " --fault " + f
	}
	return s
}

// writeReportFallback writes a minimal report folder: summary.txt,
// repro.sh, result.json and, when the result kept it, trace.txt. It stands
// in for harness.WriteReport until that lands.
func writeReportFallback(dir string, res *harness.Result, repro string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	summary := strings.Replace(res.Summary(), res.Repro(), repro, 1)
	script := fmt.Sprintf("#!/bin/sh\n# Replays seed %d (trace hash %s); add --trace FILE (- for stderr) for every event.\nexec %s \"$@\"\n", res.Seed, res.TraceHash, repro)
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{"summary.txt": []byte(summary), "repro.sh": []byte(script), "result.json": append(js, '\n')}
	if len(res.Trace) > 0 {
		files["trace.txt"] = []byte(strings.Join(res.Trace, "\n") + "\n")
	}
	for name, data := range files {
		mode := os.FileMode(0o644)
		if name == "repro.sh" {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			return err
		}
	}
	return nil
}
