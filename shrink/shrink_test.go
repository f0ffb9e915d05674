package shrink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syntheticOps is a 200-operation list as a seeded run of the standard
// options records it (clients c1..c4, c4 in db 1, readers r1 r2).
func syntheticOps(t *testing.T) *cluster.OpList {
	var b strings.Builder
	b.WriteString("client c4 db=1\n")
	for i := 0; i < 200; i++ {
		at := fault.FormatSeconds(sim.Time(i+1) * 5 * sim.Millisecond)
		switch c := i % 6; {
		case i == 120:
			fmt.Fprintf(&b, "at %s c3 SET k6 hello\n", at)
		case i == 150:
			fmt.Fprintf(&b, "at %s c2 GET k6\n", at)
		case c == 3:
			fmt.Fprintf(&b, "at %s c4 SET d1:k%d v%d\n", at, i%8, i)
		case c >= 4:
			fmt.Fprintf(&b, "at %s r%d GET k%d\n", at, c-3, i%8)
		default:
			fmt.Fprintf(&b, "at %s c%d INCR k%d\n", at, c+1, i%8)
		}
	}
	l, err := cluster.ParseOps("synthetic", b.String())
	require.NoError(t, err)
	return l
}

// fakeRun stands in for harness.Run: the first run (no list yet) records
// list; a run with a list fails check when fails says so.
func fakeRun(list *cluster.OpList, check string, fails func(o harness.Options) bool) RunFunc {
	return func(o harness.Options) *harness.Result {
		res := &harness.Result{Seed: o.Seed, Verdict: harness.VerdictPass, Options: o}
		if o.Workload == nil {
			res.Workload = list
		}
		if o.Workload == nil || fails(o) {
			res.Verdict = harness.VerdictFail
			res.Violations = []checker.Violation{{Check: check, Detail: "x"}}
		}
		return res
	}
}

// setThenGet: some SET of a non-empty value is followed (in list order) by
// a GET of the same key.
func setThenGet(o harness.Options) bool {
	set := map[string]bool{}
	for _, op := range o.Workload.Ops {
		switch {
		case op.Op.Kind == checker.OpSet && op.Op.Value != "":
			set[op.Op.Key] = true
		case op.Op.Kind == checker.OpGet && set[op.Op.Key]:
			return true
		}
	}
	return false
}

// A failure that needs one SET and one later GET of the same key shrinks to
// exactly those two operations, on one key and replica, with a
// one-byte value, no fault steps but the heal, and no times.
func TestShrinkFindsTheOperationsThatMatter(t *testing.T) {
	calls := 0
	inner := fakeRun(syntheticOps(t), "convergence", setThenGet)
	run := func(o harness.Options) *harness.Result { calls++; return inner(o) }
	r := Shrink(harness.StandardOptions(5), "convergence", 2000, run)
	assert.Equal(t, calls, r.Runs, "every simulation is counted")
	assert.Less(t, r.Runs, 400)
	require.NotNil(t, r.Shrunk.Workload)
	assert.Equal(t, "# replsim workload: [at SECONDS] CLIENT COMMAND, one operation per line\nc1 SET k0 h\nr1 GET k0\n", r.Shrunk.Workload.Format(),
		"a reader's operations stay a reader's")
	assert.Equal(t, fault.Topology{Replicas: 1, Clients: 1}, r.Shrunk.Schedule.Topology)
	assert.Equal(t, []string{"heal"}, stepKinds(r.Shrunk.Schedule))
	assert.Equal(t, sim.Time(0), r.Shrunk.Schedule.Steps[0].At, "the heal moved to the start")
	assert.Equal(t, "replicas=1 clients=c1,r1 ops=2 keys=1 fault steps=1", DescribeSize(r.Shrunk))
	assert.Equal(t, harness.StandardOptions(5), r.Original)
	assert.Equal(t, 200, len(r.Before.Workload.Ops))
	assert.Regexp(t, `^replicas=2 chained=1 clients=c1,c2,c3,c4,r1,r2 ops=200 keys=12 fault steps=\d+$`, DescribeSize(r.Before))
	require.NoError(t, r.Shrunk.Validate())

	short := Shrink(harness.StandardOptions(5), "convergence", 3, fakeRun(syntheticOps(t), "convergence", setThenGet))
	assert.Equal(t, 3, short.Runs, "max runs bounds the search")
}

// A failure that needs two particular fault steps keeps exactly those (and
// the heal), moved no later than they were.
func TestShrinkKeepsTheFaultStepsThatMatter(t *testing.T) {
	full := harness.GenerateSchedule(harness.StandardOptions(5))
	require.Greater(t, len(full.Steps), 4)
	text := func(st fault.Step) string { return st.Kind() + " " + strings.Join(st.Fault.Args(), " ") }
	a, b := full.Steps[1], full.Steps[3]
	fails := func(o harness.Options) bool {
		has := map[string]bool{}
		for _, st := range o.Schedule.Steps {
			has[text(st)] = true
		}
		return has[text(a)] && has[text(b)]
	}
	r := Shrink(harness.StandardOptions(5), "prefix", 2000, fakeRun(syntheticOps(t), "prefix", fails))
	steps := r.Shrunk.Schedule.Steps
	require.Len(t, steps, 3)
	assert.Equal(t, []string{text(a), text(b), "heal "}, []string{text(steps[0]), text(steps[1]), text(steps[2])})
	assert.LessOrEqual(t, steps[0].At, a.At)
	assert.LessOrEqual(t, steps[1].At, b.At)
	assert.Empty(t, r.Shrunk.Workload.Ops, "no operation is needed")
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
		if o.Workload == nil {
			res.Workload = syntheticOps(t)
		}
		if o.Workload == nil || len(o.Workload.Ops) >= 3 {
			res.Violations = []checker.Violation{{Check: "convergence", Detail: "y"}}
		}
		return res
	}
	r := Shrink(harness.StandardOptions(5), "convergence", 1000, run)
	assert.Len(t, r.Shrunk.Workload.Ops, 3)
}

// A failure that needs many operations under the run's seed but few under
// another (an unlucky random draw) shrinks under the other seed.
func TestShrinkTriesOtherSeeds(t *testing.T) {
	need := map[uint64]int{5: 30, 10: 2}
	fails := func(o harness.Options) bool {
		n, ok := need[o.Seed]
		return ok && len(o.Workload.Ops) >= n
	}
	r := Shrink(harness.StandardOptions(5), "convergence", 3000, fakeRun(syntheticOps(t), "convergence", fails))
	assert.Equal(t, uint64(10), r.Shrunk.Seed)
	assert.Equal(t, uint64(10), r.Shrunk.Schedule.Seed, "the schedule says the seed it runs with")
	assert.Len(t, r.Shrunk.Workload.Ops, 2)
}

// A run that does not fail is returned as it is.
func TestShrinkOfAPassingRun(t *testing.T) {
	run := func(o harness.Options) *harness.Result {
		return &harness.Result{Verdict: harness.VerdictPass, Workload: syntheticOps(t)}
	}
	r := Shrink(harness.StandardOptions(5), "convergence", 100, run)
	assert.Equal(t, 1, r.Runs)
	assert.Len(t, r.Shrunk.Workload.Ops, 200)
	assert.Equal(t, 0, Shrink(harness.StandardOptions(5), "convergence", 0, run).Runs)
}

// A transaction keeps only the commands the failure needs.
func TestShrinkDropsCommandsOfATransaction(t *testing.T) {
	l, err := cluster.ParseOps("tx", "c1 GET k1\nc1 rt MULTI ; INCR k1 ; SET k2 abc ; GET k1 ; EXEC\nc1 GET k2\n")
	require.NoError(t, err)
	fails := func(o harness.Options) bool {
		for _, op := range o.Workload.Ops {
			for _, sub := range op.Op.Sub {
				if sub.Kind == checker.OpSet {
					return true
				}
			}
		}
		return false
	}
	r := Shrink(harness.StandardOptions(5), "prefix", 500, fakeRun(l, "prefix", fails))
	assert.Equal(t, "# replsim workload: [at SECONDS] CLIENT COMMAND, one operation per line\nc1 rt MULTI ; SET k0 a ; EXEC\n", r.Shrunk.Workload.Format())
}

// Renaming a key reaches a registry command's keys in its words, and
// leaves a command alone that would then name one key twice.
func TestRenameKeyInRegistryCommands(t *testing.T) {
	l := &cluster.OpList{Ops: []cluster.ClientOp{
		{Client: "c1", Op: checker.Op{Kind: checker.OpCmd, Key: "s2", Args: []string{"SMOVE", "s2", "s3", "s2"}}},
		{Client: "c1", Op: checker.Op{Kind: checker.OpCmd, Key: "s2", Args: []string{"SINTER", "s2", "k0"}}},
	}}
	renameKey(l, "s2", "k0")
	assert.Equal(t, []string{"SMOVE", "k0", "s3", "s2"}, l.Ops[0].Op.Args, "keys renamed, the member not")
	assert.Equal(t, "k0", l.Ops[0].Op.Key)
	assert.Equal(t, []string{"SINTER", "s2", "k0"}, l.Ops[1].Op.Args, "would name k0 twice")
}
