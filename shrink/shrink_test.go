package shrink

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A synthetic failure that needs at least 2 replicas and 37 operations
// shrinks to exactly that, with one client and one key.
func TestShrinkFindsTheThreshold(t *testing.T) {
	runs := 0
	run := func(o harness.Options) *harness.Result {
		runs++
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass}
		if o.Replicas >= 2 && o.Ops >= 37 {
			res.Verdict = harness.VerdictFail
			res.Violations = []checker.Violation{{Check: "convergence", Detail: "x"}}
		}
		return res
	}
	r := Shrink(harness.StandardOptions(5), "convergence", 1000, run)
	require.NotNil(t, r.Shrunk.Schedule, "the fault schedule is frozen to shrink it")
	assert.Equal(t, []string{"heal"}, stepKinds(r.Shrunk.Schedule), "faults the failure does not need are dropped")
	noSched := r.Shrunk
	noSched.Schedule = nil
	assert.Equal(t, harness.Options{Seed: 5, Ops: 37, Clients: 1, Replicas: 2, Keys: 1}, noSched)
	assert.Equal(t, harness.StandardOptions(5), r.Original)
	assert.Equal(t, runs, r.Runs)
	assert.Less(t, r.Runs, 300)
	assert.Equal(t, "replicas=2 clients=1 ops=37 keys=1 fault steps=1", DescribeSize(r.Shrunk))

	short := Shrink(harness.StandardOptions(5), "convergence", 3, run)
	assert.Equal(t, 3, short.Runs, "max runs bounds the search")
}

// A failure that needs two particular fault steps keeps exactly those.
func TestShrinkKeepsTheFaultStepsThatMatter(t *testing.T) {
	full := harness.GenerateSchedule(harness.StandardOptions(5))
	require.Greater(t, len(full.Steps), 4)
	a, b := full.Steps[1].String(), full.Steps[3].String()
	run := func(o harness.Options) *harness.Result {
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass}
		s := scheduleOf(o)
		has := map[string]bool{}
		for _, st := range s.Steps {
			has[st.String()] = true
		}
		if has[a] && has[b] {
			res.Verdict = harness.VerdictFail
			res.Violations = []checker.Violation{{Check: "prefix", Detail: "x"}}
		}
		return res
	}
	r := Shrink(harness.StandardOptions(5), "prefix", 2000, run)
	require.NotNil(t, r.Shrunk.Schedule)
	var got []string
	for _, st := range r.Shrunk.Schedule.Steps {
		got = append(got, st.String())
	}
	assert.Equal(t, []string{a, b, full.Steps[len(full.Steps)-1].String()}, got)
}

func stepKinds(s *fault.Schedule) []string {
	var out []string
	for _, st := range s.Steps {
		out = append(out, st.Kind())
	}
	return out
}

// Another property failing does not count as the same failure.
func TestShrinkKeepsTheProperty(t *testing.T) {
	run := func(o harness.Options) *harness.Result {
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictFail,
			Violations: []checker.Violation{{Check: "linearizability", Detail: "x"}}}
		if o.Ops >= 500 {
			res.Violations = []checker.Violation{{Check: "convergence", Detail: "y"}}
		}
		return res
	}
	r := Shrink(harness.StandardOptions(5), "convergence", 1000, run)
	assert.Equal(t, 500, r.Shrunk.Ops)
}
