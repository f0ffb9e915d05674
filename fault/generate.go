package fault

import (
	"fmt"
	"slices"
	"strings"

	"github.com/replsim/replsim/sim"
)

// swarmEnableProb is the chance that a seed enables each fault kind
// (swarm testing: each seed tries a different mix).
const swarmEnableProb = 0.5

// swarmRates are the rates, in episodes per second of the fault window,
// a seed picks from for each kind it enables.
var swarmRates = []float64{0.4, 0.8, 1.6}

// Fault window: episodes start between faultStart and the window's end,
// which grows with the workload; the heal step follows it.
const (
	faultStart   = 200 * sim.Millisecond
	faultBase    = sim.Second
	faultPerOp   = 2 * sim.Millisecond
	healAfter    = 500 * sim.Millisecond
	maxAddedNode = 2
)

// lastSharedEpisodeSwarm is the last swarm place whose kind draws its
// episodes' count and times from the shared stream; kinds after it draw
// them from their own.
const lastSharedEpisodeSwarm = 43

// Horizon is the latest virtual time a step may run at: the budget a run
// gives its fault schedule.
const Horizon = 300 * sim.Second

// Params are what a seed's schedule depends on besides the seed.
type Params struct {
	Seed uint64
	// Ops is the number of operations the master's clients issue in all:
	// the fault window grows with it.
	Ops int
	// Replicas and Clients make the topology.
	Replicas, Clients int
	// NoFaults generates the topology, persistence and clocks without a
	// swarm or fault steps.
	NoFaults bool
	// Force puts these swarm kinds in the swarm whatever the seed draws
	// (at the rate the seed draws for them), to focus a sweep; the other
	// kinds draw as without it. "op_config=PARAM" forces op_config and
	// makes each of its CONFIG SETs set PARAM.
	Force []string
}

// Generate draws a run's schedule from its seed: the topology (an
// optional chained replica), the nodes' persistence, the swarm (which fault kinds, how often), the
// nodes' clocks and the fault steps, ending with a heal step. It reads only
// RNG streams named "faults/..." derived from opts.Seed, so it can run
// without a world, and a run of its result replays the seeded run exactly.
// With p.NoFaults the swarm is empty and there are no steps.
func Generate(opts Params) Schedule {
	seed := opts.Seed
	topo := Topology{Replicas: opts.Replicas, Clients: opts.Clients}
	if sim.NewRand(seed, "faults/topology").Chance(0.5) {
		topo.Chained = 1
	}
	s := Schedule{Seed: seed, Topology: topo}
	rp := sim.NewRand(seed, "faults/persistence")
	switch x := rp.IntN(20); {
	case x < 6:
		s.Persistence.AppendFsync = "everysec"
	case x < 9:
		s.Persistence.AppendFsync = "always"
	case x < 12:
		s.Persistence.AppendFsync = "no"
	}
	if rp.Chance(0.5) {
		s.Persistence.SaveSeconds = []int64{1, 2, 5}[rp.IntN(3)]
		s.Persistence.SaveChanges = []int64{1, 10, 100}[rp.IntN(3)]
	}

	rs := sim.NewRand(seed, "faults/swarm")
	rates := map[string]float64{}
	swarmKinds := SwarmKinds()
	forced, focus := ParseForce(opts.Force)
	for _, k := range swarmKinds {
		on := rs.Chance(swarmEnableProb)
		if (on || slices.Contains(forced, k)) && !opts.NoFaults {
			s.Swarm = append(s.Swarm, k)
			rates[k] = swarmRates[rs.IntN(len(swarmRates))]
		}
	}
	slices.Sort(s.Swarm)

	rc := sim.NewRand(seed, "faults/clock")
	clock := func(name string) Clock {
		return Clock{Node: name, Offset: rc.Between(-2_000_000, 2_000_000) * sim.Microsecond, DriftPPM: rc.Between(-100, 100)}
	}
	for _, n := range topo.Nodes() {
		s.Clocks = append(s.Clocks, clock(n))
	}

	end := faultBase + sim.Time(opts.Ops)*faultPerOp
	g := newModel(seed, topo, end+healAfter, rates)
	g.persistence = s.Persistence
	g.focus = focus
	for _, k := range swarmKinds {
		rate, ok := rates[k]
		if !ok {
			continue
		}
		// Kinds drawn after disk_meta_error take their episodes from
		// their own stream, so that enabling them leaves the shared one
		// (and so the other kinds' episodes) as they were.
		er := g.r
		if KindNamed(k).swarm > lastSharedEpisodeSwarm {
			er = g.own("episodes/" + k)
		}
		n := 1 + er.IntN(int(rate*float64(end)/float64(sim.Second))+1)
		for i := 0; i < n; i++ {
			at := er.Between(faultStart/sim.Microsecond, end/sim.Microsecond) * sim.Microsecond
			g.episodes = append(g.episodes, episode{at: at, kind: k})
		}
	}
	g.run()
	for _, name := range g.added {
		s.Clocks = append(s.Clocks, clock(name))
	}
	if !opts.NoFaults {
		g.emit(g.healAt, Heal{})
	}
	slices.SortStableFunc(g.steps, func(a, b Step) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
	s.Steps = g.steps
	return s
}

// episode is one fault occurrence before the generator fills it in.
type episode struct {
	at   sim.Time
	kind string
}

// ParseForce splits Params.Force into kind names and the focus a
// "KIND=PARAM" entry gives its kind (only op_config takes one, a
// parameter it may set).
func ParseForce(force []string) (kinds []string, focus map[string]string) {
	focus = map[string]string{}
	for _, f := range force {
		k, p, ok := strings.Cut(f, "=")
		kinds = append(kinds, k)
		if ok {
			focus[k] = p
		}
	}
	return kinds, focus
}

// CheckForce reports the first entry of Params.Force that names no swarm
// kind, or focuses a kind on what it cannot do.
func CheckForce(force []string) error {
	for _, f := range force {
		k, p, ok := strings.Cut(f, "=")
		if !slices.Contains(SwarmKinds(), k) {
			return fmt.Errorf("unknown fault kind %q (known: %v)", k, SwarmKinds())
		}
		if !ok {
			continue
		}
		if k != kindConfig.Name {
			return fmt.Errorf("fault kind %s takes no focus (%q): only %s=PARAM does", k, f, kindConfig.Name)
		}
		if !slices.ContainsFunc(newConfigWeights, func(w weighted) bool { return w.v == p }) {
			var want []string
			for _, w := range newConfigWeights {
				want = append(want, w.v)
			}
			return fmt.Errorf("%s: %s cannot focus on %q (want one of %s)", f, k, p, strings.Join(want, ", "))
		}
	}
	return nil
}
