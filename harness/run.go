package harness

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/sim"
)

// Budgets in virtual time, and the cap on events.
const (
	// workloadBudget is the time the fault schedule, and then the
	// workload, may take; a schedule's steps must fall within it.
	workloadBudget = fault.Horizon
	// healBudget leaves room for a replica whose stream a blackhole
	// stalled to notice it (repl-timeout, 60 s) and resync; a run adds
	// however far it set a node's clock back (Cluster.ClockSetBack: a
	// wall-clock timer waits that much longer; seed 3410473, whose
	// replica's clock went back 105 s and then 95 s).
	healBudget = 240 * sim.Second
	// steadyTail is how long a converged run goes on idle.
	steadyTail = 3 * sim.Second
	// probeBudget is how long a refused write probe is tried again, on
	// top of how far the run set a node's clock back.
	probeBudget      = 5 * sim.Second
	defaultMaxEvents = 5_000_000
)

// workloadDeadline is when a run's workload must have finished: within
// the schedule's budget for up to 10,000 operations, and 30 ms of virtual
// time longer for each operation beyond (seed 5 at 100,000 operations was
// still working steadily through its last 12,000 at 300 s).
func workloadDeadline(ops int) sim.Time {
	if ops <= 10_000 {
		return workloadBudget
	}
	return workloadBudget + sim.Time(ops-10_000)*(workloadBudget/10_000)
}

// Run executes one seeded simulation and checks it: the seed's schedule
// (or opts.Schedule) drives a fault injector against a cluster built from
// its topology; then the heal, the rest of the workload, the wait for
// convergence, and the checkers over what the cluster recorded. A panic
// in any of it (the node, the harness, a checker) fails this run alone,
// with the panic and its stack as the violation.
func Run(opts Options) (res *Result) {
	defer func() {
		if p := recover(); p != nil {
			res = panicked(opts.WithDefaults(), p, debug.Stack())
		}
	}()
	return run(opts)
}

// PropPanic names the violation of a run that panicked.
const PropPanic = "panic"

// panicked is the result of a run that panicked: a failure naming the
// panic and where.
func panicked(opts Options, p any, stack []byte) *Result {
	return &Result{Seed: opts.Seed, Bugs: opts.Bugs, Options: opts, Verdict: VerdictFail,
		Violations: []checker.Violation{{Check: PropPanic, Detail: fmt.Sprintf("the run panicked: %v\n%s", p, stack)}},
		Faults:     map[string]int{}, Swarm: []string{}, Stats: map[string]int64{}}
}

func run(opts Options) *Result {
	opts = opts.WithDefaults()
	res := &Result{Seed: opts.Seed, Bugs: opts.Bugs, Options: opts}
	var sched fault.Schedule
	if opts.Schedule != nil {
		sched = opts.Schedule.Clone()
		if err := opts.checkSchedule(&sched); err != nil {
			res.Verdict = VerdictFail
			res.Violations = []checker.Violation{{Check: "schedule", Detail: err.Error()}}
			res.Faults, res.Stats = map[string]int{}, map[string]int64{}
			return res
		}
	} else {
		sched = GenerateSchedule(opts)
	}
	if opts.Workload != nil {
		if err := opts.Workload.Check(sched.Topology); err != nil {
			res.Verdict = VerdictFail
			res.Violations = []checker.Violation{{Check: "workload", Detail: err.Error()}}
			res.Faults, res.Stats = map[string]int{}, map[string]int64{}
			return res
		}
	}
	res.Swarm = sched.Swarm
	if res.Swarm == nil {
		res.Swarm = []string{}
	}

	w := sim.NewWorld(opts.Seed)
	w.Trace.Keep = opts.KeepTrace
	c := cluster.New(w, cluster.Options{Ops: opts.Ops, Keys: opts.Keys, Replicas: opts.Replicas, Bugs: opts.Bugs,
		Families: opts.Families, CheckTimeout: opts.CheckTimeout, Clocks: sched.Clocks, Replay: opts.Workload})
	c.Build(sched.Topology, sched.Persistence)
	inj := fault.NewInjector(w, c)
	inj.Schedule(sched.Steps)

	capped := func() bool { return w.Fired() >= opts.MaxEvents }
	liveness := func(detail string) {
		res.Violations = append(res.Violations, checker.Violation{Check: "liveness", Detail: detail})
	}
	// The schedule, then (at once) the heal phase, then the rest of the
	// workload, then the wait for convergence.
	w.RunUntil(workloadBudget, func() bool { return (inj.StepsLeft() == 0 && inj.Active() == 0) || capped() })
	if inj.StepsLeft() > 0 && !capped() {
		liveness(fmt.Sprintf("the fault schedule did not finish within %ds of virtual time", workloadBudget/sim.Second))
	}
	if !inj.Healed() && !capped() {
		inj.HealAll()
	}
	done := workloadDeadline(opts.Ops)
	w.RunUntil(done, func() bool { return c.WorkloadDone() || capped() })
	if !c.WorkloadDone() && !capped() {
		liveness("the workload did not finish within " + strconv.FormatInt(int64(done/sim.Second), 10) + "s of virtual time" + c.StuckWorkload())
	}
	w.Log().S("heal: workload finished, faults stop").End()
	if !inj.Healed() && !capped() {
		inj.HealAll()
	}
	deadline := w.Now() + healBudget + c.ClockSetBack()
	w.RunUntil(deadline, func() bool { return c.Converged() || capped() })
	if c.Converged() && !capped() {
		// The steady tail: a few idle seconds after convergence, for what
		// healthy links do over time (checker/steady_acks.go); then the
		// run settles again (an expiry in the tail propagates a DEL).
		c.StartSteadyTail()
		w.RunUntil(w.Now()+steadyTail, capped)
		c.EndSteadyTail()
		// The write probe, again each second while refused: a node
		// retries a failed AOF open at most once a second of its own
		// clock, which a jump may have set back (seeds 1176, 2396, 5299,
		// 7696, 7712).
		probeEnd := w.Now() + probeBudget + c.ClockSetBack()
		for c.ProbeWrite() && w.Now() < probeEnd && !capped() {
			w.RunUntil(w.Now()+sim.Second, capped)
		}
		w.RunUntil(w.Now()+healBudget, func() bool { return c.Converged() || capped() })
	}
	if capped() {
		liveness(fmt.Sprintf("the run reached %d events at %s s of virtual time: an event loop that never settles", opts.MaxEvents, fault.FormatSeconds(w.Now())))
	}

	stats := check(c, opts, res)
	fill(res, w, c, inj, stats)
	return res
}

// fill copies what the run produced into its result.
func fill(res *Result, w *sim.World, c *cluster.Cluster, inj *fault.Injector, stats map[string]int64) {
	res.TraceHash = w.Trace.HashHex()
	res.Ops = len(c.MasterOps()) + len(c.ReplicaOps())
	res.Events = w.Fired()
	res.SimTimeMs = w.Now() / sim.Millisecond
	res.Faults = c.Faults()
	res.Stats = stats
	res.Stats["sync_full"], res.Stats["sync_partial_ok"], res.Stats["disk_bytes_written"] = c.SyncStats()
	res.Stats["fault_steps_skipped"] = int64(inj.Skipped())
	res.Trace = w.Trace.Lines()
	res.Timeline = c.Timeline()
	res.MasterOps = c.MasterOps()
	res.ReplicaOps = c.ReplicaOps()
	res.Report = c.ReportData()
	res.Workload = c.OpList()
	if res.Violations == nil {
		res.Violations = []checker.Violation{}
	}
	sort.Strings(res.Bugs)
}
