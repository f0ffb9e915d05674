package fault

import (
	"slices"
	"strconv"

	"github.com/replsim/replsim/sim"
)

// model turns episodes into steps. It follows the cluster the steps
// make (who is up, who is master, who replicates from whom) so that steps
// name nodes that make sense when they run; the harness still checks each
// step when it runs and skips one that cannot.
type model struct {
	r    *sim.Rand
	seed uint64
	// owns are the kinds' own random streams (own).
	owns   map[string]*sim.Rand
	healAt sim.Time
	// rates are the enabled kinds' episode rates.
	rates map[string]float64
	// focus narrows a forced kind's draws (Params.Force's KIND=PARAM).
	focus map[string]string

	nodes []string
	up    map[string]bool
	// pausedTill is when a pause the model knows of ends; now is the
	// episode's time.
	pausedTill map[string]sim.Time
	now        sim.Time
	upstream   map[string]string // "" for the master
	master     string
	// clients are the master's clients; readers[i] reads from readerOf[i].
	clients  []string
	readers  []string
	readerOf []string
	added    []string
	// aof is each node's appendonly (a node missing here has the
	// schedule's persistence, as every node starts), fsync its
	// appendfsync; op_config changes them.
	aof   map[string]bool
	fsync map[string]string
	// aofOnce are the nodes op_config turned the AOF on for.
	aofOnce map[string]bool
	// persistence is the schedule's persistence line.
	persistence Persistence

	episodes []episode
	pending  []modelEvent
	steps    []Step
}

// modelEvent is a change to the model at a later time (a restart, a
// promotion that follows a crash).
type modelEvent struct {
	at sim.Time
	fn func()
}

func newModel(seed uint64, t Topology, healAt sim.Time, rates map[string]float64) *model {
	g := &model{r: sim.NewRand(seed, "faults/steps"), seed: seed, owns: map[string]*sim.Rand{}, healAt: healAt, rates: rates, up: map[string]bool{},
		pausedTill: map[string]sim.Time{}, upstream: map[string]string{},
		aof: map[string]bool{}, fsync: map[string]string{}, aofOnce: map[string]bool{}}
	for i, n := range t.Nodes() {
		g.nodes = append(g.nodes, n)
		g.up[n] = true
		g.upstream[n] = t.Upstream(i)
	}
	g.master = "n1"
	for i := 1; i <= t.Clients; i++ {
		g.clients = append(g.clients, "c"+strconv.Itoa(i))
	}
	for i := 1; i < len(g.nodes); i++ {
		g.readers = append(g.readers, "r"+strconv.Itoa(i))
		g.readerOf = append(g.readerOf, g.nodes[i])
	}
	return g
}

// aofOf returns node's appendonly and appendfsync as the model knows them.
func (g *model) aofOf(node string) (on bool, fsync string) {
	on, ok := g.aof[node]
	if !ok {
		on = g.persistence.AppendFsync != ""
	}
	fsync, ok = g.fsync[node]
	if !ok {
		fsync = g.persistence.AppendFsync
		if fsync == "" {
			fsync = "everysec"
		}
	}
	return on, fsync
}

// run fills in every episode in time order.
func (g *model) run() {
	slices.SortStableFunc(g.episodes, func(a, b episode) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	for _, ep := range g.episodes {
		g.now = ep.at
		g.advance(ep.at)
		KindNamed(ep.kind).generate(g, ep.at)
	}
}

// advance applies the model events due by t.
func (g *model) advance(t sim.Time) {
	for len(g.pending) > 0 && g.pending[0].at <= t {
		ev := g.pending[0]
		g.pending = g.pending[1:]
		ev.fn()
	}
}

// later queues a model change at t (kept in time order, ties in call order).
func (g *model) later(t sim.Time, fn func()) {
	i := len(g.pending)
	for i > 0 && g.pending[i-1].at > t {
		i--
	}
	g.pending = slices.Insert(g.pending, i, modelEvent{at: t, fn: fn})
}

// own returns the own random stream of the kind called name. Kinds added after the first
// nineteen draw from it rather than the shared one, so that old seeds'
// other kinds keep their draws.
func (g *model) own(name string) *sim.Rand {
	r := g.owns[name]
	if r == nil {
		r = sim.NewRand(g.seed, "faults/steps/"+name)
		g.owns[name] = r
	}
	return r
}

func (g *model) emit(t sim.Time, f Fault) {
	g.steps = append(g.steps, Step{At: t, Fault: f})
}

// between draws a time in [lo, hi] in whole microseconds.
func (g *model) between(lo, hi sim.Time) sim.Time {
	return g.r.Between(lo/sim.Microsecond, hi/sim.Microsecond) * sim.Microsecond
}

// until clamps the end of a fault that starts at t and lasts d to the heal.
func (g *model) until(t, d sim.Time) sim.Time { return min(t+d, g.healAt) - t }

func (g *model) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[g.r.IntN(len(list))]
}

// live reports whether n is up and not paused now.
func (g *model) live(n string) bool { return g.up[n] && g.pausedTill[n] <= g.now }

func (g *model) upNodes() []string {
	var out []string
	for _, n := range g.nodes {
		if g.live(n) {
			out = append(out, n)
		}
	}
	return out
}

// upReplicas are the live nodes other than the master.
func (g *model) upReplicas() []string {
	var out []string
	for _, n := range g.nodes {
		if g.live(n) && n != g.master {
			out = append(out, n)
		}
	}
	return out
}

// reaches reports whether x's chain of upstreams passes through y.
func (g *model) reaches(x, y string) bool {
	for i := 0; i <= len(g.nodes) && x != ""; i++ {
		if x == y {
			return true
		}
		x = g.upstream[x]
	}
	return false
}

func (g *model) promote(x string) {
	if !g.up[x] {
		return
	}
	g.master = x
	for _, n := range g.nodes {
		g.upstream[n] = x
	}
	g.upstream[x] = ""
}

// linkPair picks a live connection's two ends: a replication link or a
// client's connection, in a random direction.
func (g *model) linkPair() (string, string) {
	var pairs [][2]string
	for _, n := range g.nodes {
		if u := g.upstream[n]; u != "" && g.up[n] && g.up[u] {
			pairs = append(pairs, [2]string{u, n})
		}
	}
	if g.up[g.master] {
		for _, c := range g.clients {
			pairs = append(pairs, [2]string{g.master, c})
		}
	}
	for i, r := range g.readers {
		if g.up[g.readerOf[i]] {
			pairs = append(pairs, [2]string{g.readerOf[i], r})
		}
	}
	if len(pairs) == 0 {
		return "", ""
	}
	p := pairs[g.r.IntN(len(pairs))]
	if g.r.Chance(0.5) {
		return p[1], p[0]
	}
	return p[0], p[1]
}

// groups draws two disjoint groups of hosts: the master cut off, one node
// cut off, or a random split; clients join either side or neither.
func (g *model) groups() (a, b []string) {
	var hosts []string
	hosts = append(hosts, g.clients...)
	hosts = append(hosts, g.readers...)
	switch x := g.r.IntN(10); {
	case x < 4:
		a = []string{g.master}
		for _, n := range g.nodes {
			if n != g.master {
				b = append(b, n)
			}
		}
	case x < 7:
		one := g.pick(g.nodes)
		a = []string{one}
		for _, n := range g.nodes {
			if n != one {
				b = append(b, n)
			}
		}
	default:
		for _, n := range g.nodes {
			switch g.r.IntN(3) {
			case 0:
				a = append(a, n)
			case 1:
				b = append(b, n)
			}
		}
		if len(a) == 0 {
			a = append(a, g.nodes[0])
			b = slices.DeleteFunc(b, func(s string) bool { return s == g.nodes[0] })
		}
		if len(b) == 0 {
			for _, n := range g.nodes {
				if !slices.Contains(a, n) {
					b = append(b, n)
					break
				}
			}
		}
		if len(b) == 0 {
			b = append(b, hosts[0])
			hosts = hosts[1:]
		}
	}
	for _, h := range hosts {
		switch g.r.IntN(3) {
		case 0:
			a = append(a, h)
		case 1:
			b = append(b, h)
		}
	}
	return a, b
}

// dur draws a fault's duration in [lo, hi], clamped to the heal.
func (g *model) dur(t, lo, hi sim.Time) sim.Time { return g.until(t, g.between(lo, hi)) }

// prob draws a fault's probability.
func (g *model) prob() float64 { return []float64{0.1, 0.25, 0.5, 1}[g.r.IntN(4)] }

// hadAOF reports whether node's AOF was on at some time, so that its disk
// may hold an AOF manifest (CONFIG SET appendonly no leaves it).
func (g *model) hadAOF(node string) bool {
	return g.persistence.AppendFsync != "" || g.aofOnce[node]
}
