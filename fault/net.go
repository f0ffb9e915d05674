package fault

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/sim"
)

// The network family: resets, partitions (both ways and one way) and their
// heal, blackholes, latency and failed dials.

var (
	kindNetReset = register(&Kind{Name: "net_reset", Syntax: "FROM TO bytes=N",
		Doc:   "reset the newest live connection of FROM to TO once N more bytes from FROM have been delivered (mid-command, mid-RDB, mid-reply)",
		order: 1, swarm: 1, pos: []tokType{tHost, tHost}, keys: []keyArg{{key: "bytes", typ: vCount}},
		build: func(a args) Fault { return NetReset{From: a.str(0), To: a.str(1), Bytes: a.count("bytes")} },
		generate: func(g *model, t sim.Time) {
			from, to := g.linkPair()
			if from == "" {
				return
			}
			var n int64
			switch x := g.r.IntN(10); {
			case x < 1:
				n = 0
			case x < 8:
				n = g.r.Int64N(200)
			default:
				n = g.r.Int64N(4000)
			}
			g.emit(t, NetReset{From: from, To: to, Bytes: n})
		}})
	kindNetPartition = register(&Kind{Name: "net_partition", Syntax: "HOST... | HOST...",
		Doc:   "cut every link between the two groups, both ways, until net_heal or heal",
		order: 2, swarm: 2, pos: []tokType{tGroups},
		build: func(a args) Fault { x, y := a.groups(); return NetPartition{A: x, B: y} },
		generate: func(g *model, t sim.Time) {
			a, b := g.groups()
			d := g.dur(t, 50*sim.Millisecond, 2500*sim.Millisecond)
			g.emit(t, NetPartition{A: a, B: b})
			g.emit(t+d, NetHeal{A: a, B: b})
		}})
	kindNetOneWay = register(&Kind{Name: "net_oneway", Syntax: "FROM... | TO...",
		Doc:   "cut every link from the first group to the second until net_heal or heal",
		order: 3, swarm: 3, pos: []tokType{tGroups},
		build: func(a args) Fault { x, y := a.groups(); return NetOneWay{From: x, To: y} },
		generate: func(g *model, t sim.Time) {
			a, b := g.groups()
			d := g.dur(t, 50*sim.Millisecond, 2500*sim.Millisecond)
			g.emit(t, NetOneWay{From: a, To: b})
			g.emit(t+d, NetHeal{A: a, B: b})
		}})
	kindNetHeal = register(&Kind{Name: "net_heal", Syntax: "[HOST... | HOST...]",
		Doc:   "heal the cuts between the two groups, or every partition",
		order: 4, pos: []tokType{tOptGroups}, keepsHealed: true,
		build: func(a args) Fault { x, y := a.groups(); return NetHeal{A: x, B: y} }})
	kindNetBlackhole = register(&Kind{Name: "net_blackhole", Syntax: "FROM TO for=D",
		Doc:   "silently drop bytes from FROM to TO for D seconds (a stream that lost bytes stays stalled)",
		order: 5, swarm: 4, pos: []tokType{tHost, tHost}, keys: []keyArg{{key: "for", typ: vDur}},
		build: func(a args) Fault { return NetBlackhole{From: a.str(0), To: a.str(1), For: a.dur("for")} },
		generate: func(g *model, t sim.Time) {
			from, to := g.linkPair()
			if from == "" {
				return
			}
			g.emit(t, NetBlackhole{From: from, To: to, For: g.dur(t, 50*sim.Millisecond, 2500*sim.Millisecond)})
		}})
	kindNetLatency = register(&Kind{Name: "net_latency", Syntax: "FROM TO base=D jitter=D for=D",
		Doc:   "slow the link FROM->TO to base+jitter for D seconds",
		order: 6, swarm: 5, pos: []tokType{tHost, tHost},
		keys: []keyArg{{key: "base", typ: vDur}, {key: "jitter", typ: vDur}, {key: "for", typ: vDur}},
		build: func(a args) Fault {
			return NetLatency{From: a.str(0), To: a.str(1), Base: a.dur("base"), Jitter: a.dur("jitter"), For: a.dur("for")}
		},
		generate: func(g *model, t sim.Time) {
			from, to := g.linkPair()
			if from == "" {
				return
			}
			base := g.between(5*sim.Millisecond, 300*sim.Millisecond)
			jitter := g.between(0, 50*sim.Millisecond)
			g.emit(t, NetLatency{From: from, To: to, Base: base, Jitter: jitter, For: g.dur(t, 200*sim.Millisecond, 3*sim.Second)})
		}})
	kindNetDialError = register(&Kind{Name: "net_dial_error", Syntax: "HOST count=N err=refused|timeout",
		Doc:   "fail the next N dials to HOST",
		order: 7, swarm: 6, pos: []tokType{tHost},
		keys:  []keyArg{{key: "count", typ: vCount}, {key: "err", typ: vEnum, enum: []string{"refused", "timeout"}}},
		build: func(a args) Fault { return NetDialError{Host: a.str(0), Count: a.count("count"), Err: a.val("err")} },
		generate: func(g *model, t sim.Time) {
			host := g.pick(g.nodes)
			count := int64(1 + g.r.IntN(5))
			g.emit(t, NetDialError{Host: host, Count: count, Err: []string{"refused", "timeout"}[g.r.IntN(2)]})
		}})
)

// NetReset resets the newest live connection from From to To once Bytes
// more bytes from From have been delivered.
type NetReset struct {
	From, To string
	Bytes    int64
}

// Kind implements Fault.
func (f NetReset) Kind() string { return kindNetReset.Name }

// Args implements Fault.
func (f NetReset) Args() []string { return []string{f.From, f.To, keyInt("bytes", f.Bytes)} }

// Apply implements Fault.
func (f NetReset) Apply(x *Injector) error {
	net := x.t.Net()
	var conn netsim.ConnID
	for _, c := range net.Conns(f.From) {
		if net.Host(net.Peer(c)) == f.To {
			conn = c
		}
	}
	if conn == 0 {
		return fmt.Errorf("no live connection from %s to %s", f.From, f.To)
	}
	if err := net.ResetAfter(conn, f.Bytes); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.From, f.From+"->"+f.To+" #"+strconv.FormatUint(uint64(conn), 10)+" after "+strconv.FormatInt(f.Bytes, 10)+"B")
	return nil
}

// NetPartition cuts every link between groups A and B, both ways.
type NetPartition struct{ A, B []string }

// Kind implements Fault.
func (f NetPartition) Kind() string { return kindNetPartition.Name }

// Args implements Fault.
func (f NetPartition) Args() []string { return groupArgs(f.A, f.B) }

// Apply implements Fault.
func (f NetPartition) Apply(x *Injector) error {
	x.t.Net().Partition(f.A, f.B)
	x.t.Note(f.Kind(), "", fmt.Sprint(f.A, f.B))
	return nil
}

// NetOneWay cuts every link from group From to group To.
type NetOneWay struct{ From, To []string }

// Kind implements Fault.
func (f NetOneWay) Kind() string { return kindNetOneWay.Name }

// Args implements Fault.
func (f NetOneWay) Args() []string { return groupArgs(f.From, f.To) }

// Apply implements Fault.
func (f NetOneWay) Apply(x *Injector) error {
	x.t.Net().PartitionOneWay(f.From, f.To)
	x.t.Note(f.Kind(), "", fmt.Sprint(f.From, f.To))
	return nil
}

// NetHeal heals the cuts between groups A and B, or every cut if both are
// empty.
type NetHeal struct{ A, B []string }

// Kind implements Fault.
func (f NetHeal) Kind() string { return kindNetHeal.Name }

// Args implements Fault.
func (f NetHeal) Args() []string {
	if len(f.A) == 0 && len(f.B) == 0 {
		return nil
	}
	return groupArgs(f.A, f.B)
}

// Apply implements Fault.
func (f NetHeal) Apply(x *Injector) error {
	net := x.t.Net()
	if len(f.A) == 0 && len(f.B) == 0 {
		net.Heal()
	} else {
		for _, p := range f.A {
			for _, q := range f.B {
				net.HealPair(p, q)
			}
		}
	}
	x.t.NoteEnd(f.Kind(), "", strings.Join(f.Args(), " "))
	return nil
}

// NetBlackhole silently drops bytes from From to To for a while.
type NetBlackhole struct {
	From, To string
	For      sim.Time
}

// Kind implements Fault.
func (f NetBlackhole) Kind() string { return kindNetBlackhole.Name }

// Args implements Fault.
func (f NetBlackhole) Args() []string { return []string{f.From, f.To, secs("for", f.For)} }

// Apply implements Fault.
func (f NetBlackhole) Apply(x *Injector) error {
	net := x.t.Net()
	net.Blackhole(f.From, f.To, true)
	x.t.Note(f.Kind(), f.From, f.From+"->"+f.To)
	x.hold(f.Kind(), f.From, f.For, func() { net.Blackhole(f.From, f.To, false) })
	return nil
}

// NetLatency slows the link From->To to Base plus up to Jitter for a while.
type NetLatency struct {
	From, To          string
	Base, Jitter, For sim.Time
}

// Kind implements Fault.
func (f NetLatency) Kind() string { return kindNetLatency.Name }

// Args implements Fault.
func (f NetLatency) Args() []string {
	return []string{f.From, f.To, secs("base", f.Base), secs("jitter", f.Jitter), secs("for", f.For)}
}

// slowLink remembers a link's latency while net_latency faults slow it.
type slowLink struct {
	base, jitter sim.Time
	count        int
}

// Apply implements Fault.
func (f NetLatency) Apply(x *Injector) error {
	net := x.t.Net()
	key := [2]string{f.From, f.To}
	sl := x.slowLinks[key]
	if sl == nil {
		b, j := net.Latency(f.From, f.To)
		sl = &slowLink{base: b, jitter: j}
		x.slowLinks[key] = sl
	}
	if err := net.SetLatency(f.From, f.To, f.Base, f.Jitter); err != nil {
		return err
	}
	sl.count++
	x.t.Note(f.Kind(), f.From, f.From+"->"+f.To+" "+FormatSeconds(f.Base)+"+"+FormatSeconds(f.Jitter)+"s")
	x.hold(f.Kind(), f.From, f.For, func() {
		sl.count--
		if sl.count == 0 {
			delete(x.slowLinks, key)
			_ = net.SetLatency(f.From, f.To, sl.base, sl.jitter) // the values came from the link
		}
	})
	return nil
}

// NetDialError fails the next Count dials to Host with Err (refused or
// timeout).
type NetDialError struct {
	Host  string
	Count int64
	Err   string
}

// Kind implements Fault.
func (f NetDialError) Kind() string { return kindNetDialError.Name }

// Args implements Fault.
func (f NetDialError) Args() []string {
	return []string{f.Host, keyInt("count", f.Count), "err=" + f.Err}
}

// Apply implements Fault.
func (f NetDialError) Apply(x *Injector) error {
	err := netsim.ErrRefused
	if f.Err == "timeout" {
		err = netsim.ErrTimeout
	}
	if e := x.t.FailDials(f.Host, err, int(f.Count)); e != nil {
		return e
	}
	x.t.Note(f.Kind(), f.Host, f.Err+" x"+strconv.FormatInt(f.Count, 10))
	return nil
}
