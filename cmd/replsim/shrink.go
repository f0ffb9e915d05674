package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/replsim/replsim/harness"
)

const shrinkUsage = `usage: replsim shrink --seed N [--bug NAME] [--ops N] [--replicas N] [--out FILE]

Minimizes a failing run (by default the standard chaos scenario of the seed,
as 'replsim chaos' ran it) to a smaller run that fails the same property:
fewer replicas, clients, operations and keys, then fewer fault steps. Prints (or writes to --out) a
scenario script that 'replsim run --scenario FILE' replays (exit 1 while it
still fails) and that go test runs as a regression once it is copied to
harness/testdata/regressions/.

`

// shrinkDimension is one knob of a run the shrinker can turn down.
type shrinkDimension struct {
	name string
	// size measures the knob in o.
	size func(o harness.Options) int
	// smaller lists variants of o that are smaller along this knob, the
	// most aggressive first.
	smaller func(o harness.Options) []harness.Options
}

// smallOps is the operation count up to which the shrinker tries every value.
const smallOps = 64

// shrinkDimensions are tried in order, round after round, until none
// shrinks. The fault schedule comes last: once frozen, its topology stays.
var shrinkDimensions = []shrinkDimension{
	{"replicas", func(o harness.Options) int { return o.Replicas }, func(o harness.Options) []harness.Options {
		if frozen(o) {
			return nil
		}
		return ascending(o, 1, o.Replicas, func(o *harness.Options, v int) { o.Replicas = v })
	}},
	{"clients", func(o harness.Options) int { return o.Clients }, func(o harness.Options) []harness.Options {
		if frozen(o) {
			return nil
		}
		return ascending(o, 1, o.Clients, func(o *harness.Options, v int) { o.Clients = v })
	}},
	{"ops", func(o harness.Options) int { return o.Ops }, func(o harness.Options) []harness.Options {
		set := func(o *harness.Options, v int) { o.Ops = v }
		// Failures are not monotone in the number of operations (a dropped
		// write shows only if nothing overwrites it), so every small count
		// is worth a try before bisecting.
		small := ascending(o, 1, min(o.Ops, smallOps+1), set)
		return append(small, bisecting(o, smallOps+1, o.Ops, set)...)
	}},
	{"keys", func(o harness.Options) int { return o.Keys }, func(o harness.Options) []harness.Options {
		return ascending(o, 1, o.Keys, func(o *harness.Options, v int) { o.Keys = v })
	}},
	faultStepsDimension,
}

// ascending lists o with the knob at min, min+1, ..., cur-1.
func ascending(o harness.Options, min, cur int, set func(*harness.Options, int)) []harness.Options {
	var out []harness.Options
	for v := min; v < cur; v++ {
		c := o
		set(&c, v)
		out = append(out, c)
	}
	return out
}

// bisecting lists o with the knob at min, then cut by half the distance,
// a quarter, ... down to one less than cur: cur-d for d = cur-min, (cur-min)/2, ..., 1.
func bisecting(o harness.Options, min, cur int, set func(*harness.Options, int)) []harness.Options {
	var out []harness.Options
	for d := cur - min; d >= 1; d /= 2 {
		c := o
		set(&c, cur-d)
		out = append(out, c)
	}
	return out
}

// shrinkResult is what the shrinker found.
type shrinkResult struct {
	original, shrunk harness.Options
	check            string // the property both fail
	runs             int    // simulations run while shrinking
	final            *harness.Result
}

// failsCheck reports whether res fails the property check.
func failsCheck(res *harness.Result, check string) bool {
	if res.Verdict != harness.VerdictFail {
		return false
	}
	for _, v := range res.Violations {
		if v.Check == check {
			return true
		}
	}
	return false
}

// shrink greedily takes the first smaller variant that still fails check,
// dimension by dimension, until a whole round changes nothing or maxRuns
// simulations have run.
func shrink(orig harness.Options, check string, maxRuns int) shrinkResult {
	r := shrinkResult{original: orig, shrunk: orig, check: check}
	for changed := true; changed && r.runs < maxRuns; {
		changed = false
		for _, d := range shrinkDimensions {
			for again := true; again && r.runs < maxRuns; {
				again = false
				for _, c := range d.smaller(r.shrunk) {
					if r.runs >= maxRuns {
						break
					}
					r.runs++
					if res := runSeed(c); failsCheck(res, check) {
						r.shrunk, r.final = c, res
						again, changed = true, true
						break
					}
				}
			}
		}
	}
	if r.final == nil {
		r.final = runSeed(r.shrunk)
	}
	return r
}

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
	r := shrink(orig, check, *maxRuns)
	script, err := shrinkScript(r, shrinkCommandLine(args))
	if err != nil {
		fmt.Fprintf(stderr, "shrink: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "shrink: seed %d fails %s; %s -> %s in %d runs\n", *seed, check, describeSize(r.original), describeSize(r.shrunk), r.runs)
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

// describeSize renders the shrinkable size of a run.
func describeSize(o harness.Options) string {
	parts := make([]string, len(shrinkDimensions))
	for i, d := range shrinkDimensions {
		parts[i] = fmt.Sprintf("%s=%d", d.name, d.size(o))
	}
	return strings.Join(parts, " ")
}
