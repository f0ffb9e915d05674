package fault

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// op_config, of the operator family: CONFIG SET of a replication,
// persistence or access parameter on a live node. The cluster keeps the
// node's config file in step, as CONFIG REWRITE would, so a restart keeps
// the new value.

// configParam is a parameter op_config may set and the values it takes.
type configParam struct {
	name string
	// enum lists the values of an enumerated parameter; otherwise the
	// value is an integer >= min (save takes "off" or two integers).
	enum []string
	min  int64
	save bool
	// obuf: a client-output-buffer-limit class and its three integers.
	obuf bool
}

// configParamList is every parameter op_config may set, in the order the
// usage message lists them.
var configParamList = []configParam{
	{name: "repl-backlog-size", min: 1},
	{name: "repl-timeout", min: 1},
	{name: "repl-ping-replica-period", min: 1},
	{name: "appendonly", enum: yesNo},
	{name: "appendfsync", enum: fsyncPolicies},
	{name: "save", save: true},
	{name: "repl-diskless-sync", enum: yesNo},
	{name: "repl-diskless-sync-delay", min: 0},
	{name: "replica-serve-stale-data", enum: yesNo},
	{name: "replica-read-only", enum: yesNo},
	{name: "client-output-buffer-limit", obuf: true},
	{name: "min-replicas-to-write", min: 0},
	{name: "min-replicas-max-lag", min: 0},
	{name: "repl-backlog-ttl", min: 0},
	{name: "repl-diskless-sync-max-replicas", min: 0},
}

var yesNo = []string{"yes", "no"}

// configParams are the names of the parameters op_config may set.
var configParams = func() []string {
	out := make([]string, len(configParamList))
	for i, p := range configParamList {
		out[i] = p.name
	}
	return out
}()

func configParamNamed(name string) *configParam {
	for i := range configParamList {
		if configParamList[i].name == name {
			return &configParamList[i]
		}
	}
	return nil
}

// checkConfigValue reads param's value from the head of args and returns
// it as canonical tokens and the tokens left: an integer, an enumerated
// word, or for save "off" or SECONDS CHANGES.
func checkConfigValue(kind, param string, args []string) (canon, rest []string, err error) {
	p := configParamNamed(param)
	if p == nil {
		return nil, nil, fmt.Errorf("%s: unsupported parameter %q (want %s)", kind, param, strings.Join(configParams, ", "))
	}
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("%s: missing value for %s (usage: %s %s)", kind, param, kind, kindConfig.Syntax)
	}
	tok := args[0]
	switch {
	case p.enum != nil:
		if !slices.Contains(p.enum, tok) {
			return nil, nil, fmt.Errorf("%s: bad value %q for %s (want %s)", kind, tok, param, strings.Join(p.enum, " or "))
		}
		return []string{tok}, args[1:], nil
	case p.obuf:
		if len(args) < 4 || !slices.Contains([]string{"normal", "replica", "slave", "pubsub"}, tok) {
			return nil, nil, fmt.Errorf("%s: bad value %q for %s (want CLASS HARD SOFT SECONDS, CLASS normal, replica or pubsub)", kind, strings.Join(args, " "), param)
		}
		canon = []string{tok}
		for _, a := range args[1:4] {
			v, err := strconv.ParseInt(a, 10, 64)
			if err != nil || v < 0 {
				return nil, nil, fmt.Errorf("%s: bad value %q for %s (HARD, SOFT and SECONDS are non-negative integers)", kind, a, param)
			}
			canon = append(canon, strconv.FormatInt(v, 10))
		}
		return canon, args[4:], nil
	case p.save:
		if tok == "off" {
			return []string{tok}, args[1:], nil
		}
		var secs, changes int64
		var err1, err2 error = nil, fmt.Errorf("missing")
		secs, err1 = strconv.ParseInt(tok, 10, 64)
		if len(args) > 1 {
			changes, err2 = strconv.ParseInt(args[1], 10, 64)
		}
		if err1 != nil || err2 != nil || secs < 1 || changes < 0 {
			return nil, nil, fmt.Errorf("%s: bad value %q for save (want off, or SECONDS >= 1 and CHANGES >= 0)", kind, strings.Join(args[:min(2, len(args))], " "))
		}
		return []string{strconv.FormatInt(secs, 10), strconv.FormatInt(changes, 10)}, args[2:], nil
	}
	v, err := strconv.ParseInt(tok, 10, 64)
	if err != nil || v < p.min {
		want := "a positive integer"
		if p.min == 0 {
			want = "a non-negative integer"
		}
		return nil, nil, fmt.Errorf("%s: bad value %q for %s (want %s)", kind, tok, param, want)
	}
	return []string{strconv.FormatInt(v, 10)}, args[1:], nil
}

var kindConfig = register(&Kind{Name: "op_config", Syntax: "NODE PARAM VALUE",
	Doc: "CONFIG SET PARAM VALUE on NODE, kept in its config file for restarts: repl-backlog-size, repl-timeout, " +
		"repl-ping-replica-period (integers), appendonly yes|no, appendfsync always|everysec|no, save off|SECONDS CHANGES, " +
		"repl-diskless-sync yes|no, repl-diskless-sync-delay SECONDS, replica-serve-stale-data yes|no, replica-read-only yes|no, " +
		"client-output-buffer-limit CLASS HARD SOFT SECONDS, min-replicas-to-write N, min-replicas-max-lag SECONDS, repl-backlog-ttl SECONDS, " +
		"repl-diskless-sync-max-replicas N",
	order: 21, swarm: 19, pos: []tokType{tNode, tParam},
	build: func(a args) Fault {
		return OpConfig{Node: a.str(0), Param: a.str(1), Value: strings.Join(a[2:], " ")}
	},
	generate: genConfig})

// genConfig draws one CONFIG SET. The draws of the first three parameters
// come from the shared stream as they always did (so other kinds keep
// their choices); whether to set one of the later parameters instead, and
// which, comes from the kind's own stream. Persistence parameters go to
// the master half the time (where durability is judged), access ones to a
// replica (where they matter).
func genConfig(g *model, t sim.Time) {
	x := g.pick(g.upNodes())
	if x == "" {
		return
	}
	var f OpConfig
	switch g.r.IntN(3) {
	case 0:
		f = OpConfig{Node: x, Param: "repl-backlog-size", Value: []string{"256", "4096", "65536", "1048576"}[g.r.IntN(4)]}
	case 1:
		f = OpConfig{Node: x, Param: "repl-timeout", Value: itoa(2 + g.r.IntN(59))}
	default:
		f = OpConfig{Node: x, Param: "repl-ping-replica-period", Value: itoa(1 + g.r.IntN(10))}
	}
	r := g.own("op_config")
	if focus := g.focus["op_config"]; r.Chance(0.75) || focus != "" {
		f.Param = drawWeighted(r, newConfigWeights)
		if focus != "" {
			f.Param = focus
		}
		switch f.Param {
		case "appendonly", "appendfsync", "save":
			if g.live(g.master) && r.Chance(0.85) {
				f.Node = g.master
			}
		case "replica-serve-stale-data", "replica-read-only":
			if f.Node == g.master {
				if y := pickWith(r, g.upReplicas()); y != "" {
					f.Node = y
				}
			}
		}
		switch f.Param {
		case "appendfsync":
			f.Value = drawWeighted(r, []weighted{{"always", 6}, {"everysec", 3}, {"no", 1}})
		case "save":
			f.Value = "off"
			if r.Chance(0.6) {
				f.Value = itoa([]int{1, 2, 5}[r.IntN(3)]) + " " + itoa([]int{1, 10, 100}[r.IntN(3)])
			}
		case "repl-diskless-sync-delay":
			f.Value = itoa(r.IntN(3))
		case "replica-serve-stale-data", "replica-read-only":
			// Mostly the setting Redis does not default to.
			f.Value = "no"
			if r.Chance(0.25) {
				f.Value = "yes"
			}
		default:
			f.Value = yesNo[r.IntN(2)]
		}
	}
	focused := g.focus["op_config"] != ""
	obuf := g.own("op_config/obuf")
	if obuf.Chance(0.3) && !focused {
		f = replicaObufLimit(g, obuf, f.Node)
	}
	if rp := g.own("op_config/repl"); rp.Chance(0.25) && !focused {
		f = replParam(g, rp, f.Node)
	}
	if nr := g.own("op_config/obuf-normal"); nr.Chance(0.1) && !focused {
		// A normal client limit small enough that a big reply (a GET or
		// MGET of kilobyte values, over Redis's 16 KB static buffer)
		// drops the client: its pending operation has an unknown outcome.
		x := f.Node
		if g.live(g.master) {
			x = g.master
		}
		f = OpConfig{Node: x, Param: "client-output-buffer-limit",
			Value: "normal " + itoa([]int{1024, 8192}[nr.IntN(2)]) + " " + itoa([]int{0, 1024}[nr.IntN(2)]) + " 0"}
	}
	on, fsync := g.aofOf(f.Node)
	stronger := false
	switch f.Param {
	case "appendfsync":
		stronger = f.Value == "always" && fsync != "always" || f.Value == "everysec" && fsync == "no"
		if !on && f.Value != "no" {
			// An operator asking for a stricter fsync means the AOF to be
			// on: turn it on too.
			emitAOFOn(g, t, f.Node) // op_multi.go
			g.aof[f.Node], stronger = true, true
			g.aofOnce[f.Node] = true
		}
		g.fsync[f.Node] = f.Value
	case "appendonly":
		stronger = f.Value == "yes" && !on
		g.aof[f.Node] = f.Value == "yes"
		g.aofOnce[f.Node] = g.aofOnce[f.Node] || f.Value == "yes"
	}
	if f.Param == "appendonly" && f.Value == "yes" && !on {
		emitAOFOn(g, t, f.Node)
		shutdownWhileAOFStarts(g, t, f.Node)
	} else {
		g.emit(t, f)
	}
	// What a stronger persistence promises is seen only when the power
	// fails: if the seed crashes nodes, most of the time it is the
	// master's power, a while after the change (the planted bug
	// appendfsync-set-ignored needs this to be caught within 300 seeds).
	if _, crashes := g.rates[kindCrash.Name]; crashes && stronger && f.Node == g.master && r.Chance(0.95) {
		g.powerLoss(r, t+sim.Time(r.Between(50_000, 600_000))*sim.Microsecond, f.Node)
	}
	// A small replica limit on the master matters when a replica falls
	// behind: most of the time one link from the master slows down a
	// while later, so that the stream in flight overcomes the soft limit
	// (a justified drop; the replica reconnects, and may loop while the
	// link stays slow).
	if f.Param == "client-output-buffer-limit" && f.Node == g.master && obuf.Chance(0.7) {
		var direct []string
		for _, y := range g.upReplicas() {
			if g.upstream[y] == g.master {
				direct = append(direct, y)
			}
		}
		at := t + sim.Time(obuf.Between(10_000, 300_000))*sim.Microsecond
		if y := pickWith(obuf, direct); y != "" && at < g.healAt {
			base := sim.Time(obuf.Between(300_000, 900_000)) * sim.Microsecond
			g.emit(at, NetLatency{From: g.master, To: y, Base: base, For: g.until(at, sim.Time(obuf.Between(1_500_000, 3_000_000))*sim.Microsecond)})
		}
	}
	// Likewise replica-serve-stale-data no matters only while the
	// replica's link is down: if the seed gives replicas wrong
	// passwords, sometimes it is this one's, soon after.
	if _, auth := g.rates[kindWrongMasterAuth.Name]; auth && f.Param == "replica-serve-stale-data" && f.Value == "no" &&
		g.upstream[f.Node] != "" && r.Chance(0.7) {
		at := t + sim.Time(r.Between(20_000, 400_000))*sim.Microsecond
		if at < g.healAt {
			g.emit(at, AuthWrongMasterAuth{Node: f.Node, For: g.until(at, sim.Time(r.Between(200_000, 1_500_000))*sim.Microsecond)})
		}
	}
}

// replicaObufLimit draws a small client-output-buffer-limit for the
// replica class, mostly on the master: a hard limit Redis raises to the
// backlog size, a soft one it does not, so that writes held behind a cut
// or a slow link, or a burst of big values, drop a replica, which then
// resyncs (and loops, when the limit is under the write rate: Redis's
// known full-resync loop, checker/liveness.go).
func replicaObufLimit(g *model, r *sim.Rand, x string) OpConfig {
	if g.live(g.master) && r.Chance(0.85) {
		x = g.master
	}
	hard := []int{1024, 4096, 16384, 65536}[r.IntN(4)]
	soft := []int{0, 1024, 4096, 65536}[r.IntN(4)]
	secs := []int{0, 0, 1}[r.IntN(3)]
	return OpConfig{Node: x, Param: "client-output-buffer-limit", Value: "replica " + itoa(hard) + " " + itoa(soft) + " " + itoa(secs)}
}

// replParam draws one of the replication knobs the other draws leave
// alone, on the master most of the time: min-replicas-to-write (writes are
// refused with NOREPLICAS while fewer replicas ack within
// min-replicas-max-lag; the model takes an error as no effect) or, a
// quarter of those times, min-replicas-max-lag (0 turns the check off), a short
// repl-backlog-ttl (a master left without replicas frees its backlog, so
// a replica that comes back needs a full sync; 0 never frees it), and
// repl-diskless-sync-max-replicas (a diskless transfer starts as soon as
// that many replicas wait).
func replParam(g *model, r *sim.Rand, x string) OpConfig {
	if g.live(g.master) && r.Chance(0.8) {
		x = g.master
	}
	switch r.IntN(3) {
	case 0:
		if r.Chance(0.25) {
			return OpConfig{Node: x, Param: "min-replicas-max-lag", Value: itoa(r.IntN(3))}
		}
		return OpConfig{Node: x, Param: "min-replicas-to-write", Value: itoa(r.IntN(3))}
	case 1:
		return OpConfig{Node: x, Param: "repl-backlog-ttl", Value: itoa(r.IntN(4))}
	}
	return OpConfig{Node: x, Param: "repl-diskless-sync-max-replicas", Value: itoa(r.IntN(3))}
}

// newConfigWeights are the odds of the parameters op_config draws from
// its own stream; they are also the parameters a focus may name.
var newConfigWeights = []weighted{
	{"appendonly", 15}, {"appendfsync", 40}, {"save", 10}, {"repl-diskless-sync", 8},
	{"repl-diskless-sync-delay", 7}, {"replica-serve-stale-data", 20}, {"replica-read-only", 20},
}

// weighted is a choice and its odds.
type weighted struct {
	v string
	w int
}

func drawWeighted(r *sim.Rand, ws []weighted) string {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// powerLoss emits a power loss of node at t (torn or lose_all) and its
// restart a while later, unless the heal comes first, drawing from r.
func (g *model) powerLoss(r *sim.Rand, t sim.Time, node string) {
	if t >= g.healAt {
		return
	}
	mode := []string{"torn", "lose_all", "lose_all", "lose_all"}[r.IntN(4)]
	down := sim.Time(r.Between(int64(50*sim.Millisecond/sim.Microsecond), int64(sim.Second/sim.Microsecond))) * sim.Microsecond
	g.emit(t, ProcCrash{Node: node, Mode: mode})
	g.later(t, func() { g.up[node] = false; delete(g.pausedTill, node) })
	if t+down < g.healAt {
		g.emit(t+down, ProcRestart{Node: node})
		g.later(t+down, func() { g.up[node] = true })
	}
}

func pickWith(r *sim.Rand, list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[r.IntN(len(list))]
}

// OpConfig runs CONFIG SET Param Value on Node. Value is as the schedule
// writes it: an integer, a word, or for save "off" (CONFIG SET save "")
// or "SECONDS CHANGES".
type OpConfig struct {
	Node, Param string
	Value       string
}

// Kind implements Fault.
func (f OpConfig) Kind() string { return kindConfig.Name }

// Args implements Fault.
func (f OpConfig) Args() []string {
	return append([]string{f.Node, f.Param}, strings.Fields(f.Value)...)
}

// Apply implements Fault.
func (f OpConfig) Apply(x *Injector) error {
	v := f.Value
	if f.Param == "save" && v == "off" {
		v = ""
	}
	if err := x.t.ConfigSet(f.Node, f.Param, v); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, f.Param+" "+f.Value)
	return nil
}

// shutdownWhileAOFStarts sometimes (half the times, when the seed shuts
// nodes down) sends x a SHUTDOWN with FORCE within 3 ms of its
// CONFIG SET appendonly yes, while the rewrite that turns the AOF on
// most likely still runs: Redis 7.0.15 then logs "Writing initial AOF.
// Exit anyway." and kills it (prepareForShutdown). A SHUTDOWN drawn at
// random almost never lands in that window.
func shutdownWhileAOFStarts(g *model, t sim.Time, x string) {
	r := g.own("op_config/aof-on-shutdown")
	if _, ok := g.rates[kindShutdown.Name]; !ok || !r.Chance(0.5) {
		return
	}
	at := t + sim.Time(r.Between(0, 3_000))*sim.Microsecond
	mode := forcedShutdownModes[r.IntN(len(forcedShutdownModes))]
	if at >= g.healAt {
		return
	}
	g.later(at, func() {
		if g.up[x] {
			shutdownNode(g, r, at, x, mode)
		}
	})
}
