package harness

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/replsim/replsim/fault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flagFaultSeeds sizes the fault sweep: 1000 seeds by default (about 15 s
// on 2 cores; 50 with -short):
//
//	go test ./harness -run FaultSweep -faults.seeds 5000   [REPLSIM_FAULT_SEEDS]
var flagFaultSeeds = flag.Int("faults.seeds", envInt("REPLSIM_FAULT_SEEDS", 1000), "seeds in the fault sweep")

// sweepOutcome is one seed's run, or the panic it died of.
type sweepOutcome struct {
	seed  uint64
	res   *Result
	sched fault.Schedule
	panic string
}

// faultSweep runs seeds on all cores, turning a panic into an outcome.
func faultSweep(seeds []uint64, opts Options) []sweepOutcome {
	out := make([]sweepOutcome, len(seeds))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = runSeed(seeds[i], opts)
			}
		}()
	}
	for i := range seeds {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func runSeed(seed uint64, opts Options) (o sweepOutcome) {
	o.seed = seed
	defer func() {
		if p := recover(); p != nil {
			o.panic = fmt.Sprintf("%v\n%s", p, debug.Stack())
		}
	}()
	opts.Seed = seed
	o.sched = GenerateSchedule(opts)
	o.res = Run(opts)
	return o
}

// TestFaultSweep runs many seeds with generated fault schedules. Every run
// must survive (no panic, no event-loop runaway), every fault kind must be
// generated, and every kind the node can feel today must be injected at
// least once. Violations the checkers find are logged by kind with a few
// seeds each: with faults some are real node bugs, some expected Redis
// behaviour the checkers do not model yet.
func TestFaultSweep(t *testing.T) {
	n := *flagFaultSeeds
	if testing.Short() {
		n = 50
	}
	outs := faultSweep(seedRange(1, n), Options{})
	generated := map[string]int{}
	injected := map[string]int{}
	bySignature := map[string][]uint64{}
	var diskWritten int64
	for _, o := range outs {
		if o.panic != "" {
			t.Errorf("seed %d panicked: %s", o.seed, o.panic)
			continue
		}
		for _, st := range o.sched.Steps {
			generated[st.Kind()]++
		}
		for k, c := range o.res.Faults {
			injected[k] += c
		}
		diskWritten += o.res.Stats["disk_bytes_written"]
		seen := map[string]bool{}
		for _, v := range o.res.Violations {
			sig := v.Check + ": " + violationShape(v.Detail)
			if strings.Contains(v.Detail, "events at") {
				t.Errorf("seed %d ran away: %s", o.seed, v.Detail)
			}
			if !seen[sig] {
				seen[sig] = true
				bySignature[sig] = append(bySignature[sig], o.seed)
			}
		}
	}
	for _, k := range fault.SwarmKinds() {
		assert.Positive(t, generated[k], "fault kind %s never generated in %d seeds", k, n)
	}
	must := []string{"net_reset", "net_partition", "net_oneway", "net_blackhole", "net_latency", "net_dial_error",
		"disk_write_error", "disk_fsync_error", "disk_bitflip", "proc_crash", "proc_restart", "proc_pause",
		"clock_jump", "op_promote", "op_repoint", "op_demote", "op_add_replica",
		"auth_wrong_masterauth", "auth_requirepass_change", "op_config"}
	if diskWritten > 0 {
		must = append(must, "disk_crash_loss")
	} else {
		t.Logf("the node wrote nothing to disk: no crash can lose data (disk_crash_loss)")
	}
	for _, k := range must {
		assert.Positive(t, injected[k], "fault kind %s never injected in %d seeds", k, n)
	}
	sigs := make([]string, 0, len(bySignature))
	for s := range bySignature {
		sigs = append(sigs, s)
	}
	sort.Slice(sigs, func(i, j int) bool { return len(bySignature[sigs[i]]) > len(bySignature[sigs[j]]) })
	for _, s := range sigs {
		seeds := bySignature[s]
		t.Logf("%4d seeds: %s (e.g. %v)", len(seeds), s, seeds[:min(len(seeds), 5)])
	}
	t.Logf("%d seeds; generated %v; injected %v", n, generated, injected)
}

// violationShape strips a violation's specifics (keys, numbers, values) so
// similar ones group together.
func violationShape(d string) string {
	switch {
	case strings.Contains(d, "READONLY"):
		return "write refused with READONLY (a demoted or not-yet-promoted master) counted as impossible"
	case strings.Contains(d, "NOAUTH"):
		return "command refused with NOAUTH counted as impossible"
	case strings.Contains(d, "no order of its"):
		return "history of a key not linearizable"
	case strings.Contains(d, "did not catch up"):
		i := strings.Index(d, "link ")
		j := strings.Index(d, ", replica offset")
		if i >= 0 && j > i {
			return "replica did not catch up (" + d[i:j] + ")"
		}
		return "replica did not catch up"
	case strings.Contains(d, "dataset differs"):
		return "replica dataset differs from the master's"
	case strings.Contains(d, "workload did not finish"):
		return "workload did not finish"
	case strings.Contains(d, "timed out"):
		return "checker timed out"
	}
	if len(d) > 80 {
		d = d[:80]
	}
	return d
}

// TestFaultSeedsReplay runs a sample of seeds twice: same trace hash.
func TestFaultSeedsReplay(t *testing.T) {
	seeds := make([]uint64, 0, 50)
	for i := uint64(0); i < 50; i++ {
		seeds = append(seeds, 1+i*37)
	}
	a := faultSweep(seeds, Options{})
	b := faultSweep(seeds, Options{})
	for i := range seeds {
		require.Empty(t, a[i].panic)
		require.Empty(t, b[i].panic)
		assert.Equal(t, a[i].res.TraceHash, b[i].res.TraceHash, "seed %d replayed differently", seeds[i])
	}
}

// TestPrintedScheduleReplaysTheSeed: the seed's printed schedule, parsed
// and run, is the seeded run exactly; removing a step changes the run.
func TestPrintedScheduleReplaysTheSeed(t *testing.T) {
	for _, seed := range []uint64{1, 7, 42, 1234} {
		plain := Run(Options{Seed: seed, KeepTrace: true})
		text := GenerateSchedule(Options{Seed: seed}).Format()
		sched, err := fault.ParseSchedule(text)
		require.NoError(t, err)
		replay := Run(Options{Seed: sched.Seed, Schedule: &sched, KeepTrace: true})
		require.Equal(t, plain.TraceHash, replay.TraceHash, "seed %d: the printed schedule replays differently", seed)
		assert.Equal(t, plain.Swarm, replay.Swarm)
		assert.Equal(t, plain.Faults, replay.Faults)

		// Drop the first fault step (not the heal): the run must differ,
		// and must not show that fault at its time.
		edited := sched.Clone()
		require.Greater(t, len(edited.Steps), 1)
		dropped := edited.Steps[0]
		edited.Steps = edited.Steps[1:]
		run := Run(Options{Seed: seed, Schedule: &edited, KeepTrace: true})
		assert.NotEqual(t, plain.TraceHash, run.TraceHash, "seed %d: removing %q changed nothing", seed, dropped)
		prefix := fault.FormatSeconds(dropped.At) + " fault "
		for _, l := range run.Trace {
			assert.False(t, strings.HasPrefix(l, prefix+dropped.Kind()) || strings.HasPrefix(l, prefix+"skip "+dropped.Kind()),
				"seed %d: the removed step still ran: %s", seed, l)
		}
	}
}

// TestFaultsCountedOnce: each injected fault counts once under its kind;
// what it causes (resets of the connections a partition gives up on, a
// crash's resets) is not counted again.
func TestFaultsCountedOnce(t *testing.T) {
	sched := mustParse(t, `
seed 5
topology replicas=2 chained=0 clients=2
swarm net_partition,net_reset,proc_crash
at 1.300000 net_reset n1 n2 bytes=10
at 1.400000 net_partition n1 c1 | n2 n3 c2
at 1.500000 proc_crash n3 keep_all
at 1.900000 proc_restart n3
at 2.000000 net_heal n1 c1 | n2 n3 c2
`)
	res := Run(Options{Seed: 5, Schedule: &sched, Ops: 800})
	assert.Equal(t, map[string]int{"net_reset": 1, "net_partition": 1, "proc_crash": 1, "proc_restart": 1}, res.Faults)
	assert.Equal(t, []string{"net_partition", "net_reset", "proc_crash"}, res.Swarm)
	assert.Zero(t, res.Stats["fault_steps_skipped"])
}

// TestCrashRestartFocused: a crashed replica misses writes, restarts empty
// (no persistence yet) or with its data, resyncs and converges.
func TestCrashRestartFocused(t *testing.T) {
	for _, mode := range []string{"keep_all", "torn", "lose_all"} {
		sched := mustParse(t, `
seed 11
topology replicas=2 chained=1 clients=3
swarm proc_crash
at 0.300000 proc_crash n2 `+mode+`
at 0.800000 proc_restart n2
at 0.900000 proc_crash n1 keep_all
at 1.200000 proc_restart n1
`)
		res := Run(Options{Seed: 11, Schedule: &sched, Ops: 600, KeepTrace: true})
		assert.Equal(t, 2, res.Faults["proc_crash"], mode)
		assert.Equal(t, 2, res.Faults["proc_restart"], mode)
		assert.Zero(t, res.Stats["fault_steps_skipped"], mode)
		var kinds []string
		var epochs []int
		for _, e := range res.Timeline {
			kinds = append(kinds, e.Kind+" "+e.Node)
			epochs = append(epochs, e.Epoch)
		}
		assert.Equal(t, []string{"proc_crash n2", "proc_restart n2", "proc_crash n1", "proc_restart n1", "heal "}, kinds, mode)
		assert.Equal(t, []int{0, 0, 1, 1, 1}, epochs, "a master crash ends the epoch (%s)", mode)
		for _, v := range res.Violations {
			assert.NotEqual(t, "convergence", v.Check, "%s: %s", mode, v.Detail)
			assert.NotEqual(t, "liveness", v.Check, "%s: %s", mode, v.Detail)
		}
		assert.True(t, hasLine(res.Trace, "n4 log: MASTER <-> REPLICA sync"), "the chained replica n4 resyncs from n2 (%s)", mode)
	}
}

// TestPromoteFocused: promoting a replica moves the clients and the other
// replicas to it, starts a new epoch, and the cluster converges on it.
func TestPromoteFocused(t *testing.T) {
	sched := mustParse(t, `
seed 12
topology replicas=2 chained=0 clients=2
swarm op_promote
at 0.500000 op_promote n3
`)
	res := Run(Options{Seed: 12, Schedule: &sched, Ops: 800, KeepTrace: true})
	require.Equal(t, 1, res.Faults["op_promote"])
	assert.True(t, hasLine(res.Trace, "op n3 SLAVEOF NO ONE -> OK"))
	assert.True(t, hasLine(res.Trace, "op n1 SLAVEOF n3 6379 -> OK"))
	assert.True(t, hasLine(res.Trace, "op n2 SLAVEOF n3 6379 -> OK"))
	var before, after int
	for _, op := range res.MasterOps {
		switch {
		case op.Epoch == 0:
			assert.Equal(t, "n1", op.Node)
			before++
		case op.Epoch == 1 && op.Call > 500_000_000+100_000_000:
			assert.Equal(t, "n3", op.Node, "op %d after the promotion", op.ID)
			after++
		}
	}
	assert.Positive(t, before)
	assert.Positive(t, after)
	for _, v := range res.Violations {
		assert.NotEqual(t, "convergence", v.Check, v.Detail)
	}
}

// TestDemoteThenPromote: a demoted master refuses writes until the target
// is promoted; the cluster then converges on the target.
func TestDemoteThenPromote(t *testing.T) {
	sched := mustParse(t, `
seed 13
topology replicas=1 chained=0 clients=2
swarm op_demote
at 0.400000 op_demote n1 n2
at 0.700000 op_promote n2
`)
	res := Run(Options{Seed: 13, Schedule: &sched, Ops: 600, KeepTrace: true})
	assert.Equal(t, 1, res.Faults["op_demote"])
	assert.Equal(t, 1, res.Faults["op_promote"])
	readonly := 0
	for _, op := range res.MasterOps {
		if strings.HasPrefix(op.Err, "READONLY") {
			// Answered while n1 was demoted (a write sent just before
			// the demote may reach it just after, still in epoch 0).
			readonly++
			assert.True(t, op.Return >= 400_000_000 && op.Call <= 800_000_000, "READONLY for %s", op.Describe())
		}
	}
	assert.Positive(t, readonly, "writes to the demoted master fail")
	for _, v := range res.Violations {
		assert.NotEqual(t, "convergence", v.Check, v.Detail)
	}
}

// TestHealRepairsWhatTheScheduleLeft: a schedule that crashes the master,
// demotes nothing and never heals still ends healed: the master restarts,
// the run finishes and converges.
func TestHealRepairsWhatTheScheduleLeft(t *testing.T) {
	sched := mustParse(t, `
seed 14
topology replicas=2 chained=0 clients=2
swarm proc_crash,net_partition
at 0.300000 net_partition n2 | n1 n3
at 0.400000 proc_crash n1 torn
`)
	res := Run(Options{Seed: 14, Schedule: &sched, Ops: 400, KeepTrace: true})
	assert.True(t, hasLine(res.Trace, "heal: faults stop"))
	assert.True(t, hasLine(res.Trace, "fault proc_restart n1"))
	for _, v := range res.Violations {
		assert.NotEqual(t, "liveness", v.Check, v.Detail)
		assert.NotEqual(t, "convergence", v.Check, v.Detail)
	}
}

// TestExitDuringHealRestarts: the heal resumes a paused master before it
// ends the fsync fault on its disk, so the master's queued write fails its
// fsync under appendfsync always and the node exits after the heal's
// restarts ran. It must still come back (seeds 7032 and 8097 waited 300 s
// for a master that never restarted).
func TestExitDuringHealRestarts(t *testing.T) {
	sched := mustParse(t, `
seed 1
topology replicas=1 chained=0 clients=2
persistence aof=always save=off
swarm disk_fsync_error,proc_pause
at 0.500000 proc_pause n1 for=3.000000
at 0.600000 disk_fsync_error n1 p=1 for=2.900000
at 3.500000 heal
`)
	// Whether a write reaches n1's failing fsync in the window depends on
	// the workload the seed draws: take the first seed whose does.
	var res *Result
	for seed := uint64(1); seed <= 40; seed++ {
		sched.Seed = seed
		res = Run(Options{Seed: seed, Schedule: &sched, Ops: 400, KeepTrace: true})
		if res.Faults["proc_exit"] == 1 {
			break
		}
	}
	require.Equal(t, 1, res.Faults["proc_exit"], "the fault no longer makes n1 exit at the heal, for any of 40 seeds")
	assert.Equal(t, 1, res.Faults["proc_restart"])
	heal, exit, restart := -1, -1, -1
	for i, l := range res.Trace {
		switch {
		case strings.HasSuffix(l, " fault heal"):
			heal = i
		case strings.Contains(l, "fault proc_exit n1"):
			exit = i
		case strings.Contains(l, "fault proc_restart n1"):
			restart = i
		}
	}
	require.Greater(t, exit, heal, "n1 no longer exits after the heal's restarts")
	assert.Greater(t, restart, exit, "n1 exited after the heal and was not restarted")
	assert.Empty(t, res.Violations)
	assert.Equal(t, VerdictPass, res.Verdict)
}

// TestPauseQueuesAndDelivers: a paused node processes nothing, then
// everything in order.
func TestPauseQueuesAndDelivers(t *testing.T) {
	sched := mustParse(t, `
seed 15
topology replicas=1 chained=0 clients=2
swarm proc_pause
at 0.300000 proc_pause n1 for=0.500000
`)
	res := Run(Options{Seed: 15, Schedule: &sched, Ops: 400, KeepTrace: true})
	require.Equal(t, 1, res.Faults["proc_pause"])
	var resume string
	for i, l := range res.Trace {
		if strings.Contains(l, "n1 resume: ") {
			resume = l
			// Nothing ran on n1 during the pause: no tick line between.
			for _, m := range res.Trace[:i] {
				if strings.HasPrefix(m, "0.4") || strings.HasPrefix(m, "0.5") || strings.HasPrefix(m, "0.6") || strings.HasPrefix(m, "0.7") {
					assert.NotContains(t, m, "n1 tick", "n1 ticked while paused")
					assert.NotContains(t, m, "c1 <- n1", "n1 replied while paused")
				}
			}
		}
	}
	require.NotEmpty(t, resume)
	assert.True(t, strings.HasPrefix(resume, "0.800000 "), resume)
	assert.NotContains(t, resume, "resume: 0 queued")
	for _, v := range res.Violations {
		assert.NotEqual(t, "convergence", v.Check, v.Detail)
	}
}

// TestClockOffsetDriftAndJump: clock_jump moves a node's clock offset.
func TestClockOffsetDriftAndJump(t *testing.T) {
	sched := mustParse(t, `
seed 16
topology replicas=1 chained=0 clients=1
swarm clock_jump
clock n2 offset=-1.500000 drift=-50
at 0.300000 clock_jump n2 -70.000000
`)
	res := Run(Options{Seed: 16, Schedule: &sched, Ops: 200, KeepTrace: true})
	assert.True(t, hasLine(res.Trace, "fault clock_jump n2 -70.000000s, offset now -71.500000s"))
}

// TestEventCapIsLiveness: a run that reaches its event cap stops and says so.
func TestEventCapIsLiveness(t *testing.T) {
	res := Run(Options{Seed: 3, MaxEvents: 2000})
	require.NotEmpty(t, res.Violations)
	found := false
	for _, v := range res.Violations {
		if v.Check == "liveness" && strings.Contains(v.Detail, "reached 2000 events") {
			found = true
		}
	}
	assert.True(t, found, "%v", res.Violations)
	assert.Equal(t, VerdictFail, res.Verdict)
}

// TestScheduleOptionsMustAgree: a schedule for another topology is refused.
func TestScheduleOptionsMustAgree(t *testing.T) {
	sched := mustParse(t, "seed 1\ntopology replicas=2 chained=0 clients=4\n")
	assert.NoError(t, Options{Schedule: &sched}.Validate())
	err := Options{Schedule: &sched, Replicas: 3}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "replicas=2 but the run asks for 3")
	bad := fault.Schedule{Topology: fault.Topology{Replicas: 1, Clients: 1}, Steps: []fault.Step{{At: 1, Fault: fault.Heal{}}}}
	res := Run(Options{Schedule: &bad})
	require.Equal(t, VerdictFail, res.Verdict)
	assert.Equal(t, "schedule", res.Violations[0].Check)
	assert.Contains(t, res.Violations[0].Detail, "not a whole number of microseconds")
}

func mustParse(t *testing.T, text string) fault.Schedule {
	t.Helper()
	s, err := fault.ParseSchedule(text)
	require.NoError(t, err)
	return s
}

func hasLine(trace []string, sub string) bool {
	return slices.ContainsFunc(trace, func(l string) bool { return strings.Contains(l, sub) })
}

// BenchmarkRunWithFaults measures one seeded run with its generated faults.
func BenchmarkRunWithFaults(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Run(Options{Seed: uint64(i%20) + 1})
	}
}

// BenchmarkGenerateSchedule measures drawing a schedule from a seed.
func BenchmarkGenerateSchedule(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		GenerateSchedule(Options{Seed: uint64(i)})
	}
}
