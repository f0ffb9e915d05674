// Package shrink minimizes a failing run into a small one that fails the
// same property, and renders it as a scenario script (the regression test
// of the bug it found). It freezes the run as data — the fault schedule its
// seed generates and the operation list its clients sent — and then cuts
// that data down: single operations by delta debugging, then whole
// clients, keys (renamed onto others), values (shortened), fault steps,
// replicas, and finally times (fault steps moved earlier, operations no
// longer held back), round after round until nothing more goes and the
// same property still fails. Then, while the list is still long, it tries
// other seeds: a failure that needs an unlucky random draw (a write
// dropped one time in forty) may need fewer operations under another.
package shrink

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
)

// Result is what the shrinker found.
type Result struct {
	// Original is the failing run as given; Before the same run frozen as
	// data (its schedule and its operation list), Shrunk the smallest
	// variant found that fails Check too.
	Original, Before, Shrunk harness.Options
	Check                    string
	// Runs is the number of simulations run while shrinking; Final is the
	// result of the shrunk run.
	Runs  int
	Final *harness.Result
}

// RunFunc runs one simulation (harness.Run, or a stand-in in tests).
type RunFunc func(harness.Options) *harness.Result

// FailsCheck reports whether res fails the property check.
func FailsCheck(res *harness.Result, check string) bool {
	if res == nil || res.Verdict != harness.VerdictFail {
		return false
	}
	for _, v := range res.Violations {
		if v.Check == check {
			return true
		}
	}
	return false
}

// shrinker holds the search: the smallest failing variant so far and the
// budget of runs.
type shrinker struct {
	r       *Result
	run     RunFunc
	maxRuns int
}

// exhausted reports whether the budget of runs is spent.
func (s *shrinker) exhausted() bool { return s.r.Runs >= s.maxRuns }

// try runs c if it is a valid run and the budget allows, and keeps it if it
// fails the same property.
func (s *shrinker) try(c harness.Options) bool {
	if s.exhausted() || c.Validate() != nil {
		return false
	}
	s.r.Runs++
	res := s.run(c)
	if !FailsCheck(res, s.r.Check) {
		return false
	}
	s.r.Shrunk, s.r.Final = c, res
	return true
}

// Shrink minimizes orig, a run that fails check under run, within maxRuns
// simulations (the first one records orig's operations).
func Shrink(orig harness.Options, check string, maxRuns int, run RunFunc) Result {
	r := Result{Original: orig, Before: orig, Shrunk: orig, Check: check}
	s := &shrinker{r: &r, run: run, maxRuns: maxRuns}
	if maxRuns <= 0 {
		return r
	}
	r.Runs++
	first := run(orig)
	sched := scheduleOf(orig).Clone()
	frozen := orig
	frozen.Schedule = &sched
	if first != nil && first.Workload != nil {
		frozen.Workload = first.Workload.Clone()
	}
	r.Before, r.Shrunk = frozen, frozen
	if !FailsCheck(first, check) {
		r.Final = first
		return r
	}
	r.Final = first
	for changed := true; changed && !s.exhausted(); {
		changed = false
		for _, p := range passes {
			if s.exhausted() {
				break
			}
			if p.run(s) {
				changed = true
			}
		}
		if !changed && !s.exhausted() {
			// Nothing more goes with this seed: another may need fewer
			// operations for the same failure.
			changed = shrinkWithOtherSeeds(s)
		}
	}
	return r
}

// pass is one way of making a run smaller; run reports whether it did.
type pass struct {
	name string
	run  func(s *shrinker) bool
}

// passes run in this order, round after round.
var passes = []pass{
	{"operations", shrinkOps},
	{"clients", shrinkClients},
	{"keys", shrinkKeys},
	{"values", shrinkValues},
	{"fault steps", shrinkSteps},
	{"replicas", shrinkReplicas},
	{"times", shrinkTimes},
}

// scheduleOf is the schedule a run of o uses: its own, or the one its seed
// generates.
func scheduleOf(o harness.Options) fault.Schedule {
	if o.Schedule != nil {
		return *o.Schedule
	}
	return harness.GenerateSchedule(o)
}

// DescribeSize renders the shrinkable size of a run, e.g.
// "replicas=1 clients=c1,r1 ops=3 keys=1 fault steps=2" (the clients and
// keys an operation list uses; for a run that draws its operations, the
// counts it draws them for).
func DescribeSize(o harness.Options) string {
	o = o.WithDefaults()
	sched := scheduleOf(o)
	replicas := fmt.Sprintf("replicas=%d", sched.Topology.Replicas)
	if sched.Topology.Chained > 0 {
		replicas += fmt.Sprintf(" chained=%d", sched.Topology.Chained)
	}
	size := fmt.Sprintf("clients=%d ops=%d keys=%d", o.Clients, o.Ops, o.Keys)
	if l := o.Workload; l != nil {
		clients := strings.Join(l.Clients(), ",")
		if clients == "" {
			clients = "none"
		}
		size = fmt.Sprintf("clients=%s ops=%d keys=%d", clients, len(l.Ops), len(l.Keys()))
	}
	return fmt.Sprintf("%s %s fault steps=%d", replicas, size, len(sched.Steps))
}
