package fault

import "github.com/replsim/replsim/sim"

// proc_signal, of the process family: SIGTERM (how systemd and Kubernetes
// stop Redis) or SIGINT (Ctrl+C) sent to a node. Redis 7.0.15's handler
// (server.c sigShutdownHandler) logs it and sets shutdown_asap; the next
// serverCron starts the shutdown with the flags of shutdown-on-sigterm or
// shutdown-on-sigint, which may wait for the replicas; a SIGINT while
// shutdown_asap is set exits at once ("You insist... exiting now.").

// signalNames are the signals as schedule tokens.
var signalNames = []string{"sigterm", "sigint"}

// kindSignalName is proc_signal's name, for its generator's streams.
const kindSignalName = "proc_signal"

var kindSignal = register(&Kind{Name: kindSignalName, Syntax: "NODE sigterm|sigint",
	Doc: "send SIGTERM or SIGINT to NODE: it logs it and shuts down from its next tick with the flags of shutdown-on-sigterm / " +
		"shutdown-on-sigint (waiting for its replicas, saving, fsyncing its AOF as they say), down until proc_restart or heal; " +
		"a SIGINT while a signal's shutdown is scheduled or waits exits at once, uncleanly (\"You insist... exiting now.\")",
	order: 29, swarm: 45, pos: []tokType{tNode, tSignal},
	build:    func(a args) Fault { return ProcSignal{Node: a.str(0), Signal: a.str(1)} },
	generate: genSignal})

// genSignal emits a signal to a live node (the master a third of the
// time) and, unless the heal comes first, its restart a while later.
// Sometimes a second SIGINT follows (Ctrl+C twice) while the first
// signal's shutdown may still be scheduled or wait for the replicas, and
// sometimes a client's SHUTDOWN ABORT, which cancels a requested signal's
// shutdown too (abortShutdown): the node then serves on and the restart is
// skipped. Its own streams.
func genSignal(g *model, t sim.Time) {
	r := g.own(kindSignalName)
	x := pickStopTarget(g, r)
	if x == "" {
		return
	}
	sig := signalNames[r.IntN(len(signalNames))]
	down := stopDowntime(r)
	g.emit(t, ProcSignal{Node: x, Signal: sig})
	if r.Chance(0.3) {
		// Before or after the next tick (100 ms at hz 10).
		d := sim.Time(r.Between(100, 400_000)) * sim.Microsecond
		if d < down && t+d < g.healAt {
			g.emit(t+d, ProcSignal{Node: x, Signal: "sigint"})
		}
	}
	if a := g.own(kindSignalName + "/abort"); a.Chance(0.2) {
		// Often before the next tick (the requested shutdown never
		// starts), else while it may wait for the replicas.
		d := sim.Time(a.Between(0, 80_000)) * sim.Microsecond
		if a.Chance(0.5) {
			d = sim.Time(a.Between(0, 1_500_000)) * sim.Microsecond
		}
		if d < down && t+d < g.healAt {
			g.emit(t+d, OpShutdownAbort{Node: x})
		}
	}
	g.up[x] = false
	delete(g.pausedTill, x)
	if t+down < g.healAt {
		g.emit(t+down, ProcRestart{Node: x})
		g.later(t+down, func() { g.up[x] = true })
	}
}

// ProcSignal sends Signal (sigterm or sigint) to Node.
type ProcSignal struct{ Node, Signal string }

// Kind implements Fault.
func (f ProcSignal) Kind() string { return kindSignal.Name }

// Args implements Fault.
func (f ProcSignal) Args() []string { return []string{f.Node, f.Signal} }

// Apply implements Fault.
func (f ProcSignal) Apply(x *Injector) error { return x.t.Signal(f.Node, f.Signal == "sigint") }
