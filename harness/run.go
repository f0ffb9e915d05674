package harness

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// Budgets in virtual time, and the cap on events.
const (
	workloadBudget = 300 * sim.Second
	// healBudget leaves room for a replica whose stream a blackhole
	// stalled to notice it (repl-timeout, 60 s) and resync, after its clock
	// went back by up to 120 s (a wall-clock timer waits that much longer).
	healBudget       = 240 * sim.Second
	pollInterval     = 10 * sim.Millisecond
	defaultMaxEvents = 5_000_000
)

// Harness is one simulated cluster run.
type Harness struct {
	opts       Options
	w          *sim.World
	net        *netsim.Network
	nodes      []*simNode
	clients    []*simClient
	workload   workload
	masterOps  []checker.Op
	replicaOps []checker.Op
	faults     map[string]int
	timeline   []TimelineEvent
	// master is the node the harness considers master; epoch counts changes.
	master *simNode
	epoch  int
	rec    recorder // what the checkers need beyond the histories (record.go)
	// roleLog is every node's observed role over time; lastRole the
	// latest per node (observeRoles).
	roleLog  []checker.RoleChange
	lastRole map[string]string

	// baseCfg is the config every node starts from.
	baseCfg node.Config
	clocks  map[string]Clock
	// stepsLeft counts schedule steps not yet run; skipped counts steps
	// that could not run.
	stepsLeft int
	skipped   int
	// active lists the faults in force that end by themselves or at the
	// heal, in the order they began.
	active     []*activeFault
	faultSeq   int
	slowLinks  map[[2]string]*slowLink
	dialFaults []string
	// wrongAuth are the nodes given a wrong masterauth since the last heal.
	wrongAuth []*simNode
	// healed says no fault step ran since the last heal.
	healed bool
	// pass is the password clients and nodes use; wantPass the last one
	// set on a node, which they follow at the latest at the heal.
	pass        string
	wantPass    string
	passChanged bool
}

// Run executes one seeded simulation and checks it.
func Run(opts Options) *Result {
	opts = opts.withDefaults()
	res := &Result{Seed: opts.Seed, Bugs: opts.Bugs, Options: opts}
	var sched Schedule
	if opts.Schedule != nil {
		sched = opts.Schedule.clone()
		if err := opts.checkSchedule(&sched); err != nil {
			res.Verdict = VerdictFail
			res.Violations = []checker.Violation{{Check: "schedule", Detail: err.Error()}}
			res.Faults, res.Stats = map[string]int{}, map[string]int64{}
			return res
		}
	} else {
		sched = GenerateSchedule(opts)
	}
	res.Swarm = sched.Swarm
	if res.Swarm == nil {
		res.Swarm = []string{}
	}

	h := &Harness{opts: opts, w: sim.NewWorld(opts.Seed), faults: map[string]int{}, clocks: map[string]Clock{},
		slowLinks: map[[2]string]*slowLink{}, healed: true}
	h.w.Trace.Keep = opts.KeepTrace
	h.net = netsim.New(h.w, netsim.DefaultConfig())
	h.workload = workload{keys: opts.Keys}
	for _, c := range sched.Clocks {
		h.clocks[c.Node] = c
	}
	h.build(sched.Topology, sched.Persistence)
	h.scheduleSteps(sched.Steps)

	capped := func() bool { return h.w.Fired() >= opts.MaxEvents }
	liveness := func(detail string) {
		res.Violations = append(res.Violations, checker.Violation{Check: "liveness", Detail: detail})
	}
	// The schedule, then (at once) the heal phase, then the rest of the
	// workload, then the wait for convergence.
	h.w.RunUntil(workloadBudget, func() bool { return (h.stepsLeft == 0 && len(h.active) == 0) || capped() })
	if h.stepsLeft > 0 && !capped() {
		liveness(fmt.Sprintf("the fault schedule did not finish within %ds of virtual time", workloadBudget/sim.Second))
	}
	if !h.healed && !capped() {
		h.healAll()
	}
	h.w.RunUntil(workloadBudget, func() bool { return h.workloadDone() || capped() })
	if !h.workloadDone() && !capped() {
		liveness("the workload did not finish within " + strconv.FormatInt(workloadBudget/sim.Second, 10) + "s of virtual time" + h.stuckWorkload())
	}
	h.w.Log().S("heal: workload finished, faults stop").End()
	if !h.healed && !capped() {
		h.healAll()
	}
	deadline := h.w.Now() + healBudget
	h.w.RunUntil(deadline, func() bool { return h.converged() || capped() })
	if capped() {
		liveness(fmt.Sprintf("the run reached %d events at %s s of virtual time: an event loop that never settles", opts.MaxEvents, formatSeconds(h.w.Now())))
	}

	h.check(res)
	h.fill(res)
	return res
}

// build starts the topology's nodes and clients.
func (h *Harness) build(t Topology, p Persistence) {
	bugs := map[string]bool{}
	for _, b := range h.opts.Bugs {
		bugs[b] = true
	}
	h.baseCfg = node.DefaultConfig()
	h.baseCfg.Save = nil
	if p.SaveSeconds > 0 {
		h.baseCfg.Save = []node.SaveRule{{Seconds: p.SaveSeconds, Changes: p.SaveChanges}}
	}
	if p.AppendFsync != "" {
		h.baseCfg.AppendOnly, h.baseCfg.AppendFsync = true, p.AppendFsync
	}
	// Both sync framings, and a diskless delay short enough that replicas
	// sync while the workload runs (Redis's default 5 s would outlast it).
	setup := h.w.Rand("setup")
	h.baseCfg.ReplDisklessSync = setup.IntN(2) == 0
	h.baseCfg.ReplDisklessSyncDelay = setup.Int64N(2)
	h.baseCfg.Bugs = bugs
	for i, name := range t.Nodes() {
		cfg := h.baseCfg
		if up := t.Upstream(i); up != "" {
			cfg.ReplicaOfHost, cfg.ReplicaOfPort = up, h.baseCfg.Port
		}
		s := h.addNode(name, cfg)
		if i == 0 {
			h.master = s
		}
	}
	ops := h.opts.Ops
	per := ops / t.Clients
	for i := 0; i < t.Clients; i++ {
		n := per
		if i == 0 {
			n += ops - per*t.Clients
		}
		c := h.addClient("c"+strconv.Itoa(i+1), h.master, n, false)
		if i == t.Clients-1 && t.Clients > 1 {
			// The last client works in db 1, so the replication stream
			// switches dbs and a missing SELECT shows.
			c.db = 1
		}
	}
	for i, r := range h.nodes[1:] {
		h.addClient("r"+strconv.Itoa(i+1), r, ops/8, true)
	}
}

func (h *Harness) workloadDone() bool {
	for _, c := range h.clients {
		if !c.done() {
			return false
		}
	}
	return true
}

// converged reports whether the master is a master and every other node is
// linked and caught up with it: the same offset of the same history (a
// chained replica whose master just resynced onto a new history may still
// sit at an equal offset of the old one).
func (h *Harness) converged() bool {
	if !h.master.up {
		return false
	}
	m := h.master.node.Repl()
	if m.Role != "master" {
		return false
	}
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		r := s.node.Repl()
		if !r.LinkUp || r.Offset != m.Offset || r.ReplID != m.ReplID {
			return false
		}
	}
	return true
}

func (h *Harness) fill(res *Result) {
	res.TraceHash = h.w.Trace.HashHex()
	res.Ops = len(h.masterOps) + len(h.replicaOps)
	res.Events = h.w.Fired()
	res.SimTimeMs = h.w.Now() / sim.Millisecond
	res.Faults = h.faults
	res.Stats = map[string]int64{}
	for _, s := range h.nodes {
		st := s.node.Repl()
		res.Stats["sync_full"] += st.SyncFull
		res.Stats["sync_partial_ok"] += st.SyncPartialOK
		res.Stats["disk_bytes_written"] += s.fs.Stats().BytesWritten
	}
	h.rec.addStats(res.Stats)
	res.Stats["fault_steps_skipped"] = int64(h.skipped)
	res.Trace = h.w.Trace.Lines()
	res.Timeline = h.timeline
	res.MasterOps = h.masterOps
	res.ReplicaOps = h.replicaOps
	if res.Violations == nil {
		res.Violations = []checker.Violation{}
	}
	sort.Strings(res.Bugs)
}
