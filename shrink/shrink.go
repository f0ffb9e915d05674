// Package shrink minimizes a failing run into a small one that fails the
// same property, and renders it as a scenario script (the regression test
// of the bug it found). It turns down the run's knobs greedily — replicas,
// clients, operations, keys — then drops fault steps by delta debugging
// over the schedule the seed generates, which it freezes for that.
package shrink

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/harness"
)

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

// Result is what the shrinker found.
type Result struct {
	// Original is the failing run; Shrunk the smallest variant found that
	// fails Check too.
	Original, Shrunk harness.Options
	Check            string
	// Runs is the number of simulations run while shrinking; Final is the
	// result of the shrunk run.
	Runs  int
	Final *harness.Result
}

// RunFunc runs one simulation (harness.Run, or a stand-in in tests).
type RunFunc func(harness.Options) *harness.Result

// FailsCheck reports whether res fails the property check.
func FailsCheck(res *harness.Result, check string) bool {
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

// Shrink greedily takes the first smaller variant of orig that still fails
// check under run, dimension by dimension, until a whole round changes
// nothing or maxRuns simulations have run.
func Shrink(orig harness.Options, check string, maxRuns int, run RunFunc) Result {
	r := Result{Original: orig, Shrunk: orig, Check: check}
	for changed := true; changed && r.Runs < maxRuns; {
		changed = false
		for _, d := range shrinkDimensions {
			for again := true; again && r.Runs < maxRuns; {
				again = false
				for _, c := range d.smaller(r.Shrunk) {
					if r.Runs >= maxRuns {
						break
					}
					r.Runs++
					if res := run(c); FailsCheck(res, check) {
						r.Shrunk, r.Final = c, res
						again, changed = true, true
						break
					}
				}
			}
		}
	}
	if r.Final == nil {
		r.Final = run(r.Shrunk)
	}
	return r
}

// DescribeSize renders the shrinkable size of a run, e.g.
// "replicas=2 clients=1 ops=37 keys=1 fault steps=1".
func DescribeSize(o harness.Options) string {
	parts := make([]string, len(shrinkDimensions))
	for i, d := range shrinkDimensions {
		parts[i] = fmt.Sprintf("%s=%d", d.name, d.size(o))
	}
	return strings.Join(parts, " ")
}
