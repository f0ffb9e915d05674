package harness

import (
	"sort"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// Budgets in virtual time.
const (
	workloadBudget = 300 * sim.Second
	healBudget     = 60 * sim.Second
	pollInterval   = 10 * sim.Millisecond
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
}

// Run executes one seeded simulation and checks it.
func Run(opts Options) *Result {
	opts = opts.withDefaults()
	h := &Harness{opts: opts, w: sim.NewWorld(opts.Seed), faults: map[string]int{}}
	h.w.Trace.Keep = opts.KeepTrace
	h.net = netsim.New(h.w, netsim.DefaultConfig())
	h.net.OnFault = func(kind, detail string) { h.faults[kind]++ }
	h.workload = workload{keys: opts.Keys}

	bugs := map[string]bool{}
	for _, b := range opts.Bugs {
		bugs[b] = true
	}
	masterCfg := node.DefaultConfig()
	masterCfg.Save = nil
	masterCfg.Bugs = bugs
	// Both sync framings, and a diskless delay short enough that replicas
	// sync while the workload runs (Redis's default 5 s would outlast it).
	setup := h.w.Rand("setup")
	masterCfg.ReplDisklessSync = setup.IntN(2) == 0
	masterCfg.ReplDisklessSyncDelay = setup.Int64N(2)
	master := h.addNode("n1", masterCfg)
	h.master = master
	for i := 0; i < opts.Replicas; i++ {
		cfg := masterCfg
		cfg.ReplicaOfHost, cfg.ReplicaOfPort = master.name, master.port
		h.addNode("n"+strconv.Itoa(i+2), cfg)
	}
	per := opts.Ops / opts.Clients
	for i := 0; i < opts.Clients; i++ {
		ops := per
		if i == 0 {
			ops += opts.Ops - per*opts.Clients
		}
		h.addClient("c"+strconv.Itoa(i+1), master, ops, false)
	}
	for i, r := range h.nodes[1:] {
		h.addClient("r"+strconv.Itoa(i+1), r, opts.Ops/8, true)
	}
	h.scheduleFaults()

	workloadDone := func() bool {
		for _, c := range h.clients {
			if !c.done() {
				return false
			}
		}
		return true
	}
	res := &Result{Seed: opts.Seed, Bugs: opts.Bugs, Options: opts}
	h.w.RunUntil(workloadBudget, workloadDone)
	if !workloadDone() {
		res.Violations = append(res.Violations, checker.Violation{Check: "liveness",
			Detail: "the workload did not finish within " + strconv.FormatInt(workloadBudget/sim.Second, 10) + "s of virtual time"})
	}
	h.w.Log().S("heal: workload finished, faults stop").End()
	h.net.HealAll()
	deadline := h.w.Now() + healBudget
	h.w.RunUntil(deadline, h.converged)

	h.check(res)
	h.fill(res)
	return res
}

// converged reports whether every replica is linked and caught up.
func (h *Harness) converged() bool {
	m := h.master.node.Repl()
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		r := s.node.Repl()
		if !r.LinkUp || r.Offset != m.Offset {
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
	}
	h.rec.addStats(res.Stats)
	res.Trace = h.w.Trace.Lines()
	res.Timeline = h.timeline
	res.MasterOps = h.masterOps
	res.ReplicaOps = h.replicaOps
	if res.Violations == nil {
		res.Violations = []checker.Violation{}
	}
	sort.Strings(res.Bugs)
}
