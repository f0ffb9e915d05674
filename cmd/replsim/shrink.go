package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/shrink"
)

const shrinkUsage = `usage: replsim shrink --seed N [--bug NAME] [--ops N] [--replicas N] [--out FILE]

Minimizes a failing run (by default the standard chaos scenario of the seed,
as 'replsim chaos' ran it) to a smaller run that fails the same property. It
freezes the run as data, its fault schedule and the operations its clients
sent, and cuts them down: single operations, clients, keys, values, fault
steps, replicas, then times, until nothing more goes (and, while many
operations are left, tries other seeds). Prints (or writes to --out) a
scenario script that carries the schedule and the operation list, that
'replsim run --scenario FILE' replays (exit 1 while it still fails) and that
go test runs as a regression once it is copied to
scenario/testdata/regressions/.

`

func shrinkCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shrink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, shrinkUsage); fs.PrintDefaults() }
	seed := fs.Uint64("seed", 0, "the failing seed (required)")
	var bugs stringList
	fs.Var(&bugs, "bug", "switch on a planted bug (repeatable)")
	ops := fs.Int("ops", 0, "operations of the failing run (default: the standard 1000)")
	replicas := fs.Int("replicas", 0, "replicas of the failing run (default: the standard 2)")
	out := fs.String("out", "", "write the scenario script here instead of stdout")
	maxRuns := fs.Int("max-runs", 2000, "give up shrinking after this many simulations")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shrink: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *seed == 0 {
		fmt.Fprintf(stderr, "shrink: --seed is required\n")
		return 2
	}
	orig := harness.StandardOptions(*seed)
	if *ops > 0 {
		orig.Ops = *ops
	}
	if *replicas > 0 {
		orig.Replicas = *replicas
	}
	orig.Bugs = bugs
	if err := orig.Validate(); err != nil {
		fmt.Fprintf(stderr, "shrink: %v\n", err)
		return 2
	}
	first := runSeed(orig)
	if first.Verdict != harness.VerdictFail {
		fmt.Fprintf(stderr, "shrink: seed %d does not fail (verdict %s): nothing to shrink\n", *seed, first.Verdict)
		return 2
	}
	check := first.Violations[0].Check
	r := shrink.Shrink(orig, check, *maxRuns, runSeed)
	script, err := shrink.Script(r, shrinkCommandLine(args), runSeed)
	if err != nil {
		fmt.Fprintf(stderr, "shrink: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "shrink: seed %d fails %s; %s -> %s in %d runs\n", *seed, check, shrink.DescribeSize(r.Before), shrink.DescribeSize(r.Shrunk), r.Runs)
	if *out == "" {
		fmt.Fprint(stdout, script)
		return 0
	}
	if err := os.WriteFile(*out, []byte(script), 0o644); err != nil {
		fmt.Fprintf(stderr, "shrink: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "shrink: wrote %s; replay with: go run ./cmd/replsim run --scenario %s\n", *out, *out)
	return 0
}

func shrinkCommandLine(args []string) string {
	return strings.Join(append([]string{"replsim", "shrink"}, args...), " ")
}
