package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/scenario"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "the seed to run")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the summary")
	ops := fs.Int("ops", 0, "client operations against the master (default 1000)")
	replicas := fs.Int("replicas", 0, "replicas of the master (default 2)")
	clients := fs.Int("clients", 0, "clients writing to the master (default 4)")
	keys := fs.Int("keys", 0, "size of the key space (default 8)")
	trace := fs.String("trace", "", "write every event line of the run to `FILE` ('-' for stderr); the verdict stays alone on stdout")
	script := fs.String("scenario", "", "replay a scenario script instead of a seed (exit 1 while it fails)")
	report := fs.String("report", "", "on a failing verdict, write summary.txt, report.html, history.html, trace.txt and repro.sh into this directory")
	determinism := fs.Bool("check-determinism", false, "run the seed twice and fail if the trace hashes differ, naming the first trace line where the runs part")
	printFaults := fs.Bool("print-faults", false, "print the fault schedule the seed generates and exit")
	noFaults := fs.Bool("no-faults", false, "run the seed's topology without fault steps")
	faultsFile := fs.String("faults", "", "run the fault schedule in `FILE` (as --print-faults writes it) instead of the seed's")
	var bugs stringList
	fs.Var(&bugs, "bug", "switch on a planted bug (repeatable; see 'replsim bugs')")
	var families stringList
	fs.Var(&families, "family", "force a command family into the seed's workload (repeatable; see 'replsim chaos -h')")
	var faults stringList
	fs.Var(&faults, "fault", "force a fault kind into the seed's swarm (repeatable; see 'replsim chaos -h')")
	if err := fs.Parse(bareTraceFlag(args)); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *script != "" {
		if *determinism {
			fmt.Fprintf(stderr, "run: --check-determinism does not go with --scenario\n")
			return 2
		}
		return scenario.RunFile(*script, stdout, stderr)
	}
	opts := harness.Options{Seed: *seed, Ops: *ops, Replicas: *replicas, Clients: *clients, Keys: *keys, Bugs: bugs, Families: families, Faults: faults,
		KeepTrace: *trace != "" || *report != "", NoFaults: *noFaults}
	if *faultsFile != "" {
		if *printFaults || *noFaults {
			fmt.Fprintf(stderr, "run: --faults does not go with --print-faults or --no-faults\n")
			return 2
		}
		text, err := os.ReadFile(*faultsFile)
		if err != nil {
			fmt.Fprintf(stderr, "run: --faults: %v\n", err)
			return 2
		}
		sched, err := fault.ParseSchedule(string(text))
		if err != nil {
			fmt.Fprintf(stderr, "run: --faults %s: %v\n", *faultsFile, err)
			return 2
		}
		seedSet := false
		fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
		if !seedSet {
			opts.Seed = sched.Seed
		}
		opts.Schedule = &sched
	}
	if err := opts.Validate(); err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	if *printFaults {
		fmt.Fprint(stdout, harness.GenerateSchedule(opts).Format())
		return 0
	}
	var res *harness.Result
	if *determinism {
		res = harness.CheckDeterminism(runSeed, opts)
	} else {
		res = runSeed(opts)
	}
	if *trace != "" {
		if err := writeTrace(*trace, res.Trace, stderr); err != nil {
			fmt.Fprintf(stderr, "run: --trace: %v\n", err)
			return 2
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 2
		}
	} else {
		fmt.Fprint(stdout, res.Summary())
		if !res.Passed() && *faultsFile != "" {
			fmt.Fprintf(stdout, "  with the schedule: go run ./cmd/replsim run --seed %d --faults %s\n", res.Seed, *faultsFile)
		}
	}
	if res.Passed() {
		return 0
	}
	if *report != "" {
		if err := harness.WriteReport(*report, res); err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 2
		}
		fmt.Fprintf(stderr, "report written to %s (open %s in a browser)\n", *report, filepath.Join(*report, harness.ReportHTML))
	}
	return 1
}

// bareTraceFlag keeps the old bare --trace (a boolean that printed the
// trace) working: a --trace with no value after it, or followed by another
// flag, means --trace - (stderr).
func bareTraceFlag(args []string) []string {
	out := make([]string, 0, len(args)+1)
	for i, a := range args {
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		if a != "--trace" && a != "-trace" {
			continue
		}
		if i+1 == len(args) || (strings.HasPrefix(args[i+1], "-") && args[i+1] != "-") {
			out = append(out, "-")
		}
	}
	return out
}

// writeTrace writes the trace lines to the file path, or to stderr when
// path is "-".
func writeTrace(path string, lines []string, stderr io.Writer) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if path == "-" {
		_, err := io.WriteString(stderr, b.String())
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
