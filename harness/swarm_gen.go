package harness

import (
	"slices"
	"strconv"

	"github.com/replsim/replsim/sim"
)

// genModel turns episodes into steps. It follows the cluster the steps
// make (who is up, who is master, who replicates from whom) so that steps
// name nodes that make sense when they run; the harness still checks each
// step when it runs and skips one that cannot.
type genModel struct {
	r      *sim.Rand
	healAt sim.Time

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

func newGenModel(seed uint64, t Topology, healAt sim.Time) *genModel {
	g := &genModel{r: sim.NewRand(seed, "faults/steps"), healAt: healAt, up: map[string]bool{},
		pausedTill: map[string]sim.Time{}, upstream: map[string]string{}}
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

// run fills in every episode in time order.
func (g *genModel) run(rates map[string]float64) {
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
		g.episode(ep, rates)
	}
}

// advance applies the model events due by t.
func (g *genModel) advance(t sim.Time) {
	for len(g.pending) > 0 && g.pending[0].at <= t {
		ev := g.pending[0]
		g.pending = g.pending[1:]
		ev.fn()
	}
}

// later queues a model change at t (kept in time order, ties in call order).
func (g *genModel) later(t sim.Time, fn func()) {
	i := len(g.pending)
	for i > 0 && g.pending[i-1].at > t {
		i--
	}
	g.pending = slices.Insert(g.pending, i, modelEvent{at: t, fn: fn})
}

func (g *genModel) emit(t sim.Time, kind string, args ...string) {
	g.steps = append(g.steps, Step{At: t, Kind: kind, Args: args})
}

// between draws a time in [lo, hi] in whole microseconds.
func (g *genModel) between(lo, hi sim.Time) sim.Time {
	return g.r.Between(lo/sim.Microsecond, hi/sim.Microsecond) * sim.Microsecond
}

// until clamps the end of a fault that starts at t and lasts d to the heal.
func (g *genModel) until(t, d sim.Time) sim.Time { return min(t+d, g.healAt) - t }

func (g *genModel) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[g.r.IntN(len(list))]
}

// live reports whether n is up and not paused now.
func (g *genModel) live(n string) bool { return g.up[n] && g.pausedTill[n] <= g.now }

func (g *genModel) upNodes() []string {
	var out []string
	for _, n := range g.nodes {
		if g.live(n) {
			out = append(out, n)
		}
	}
	return out
}

// upReplicas are the live nodes other than the master.
func (g *genModel) upReplicas() []string {
	var out []string
	for _, n := range g.nodes {
		if g.live(n) && n != g.master {
			out = append(out, n)
		}
	}
	return out
}

// reaches reports whether x's chain of upstreams passes through y.
func (g *genModel) reaches(x, y string) bool {
	for i := 0; i <= len(g.nodes) && x != ""; i++ {
		if x == y {
			return true
		}
		x = g.upstream[x]
	}
	return false
}

func (g *genModel) promote(x string) {
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
func (g *genModel) linkPair() (string, string) {
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
func (g *genModel) groups() (a, b []string) {
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

func groupArgs(a, b []string) []string {
	out := append(append([]string{}, a...), "|")
	return append(out, b...)
}

// episode emits the steps of one fault occurrence at ep.at.
func (g *genModel) episode(ep episode, rates map[string]float64) {
	t := ep.at
	r := g.r
	dur := func(lo, hi sim.Time) sim.Time { return g.until(t, g.between(lo, hi)) }
	prob := func() string {
		return "p=" + []string{"0.1", "0.25", "0.5", "1"}[r.IntN(4)]
	}
	switch ep.kind {
	case "net_reset":
		from, to := g.linkPair()
		if from == "" {
			return
		}
		var n int64
		switch x := r.IntN(10); {
		case x < 1:
			n = 0
		case x < 8:
			n = r.Int64N(200)
		default:
			n = r.Int64N(4000)
		}
		g.emit(t, "net_reset", from, to, "bytes="+strconv.FormatInt(n, 10))
	case "net_partition", "net_oneway":
		a, b := g.groups()
		d := dur(50*sim.Millisecond, 2500*sim.Millisecond)
		g.emit(t, ep.kind, groupArgs(a, b)...)
		g.emit(t+d, "net_heal", groupArgs(a, b)...)
	case "net_blackhole":
		from, to := g.linkPair()
		if from == "" {
			return
		}
		g.emit(t, "net_blackhole", from, to, secs("for", dur(50*sim.Millisecond, 2500*sim.Millisecond)))
	case "net_latency":
		from, to := g.linkPair()
		if from == "" {
			return
		}
		g.emit(t, "net_latency", from, to, secs("base", g.between(5*sim.Millisecond, 300*sim.Millisecond)),
			secs("jitter", g.between(0, 50*sim.Millisecond)), secs("for", dur(200*sim.Millisecond, 3*sim.Second)))
	case "net_dial_error":
		g.emit(t, "net_dial_error", g.pick(g.nodes), "count="+itoa(1+r.IntN(5)), "err="+[]string{"refused", "timeout"}[r.IntN(2)])
	case "disk_write_error":
		g.emit(t, ep.kind, g.pick(g.nodes), prob(), secs("for", dur(200*sim.Millisecond, 3*sim.Second)),
			"err="+[]string{"eio", "enospc"}[r.IntN(2)])
	case "disk_fsync_error", "disk_bitflip":
		g.emit(t, ep.kind, g.pick(g.nodes), prob(), secs("for", dur(200*sim.Millisecond, 3*sim.Second)))
	case "proc_crash":
		g.crash(t, rates)
	case "proc_pause":
		if x := g.pick(g.upNodes()); x != "" {
			d := dur(50*sim.Millisecond, 2*sim.Second)
			g.emit(t, "proc_pause", x, secs("for", d))
			g.pausedTill[x] = t + d
		}
	case "auth_wrong_masterauth":
		if x := g.pick(g.upReplicas()); x != "" {
			g.emit(t, ep.kind, x, secs("for", dur(200*sim.Millisecond, 3*sim.Second)))
		}
	case "auth_requirepass_change":
		if g.live(g.master) {
			g.emit(t, ep.kind, g.master, "pass=pw"+itoa(r.IntN(1000000)), secs("for", dur(200*sim.Millisecond, 3*sim.Second)))
		}
	case "clock_jump":
		j := g.between(sim.Millisecond, 10*sim.Second)
		if r.Chance(0.2) {
			// Beyond repl-timeout, and short of the heal budget: a clock
			// that went back J seconds holds back timeouts and diskless
			// syncs for J seconds.
			j = g.between(61*sim.Second, 120*sim.Second)
		}
		if r.Chance(0.5) {
			j = -j
		}
		g.emit(t, ep.kind, g.pick(g.nodes), formatSeconds(j))
	case "op_promote":
		if x := g.pick(g.upReplicas()); x != "" {
			g.emit(t, ep.kind, x)
			g.promote(x)
		}
	case "op_repoint":
		x := g.pick(g.upReplicas())
		if x == "" {
			return
		}
		var targets []string
		for _, n := range g.upNodes() {
			if n != x && n != g.upstream[x] && !g.reaches(n, x) {
				targets = append(targets, n)
			}
		}
		if y := g.pick(targets); y != "" {
			g.emit(t, ep.kind, x, y)
			g.upstream[x] = y
		}
	case "op_demote":
		m := g.master
		x := g.pick(g.upReplicas())
		if !g.live(m) || x == "" || g.upstream[m] != "" {
			return
		}
		g.emit(t, ep.kind, m, x)
		g.upstream[m] = x
		pt := t + g.until(t, g.between(10*sim.Millisecond, 800*sim.Millisecond))
		g.emit(pt, "op_promote", x)
		g.later(pt, func() { g.promote(x) })
	case "op_add_replica":
		if len(g.added) >= maxAddedNode {
			return
		}
		name := "n" + itoa(len(g.nodes)+1)
		g.emit(t, ep.kind, name)
		g.nodes = append(g.nodes, name)
		g.added = append(g.added, name)
		g.up[name] = true
		g.upstream[name] = g.master
	case "op_config":
		x := g.pick(g.upNodes())
		if x == "" {
			return
		}
		switch r.IntN(3) {
		case 0:
			g.emit(t, ep.kind, x, "repl-backlog-size", []string{"256", "4096", "65536", "1048576"}[r.IntN(4)])
		case 1:
			g.emit(t, ep.kind, x, "repl-timeout", itoa(2+r.IntN(59)))
		default:
			g.emit(t, ep.kind, x, "repl-ping-replica-period", itoa(1+r.IntN(10)))
		}
	}
}

// crash emits a crash and its restart; a crashed master is sometimes
// failed over to a replica first, if the seed enabled promotions.
func (g *genModel) crash(t sim.Time, rates map[string]float64) {
	r := g.r
	x := g.pick(g.upNodes())
	if g.up[g.master] && r.Chance(0.35) {
		x = g.master
	}
	if x == "" {
		return
	}
	mode := "keep_all"
	switch r.IntN(4) {
	case 0:
		mode = "torn"
	case 1:
		mode = "lose_all"
	}
	down := g.between(50*sim.Millisecond, 2*sim.Second)
	g.emit(t, "proc_crash", x, mode)
	g.up[x] = false
	delete(g.pausedTill, x)
	if _, ok := rates["op_promote"]; ok && x == g.master && r.Chance(0.5) {
		if y := g.pick(g.upReplicas()); y != "" {
			pt := t + g.between(10*sim.Millisecond, min(down, 800*sim.Millisecond))
			if pt < g.healAt {
				g.emit(pt, "op_promote", y)
				g.later(pt, func() { g.promote(y) })
			}
		}
	}
	if t+down < g.healAt {
		g.emit(t+down, "proc_restart", x)
		g.later(t+down, func() { g.up[x] = true })
	}
}
