package cluster

import (
	"fmt"
	"strconv"
	"time"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
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
	// SaveSeconds and SaveChanges are one RDB save rule (0: none, no
	// snapshots).
	SaveSeconds, SaveChanges int64
	Bugs                     []string
}

// Options size a cluster's workload and set what its nodes share. The zero
// value of a field means its default.
type Options struct {
	// Ops is the number of operations the master's clients issue in all
	// (default 1,000); Build shares them out.
	Ops int
	// Keys is the size of the key space (default 8).
	Keys int
	// Replicas is the replica count clients' WAITs ask for (default 2).
	Replicas int
	// Bugs switches on planted node bugs by name.
	Bugs []string
	// Families forces these command families (FamilyNames) into the
	// seed's workload mix, drawn without moving the seed's other draws.
	Families []string
	// CheckTimeout bounds porcupine per key in CheckNow (default 10 s).
	CheckTimeout time.Duration
	// Clocks are the nodes' clocks (offset and drift), by node name.
	Clocks []fault.Clock
	// Replay, if set, is the workload: each client sends its operations
	// from it (and works in the database it says) instead of drawing them
	// from the seed. Check it against the topology first (OpList.Check).
	Replay *OpList
}

// Cluster is a simulated Redis cluster: nodes on simulated hosts and
// disks, the clients that drive them, the operator actions that change
// them (it is the fault.Target faults act on), and the recording of
// everything the checkers read. Build one with New, then either Build a
// seeded topology or Start nodes by hand.
type Cluster struct {
	opts    Options
	w       *sim.World
	net     *netsim.Network
	nodes   []*simNode
	clients []*simClient
	// replClient speaks the replication protocol by hand (replclient.go).
	replClient *replClient
	// fakeMaster is the fake master and its replica (fakemaster.go), nil
	// in the seeds that do not draw it.
	fakeMaster *fakeMaster
	// joinRng draws the shutdown joiner (shutdown_joiner.go).
	joinRng *sim.Rand
	// typoRng draws the operator's typos (operator.go repointTypo).
	typoRng *sim.Rand
	// localCache is localWrites' result for the history lengths localKey
	// (inputs.go).
	localCache []checker.Op
	localKey   [6]int
	// healSaved are the nodes whose BGSAVE the heal started (heal.go).
	healSaved map[*simNode]bool
	// steady is the steady tail after convergence; steadyAtStart its
	// links at the start (record_steady.go).
	steady        checker.SteadyInput
	steadyAtStart []steadyLink
	workload      workload
	masterOps     []checker.Op
	replicaOps    []checker.Op
	faults        map[string]int
	timeline      []TimelineEvent
	// master is the node the cluster considers master; epoch counts changes.
	master *simNode
	epoch  int
	rec    recorder // what the checkers need beyond the histories (record.go)
	// evictions are the keys nodes evicted under maxmemory (record_evict.go).
	evictions []eviction
	// roleLog is every node's observed role over time; lastRole the
	// latest per node (observeRoles).
	roleLog  []checker.RoleChange
	lastRole map[string]string

	// baseCfg is the config every node of a seeded topology starts from.
	baseCfg node.Config
	clocks  map[string]fault.Clock
	// dialFaults are the hosts whose dials fail; wrongAuth the nodes given
	// a wrong masterauth since the last heal, wrongAuthActive how many such
	// faults are in force per node.
	dialFaults      []string
	wrongAuth       []*simNode
	wrongAuthActive map[string]int
	// healed says no fault is in force (fault.Target.SetHealed).
	healed bool
	// pass is the password clients and nodes use; wantPass the last one
	// set on a node, which they follow at the latest at the heal.
	pass        string
	wantPass    string
	passChanged bool
	// stalePass is the password a node required before the last change
	// (what stale clients send: clients_auth.go).
	stalePass string

	// waitBlocks are the WAITs blocked on a master, by master and client
	// connection, until they return (record_wait.go).
	waitBlocks map[string]waitBlock
}

// The defaults of Options, shared with harness.Options.
const (
	DefaultOps          = 1000
	DefaultKeys         = 8
	DefaultReplicas     = 2
	DefaultCheckTimeout = 10 * time.Second
)

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	if o.Ops <= 0 {
		o.Ops = DefaultOps
	}
	if o.Keys <= 0 {
		o.Keys = DefaultKeys
	}
	if o.Replicas <= 0 {
		o.Replicas = DefaultReplicas
	}
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = DefaultCheckTimeout
	}
	return o
}

// New returns an empty cluster in w: a network, no nodes, no clients.
func New(w *sim.World, opts Options) *Cluster {
	opts = opts.WithDefaults()
	h := &Cluster{opts: opts, w: w, faults: map[string]int{}, clocks: map[string]fault.Clock{},
		wrongAuthActive: map[string]int{}, healed: true}
	for _, c := range opts.Clocks {
		h.clocks[c.Node] = c
	}
	h.net = netsim.New(w, netsim.DefaultConfig())
	h.workload = workload{keys: opts.Keys}
	return h
}

// World returns the simulation the cluster runs in.
func (h *Cluster) World() *sim.World { return h.w }

// CountFault counts one fault of kind without recording an event (faults
// that a mechanism reports on its own, such as the network's).
func (h *Cluster) CountFault(kind string) { h.faults[kind]++ }

// Start boots a node called name. The first node started as a master
// becomes the harness's master (the target of Workload clients).
func (h *Cluster) Start(name string, o NodeOptions) error {
	if name == "" {
		return fmt.Errorf("start: empty node name")
	}
	if h.hostTaken(name) {
		return fmt.Errorf("start: host %q already exists", name)
	}
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.EnableDebugCommand = "yes" // as in Build
	cfg.ShutdownTimeoutSec = 0     // SHUTDOWN exits at once, as in Build
	if o.ReplicaOf != "" {
		m := h.Node(o.ReplicaOf)
		if m == nil {
			return fmt.Errorf("start %s: replicaof: no node %q", name, o.ReplicaOf)
		}
		cfg.ReplicaOfHost, cfg.ReplicaOfPort = m.name, m.port
	}
	if o.SaveSeconds > 0 {
		cfg.Save = []node.SaveRule{{Seconds: o.SaveSeconds, Changes: o.SaveChanges}}
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
		for _, b := range o.Bugs {
			if !node.IsBug(b) {
				return fmt.Errorf("start %s: unknown bug %q", name, b)
			}
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

func (h *Cluster) hostTaken(name string) bool {
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
func (h *Cluster) Workload(clients, ops, keys int) error {
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
func (h *Cluster) Now() sim.Time { return h.w.Now() }

// RunFor advances virtual time by d, running every event due.
func (h *Cluster) RunFor(d sim.Time) { h.w.RunUntil(h.w.Now()+d, nil) }

// WaitConverged runs until every live replica's link is up and its offset
// equals its own master's, or timeout passes. It reports whether the
// cluster converged.
func (h *Cluster) WaitConverged(timeout sim.Time) bool {
	if h.scenarioConverged() {
		return true
	}
	h.w.RunUntil(h.w.Now()+timeout, h.scenarioConverged)
	return h.scenarioConverged()
}

// WaitLink runs until replica name's link to its master is up (or down),
// or timeout passes. It reports whether the link reached that state.
func (h *Cluster) WaitLink(name string, up bool, timeout sim.Time) (bool, error) {
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
func (h *Cluster) WaitWorkload(timeout sim.Time) bool {
	h.w.RunUntil(h.w.Now()+timeout, h.WorkloadDone)
	return h.WorkloadDone()
}

// masterOf returns the node a replica replicates from, or nil.
func (h *Cluster) masterOf(s *simNode) *simNode {
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
func (h *Cluster) scenarioConverged() bool {
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
func (h *Cluster) CheckNow() []checker.Violation {
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
func (h *Cluster) NodeNames() []string {
	out := make([]string, len(h.nodes))
	for i, s := range h.nodes {
		out[i] = s.name
	}
	return out
}

// Addr returns the host and port of node name (its name and 0 if there is
// no such node).
func (h *Cluster) Addr(name string) (host string, port int) {
	if s := h.Node(name); s != nil {
		return s.name, s.port
	}
	return name, 0
}

// ReplicaLag describes every live replica's link and offset against its
// own master's, one line each, for a cluster that did not converge.
func (h *Cluster) ReplicaLag() []string {
	var out []string
	for _, s := range h.nodes {
		if !s.up || s.node.Repl().Role != "slave" {
			continue
		}
		r := s.node.Repl()
		line := fmt.Sprintf("%s: master %s link %s offset %d", s.name, r.MasterHost, r.LinkState, r.Offset)
		if m := h.masterOf(s); m != nil && m.up {
			line += fmt.Sprintf(" (master's %d)", m.node.Repl().Offset)
		}
		out = append(out, line)
	}
	return out
}
