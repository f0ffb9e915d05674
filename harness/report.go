package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Report file names inside the report directory.
const (
	ReportSummary = "summary.txt"
	ReportHistory = "history.html"
	ReportHTML    = "report.html"
	ReportTrace   = "trace.txt"
	ReportRepro   = "repro.sh"
)

// WriteReport writes the report of a run into dir, creating it if needed:
//
//   - summary.txt: which property failed, on which key or node, and the few
//     operations that matter, in plain words;
//   - report.html: the run drawn, self-contained (no network): a lane per
//     node (role, replication offset and ID, link state), per client
//     (operations as bars), faults and operator actions as marks, the
//     violation on top with the operations and offsets it names; the
//     summary and porcupine's view as tabs;
//   - history.html: porcupine's visualization of the master history, with
//     faults and operator actions (promotions, crashes) as annotations;
//   - trace.txt: every event of the run (rerun with KeepTrace if res has no
//     trace; a rerun that does not hash the same is called out);
//   - repro.sh: the one command that replays the run.
//
// It is meant for failing runs but works for any.
func WriteReport(dir string, res *Result) error {
	if res == nil {
		return fmt.Errorf("report: no result to write")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	write := func(name string, data []byte, mode os.FileMode) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			return fmt.Errorf("report: writing %s: %w", p, err)
		}
		return os.Chmod(p, mode)
	}
	summary := summaryText(res)
	if err := write(ReportSummary, []byte(summary), 0o644); err != nil {
		return err
	}
	history, err := historyHTML(res)
	if err != nil {
		return fmt.Errorf("report: rendering %s: %w", ReportHistory, err)
	}
	if err := write(ReportHistory, history, 0o644); err != nil {
		return err
	}
	page, err := reportHTML(res, summary, history)
	if err != nil {
		return fmt.Errorf("report: rendering %s: %w", ReportHTML, err)
	}
	if err := write(ReportHTML, page, 0o644); err != nil {
		return err
	}
	if err := write(ReportTrace, []byte(traceText(res)), 0o644); err != nil {
		return err
	}
	repro := "#!/bin/sh\n# Replays seed " + fmt.Sprint(res.Seed) + " exactly. Run it from the replsim repository root;\n# extra arguments (--trace FILE, --json) are passed on.\nexec " + reproCommand(res) + " \"$@\"\n"
	return write(ReportRepro, []byte(repro), 0o755)
}

// WriteReportPages writes the report's pages alone, report.html and
// history.html, into dir (made if needed): for a caller that writes the
// rest of a report folder itself, as chaos does.
func WriteReportPages(dir string, res *Result) error {
	if res == nil {
		return fmt.Errorf("report: no result to write")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	history, err := historyHTML(res)
	if err != nil {
		return fmt.Errorf("report: rendering %s: %w", ReportHistory, err)
	}
	page, err := reportHTML(res, summaryText(res), history)
	if err != nil {
		return fmt.Errorf("report: rendering %s: %w", ReportHTML, err)
	}
	for name, data := range map[string][]byte{ReportHistory: history, ReportHTML: page} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// reproCommand is the command that replays res (Result.Repro, which
// carries the options the CLI can set).
func reproCommand(res *Result) string { return res.Repro() }

// rerunOptions are the options that replay res.
func rerunOptions(res *Result) Options {
	o := res.Options
	if o.Seed != res.Seed {
		o = Options{Seed: res.Seed, Bugs: res.Bugs}
	}
	o.KeepTrace = true
	return o
}

func traceText(res *Result) string {
	lines := res.Trace
	var b strings.Builder
	fmt.Fprintf(&b, "# trace of %s (trace hash %s)\n", reproCommand(res), res.TraceHash)
	if len(lines) == 0 {
		again := Run(rerunOptions(res))
		lines = again.Trace
		if again.TraceHash != res.TraceHash {
			fmt.Fprintf(&b, "# WARNING: this trace comes from a rerun whose hash is %s, not %s: the run is not deterministic, or its options were not all recorded\n",
				again.TraceHash, res.TraceHash)
		}
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
