package fault

import "github.com/replsim/replsim/sim"

// The auth family: a replica given a wrong masterauth, and a master's
// requirepass changed under its clients and replicas.

var (
	kindWrongMasterAuth = register(&Kind{Name: "auth_wrong_masterauth", Syntax: "NODE for=D",
		Doc:   "CONFIG SET masterauth to a wrong password on NODE and drop its master link; fixed after D seconds",
		order: 14, swarm: 12, pos: []tokType{tNode}, keys: []keyArg{{key: "for", typ: vDur}},
		build: func(a args) Fault { return AuthWrongMasterAuth{Node: a.str(0), For: a.dur("for")} },
		generate: func(g *model, t sim.Time) {
			if x := g.pick(g.upReplicas()); x != "" {
				g.emit(t, AuthWrongMasterAuth{Node: x, For: g.dur(t, 200*sim.Millisecond, 3*sim.Second)})
			}
		}})
	kindRequirePass = register(&Kind{Name: "auth_requirepass_change", Syntax: "NODE pass=WORD for=D",
		Doc:   "CONFIG SET requirepass WORD on NODE; after D seconds every node and client follows",
		order: 15, swarm: 13, pos: []tokType{tNode}, keys: []keyArg{{key: "pass", typ: vWord}, {key: "for", typ: vDur}},
		build: func(a args) Fault {
			return AuthRequirePassChange{Node: a.str(0), Pass: a.val("pass"), For: a.dur("for")}
		},
		generate: func(g *model, t sim.Time) {
			if g.live(g.master) {
				pass := "pw" + itoa(g.r.IntN(1000000))
				g.emit(t, AuthRequirePassChange{Node: g.master, Pass: pass, For: g.dur(t, 200*sim.Millisecond, 3*sim.Second)})
			}
		}})
)

// AuthWrongMasterAuth gives the replica Node a wrong masterauth and drops
// its master link, so that it has to use it; the right one is back after
// For.
type AuthWrongMasterAuth struct {
	Node string
	For  sim.Time
}

// Kind implements Fault.
func (f AuthWrongMasterAuth) Kind() string { return kindWrongMasterAuth.Name }

// Args implements Fault.
func (f AuthWrongMasterAuth) Args() []string { return []string{f.Node, secs("for", f.For)} }

// Apply implements Fault.
func (f AuthWrongMasterAuth) Apply(x *Injector) error {
	detail, restore, err := x.t.WrongMasterAuth(f.Node)
	if err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, detail)
	x.hold(f.Kind(), f.Node, f.For, restore)
	return nil
}

// AuthRequirePassChange sets requirepass Pass on Node; after For every
// node and client follows it.
type AuthRequirePassChange struct {
	Node, Pass string
	For        sim.Time
}

// Kind implements Fault.
func (f AuthRequirePassChange) Kind() string { return kindRequirePass.Name }

// Args implements Fault.
func (f AuthRequirePassChange) Args() []string {
	return []string{f.Node, "pass=" + f.Pass, secs("for", f.For)}
}

// Apply implements Fault.
func (f AuthRequirePassChange) Apply(x *Injector) error {
	if err := x.t.RequirePass(f.Node, f.Pass); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, "")
	x.hold(f.Kind(), f.Node, f.For, func() { x.t.FollowPass(f.Pass) })
	return nil
}
