package fault

import (
	"fmt"

	"github.com/replsim/replsim/sim"
)

// The operator family: what a person or a failover tool does to the
// cluster — promote a replica, re-point or demote a node, add a replica;
// op_config.go changes a parameter, op_admin.go runs the persistence
// commands and SHUTDOWN.

var (
	kindPromote = register(&Kind{Name: "op_promote", Syntax: "NODE",
		Doc:   "SLAVEOF NO ONE on NODE; every other node and client follows it",
		order: 17, swarm: 15, pos: []tokType{tNode},
		build: func(a args) Fault { return OpPromote{Node: a.str(0)} },
		generate: func(g *model, t sim.Time) {
			if x := g.pick(g.upReplicas()); x != "" {
				g.emit(t, OpPromote{Node: x})
				g.promote(x)
			}
		}})
	kindRepoint = register(&Kind{Name: "op_repoint", Syntax: "NODE TARGET",
		Doc:   "SLAVEOF TARGET on the replica NODE",
		order: 18, swarm: 16, pos: []tokType{tNode, tNode},
		build: func(a args) Fault { return OpRepoint{Node: a.str(0), Target: a.str(1)} },
		generate: func(g *model, t sim.Time) {
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
				g.emit(t, OpRepoint{Node: x, Target: y})
				g.upstream[x] = y
			}
		}})
	kindDemote = register(&Kind{Name: "op_demote", Syntax: "MASTER TARGET",
		Doc:   "SLAVEOF TARGET on the master: no node takes writes until TARGET is promoted",
		order: 19, swarm: 17, pos: []tokType{tNode, tNode},
		build: func(a args) Fault { return OpDemote{Master: a.str(0), Target: a.str(1)} },
		generate: func(g *model, t sim.Time) {
			m := g.master
			x := g.pick(g.upReplicas())
			if !g.live(m) || x == "" || g.upstream[m] != "" {
				return
			}
			g.emit(t, OpDemote{Master: m, Target: x})
			g.upstream[m] = x
			pt := t + g.until(t, g.between(10*sim.Millisecond, 800*sim.Millisecond))
			g.emit(pt, OpPromote{Node: x})
			g.later(pt, func() { g.promote(x) })
		}})
	kindAddReplica = register(&Kind{Name: "op_add_replica", Syntax: "NEWNODE",
		Doc:   "start a new empty node that replicates from the current master",
		order: 20, swarm: 18, pos: []tokType{tNewNode},
		build: func(a args) Fault { return OpAddReplica{Node: a.str(0)} },
		generate: func(g *model, t sim.Time) {
			if len(g.added) >= maxAddedNode {
				return
			}
			name := "n" + itoa(len(g.nodes)+1)
			g.emit(t, OpAddReplica{Node: name})
			g.nodes = append(g.nodes, name)
			g.added = append(g.added, name)
			g.up[name] = true
			g.upstream[name] = g.master
		}})
)

// OpPromote runs SLAVEOF NO ONE on Node; every other node and every client
// follows it.
type OpPromote struct{ Node string }

// Kind implements Fault.
func (f OpPromote) Kind() string { return kindPromote.Name }

// Args implements Fault.
func (f OpPromote) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpPromote) Apply(x *Injector) error {
	if err := x.t.LiveNode(f.Node); err != nil {
		return err
	}
	if x.t.IsMaster(f.Node) {
		return fmt.Errorf("%s is the master already", f.Node)
	}
	return x.t.Promote(f.Node)
}

// OpRepoint runs SLAVEOF Target on the replica Node.
type OpRepoint struct{ Node, Target string }

// Kind implements Fault.
func (f OpRepoint) Kind() string { return kindRepoint.Name }

// Args implements Fault.
func (f OpRepoint) Args() []string { return []string{f.Node, f.Target} }

// Apply implements Fault.
func (f OpRepoint) Apply(x *Injector) error { return x.t.Repoint(f.Node, f.Target) }

// OpDemote runs SLAVEOF Target on the master: no node takes writes until
// Target is promoted.
type OpDemote struct{ Master, Target string }

// Kind implements Fault.
func (f OpDemote) Kind() string { return kindDemote.Name }

// Args implements Fault.
func (f OpDemote) Args() []string { return []string{f.Master, f.Target} }

// Apply implements Fault.
func (f OpDemote) Apply(x *Injector) error { return x.t.Demote(f.Master, f.Target) }

// OpAddReplica starts a new empty node, Node, replicating from the master.
type OpAddReplica struct{ Node string }

// Kind implements Fault.
func (f OpAddReplica) Kind() string { return kindAddReplica.Name }

// Args implements Fault.
func (f OpAddReplica) Args() []string { return []string{f.Node} }

// Apply implements Fault.
func (f OpAddReplica) Apply(x *Injector) error { return x.t.AddReplica(f.Node) }
