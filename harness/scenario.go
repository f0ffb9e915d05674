package harness

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// NodeOptions are the settings of a node started by hand in a scenario,
// named after the redis.conf directives they mirror. In simulation there is
// no config file: a directive in redis.conf, a --flag on the command line
// and a NodeOptions field all end up in the same node.Config.
type NodeOptions struct {
	// ReplicaOf names the node to replicate from ("" = start as a master).
	ReplicaOf       string
	RequirePass     string
	MasterAuth      string
	AppendOnly      bool
	AppendFsync     string // always | everysec | no; "" = everysec
	ReplTimeoutSec  int64  // 0 = Redis's 60
	ReplBacklogSize int64  // 0 = Redis's 1mb
	Bugs            []string
}

// NewScenario returns a harness with an empty cluster, no clients and no
// fault schedule, for scenario scripts and hand-driven tests: add nodes with
// Start, drive them with Exec, Partition, Crash, ... and advance virtual time
// with RunFor or the Wait methods.
func NewScenario(seed uint64) *Harness {
	opts := Options{Seed: seed}.withDefaults()
	h := &Harness{opts: opts, w: sim.NewWorld(seed), faults: map[string]int{}}
	h.net = netsim.New(h.w, netsim.DefaultConfig())
	h.net.OnFault = func(kind, detail string) { h.faults[kind]++ }
	h.workload = workload{keys: opts.Keys}
	return h
}

// Start boots a node called name. The first node started as a master
// becomes the harness's master (the target of Workload clients).
func (h *Harness) Start(name string, o NodeOptions) error {
	if name == "" {
		return fmt.Errorf("start: empty node name")
	}
	if h.hostTaken(name) {
		return fmt.Errorf("start: host %q already exists", name)
	}
	cfg := node.DefaultConfig()
	cfg.Save = nil
	if o.ReplicaOf != "" {
		m := h.Node(o.ReplicaOf)
		if m == nil {
			return fmt.Errorf("start %s: replicaof: no node %q", name, o.ReplicaOf)
		}
		cfg.ReplicaOfHost, cfg.ReplicaOfPort = m.name, m.port
	}
	cfg.RequirePass = o.RequirePass
	cfg.MasterAuth = o.MasterAuth
	cfg.AppendOnly = o.AppendOnly
	if o.AppendFsync != "" {
		switch o.AppendFsync {
		case "always", "everysec", "no":
			cfg.AppendFsync = o.AppendFsync
		default:
			return fmt.Errorf("start %s: appendfsync: want always, everysec or no, got %q", name, o.AppendFsync)
		}
	}
	if o.ReplTimeoutSec > 0 {
		cfg.ReplTimeoutSec = o.ReplTimeoutSec
	}
	if o.ReplBacklogSize > 0 {
		cfg.ReplBacklogSize = o.ReplBacklogSize
	}
	if len(o.Bugs) > 0 {
		if err := (Options{Bugs: o.Bugs}).Validate(); err != nil {
			return fmt.Errorf("start %s: %w", name, err)
		}
		cfg.Bugs = map[string]bool{}
		for _, b := range o.Bugs {
			cfg.Bugs[b] = true
		}
	}
	s := h.addNode(name, cfg)
	if o.ReplicaOf == "" && h.master == nil {
		h.master = s
	}
	h.w.Log().S("start ").S(name).End()
	return nil
}

func (h *Harness) hostTaken(name string) bool {
	if h.Node(name) != nil {
		return true
	}
	for _, c := range h.clients {
		if c.name == name {
			return true
		}
	}
	return false
}

// Workload starts clients that issue ops operations in all (GET, SET, INCR,
// DEL over keys keys, drawn from the seed) against the current master.
// Clients are named w1, w2, ... after the ones already started.
func (h *Harness) Workload(clients, ops, keys int) error {
	if h.master == nil {
		return fmt.Errorf("workload: no master started")
	}
	if clients <= 0 || ops < 0 || keys <= 0 {
		return fmt.Errorf("workload: want clients > 0, ops >= 0, keys > 0; got clients=%d ops=%d keys=%d", clients, ops, keys)
	}
	h.workload.keys = keys
	per := ops / clients
	for i := 0; i < clients; i++ {
		n := per
		if i == 0 {
			n += ops - per*clients
		}
		name := "w" + strconv.Itoa(len(h.clients)+1)
		if h.hostTaken(name) {
			return fmt.Errorf("workload: host %q already exists", name)
		}
		h.addClient(name, h.master, n, false)
	}
	return nil
}

// Now returns the current virtual time.
func (h *Harness) Now() sim.Time { return h.w.Now() }

// RunFor advances virtual time by d, running every event due.
func (h *Harness) RunFor(d sim.Time) { h.w.RunUntil(h.w.Now()+d, nil) }

// WaitConverged runs until every live replica's link is up and its offset
// equals its own master's, or timeout passes. It reports whether the
// cluster converged.
func (h *Harness) WaitConverged(timeout sim.Time) bool {
	if h.scenarioConverged() {
		return true
	}
	h.w.RunUntil(h.w.Now()+timeout, h.scenarioConverged)
	return h.scenarioConverged()
}

// WaitLink runs until replica name's link to its master is up (or down),
// or timeout passes. It reports whether the link reached that state.
func (h *Harness) WaitLink(name string, up bool, timeout sim.Time) (bool, error) {
	s := h.Node(name)
	if s == nil {
		return false, fmt.Errorf("wait-link: no node %q", name)
	}
	reached := func() bool { return s.up && s.node.Repl().Role == "slave" && s.node.Repl().LinkUp == up }
	if !reached() {
		h.w.RunUntil(h.w.Now()+timeout, reached)
	}
	return reached(), nil
}

// WaitWorkload runs until every client has finished, or timeout passes.
func (h *Harness) WaitWorkload(timeout sim.Time) bool {
	h.w.RunUntil(h.w.Now()+timeout, h.workloadDone)
	return h.workloadDone()
}

// masterOf returns the node a replica replicates from, or nil.
func (h *Harness) masterOf(s *simNode) *simNode {
	r := s.node.Repl()
	if r.Role != "slave" {
		return nil
	}
	for _, m := range h.nodes {
		if m.name == r.MasterHost && m.port == r.MasterPort {
			return m
		}
	}
	return nil
}

// scenarioConverged is converged generalised to any topology: each live
// replica is compared with the master it actually follows.
func (h *Harness) scenarioConverged() bool {
	for _, s := range h.nodes {
		if !s.up || s.node.Repl().Role != "slave" {
			continue
		}
		m := h.masterOf(s)
		if m == nil || !m.up {
			return false
		}
		r, mr := s.node.Repl(), m.node.Repl()
		if !r.LinkUp || r.Offset != mr.Offset || r.ReplID != mr.ReplID {
			return false
		}
	}
	return true
}

// CheckNow runs the checkers over the cluster as it is: linearizability of
// the workload's master operations so far, and convergence of every live
// replica with the master it follows (a replica whose master is missing or
// down is reported as such).
func (h *Harness) CheckNow() []checker.Violation {
	var out []checker.Violation
	if len(h.masterOps) > 0 {
		out = append(out, checker.CheckLinearizable(h.masterOps, h.opts.CheckTimeout).Violations...)
	}
	for _, s := range h.nodes {
		if !s.up || s.node.Repl().Role != "slave" {
			continue
		}
		m := h.masterOf(s)
		if m == nil || !m.up {
			r := s.node.Repl()
			out = append(out, checker.Violation{Check: "convergence",
				Detail: fmt.Sprintf("replica %s follows %s:%d, which is not a live node", s.name, r.MasterHost, r.MasterPort)})
			continue
		}
		out = append(out, checker.CheckConvergence(h.state(m), h.state(s))...)
	}
	return out
}

// NodeNames returns the names of the nodes started so far, in start order.
func (h *Harness) NodeNames() []string {
	out := make([]string, len(h.nodes))
	for i, s := range h.nodes {
		out[i] = s.name
	}
	return out
}
