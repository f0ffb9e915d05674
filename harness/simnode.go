package harness

import (
	"fmt"
	"strconv"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/vfs"
	"github.com/replsim/replsim/sim"
)

// epochNs is the wall-clock time at virtual time zero: 2026-01-01T00:00:00Z.
const epochNs int64 = 1767225600 * int64(sim.Second)

// tickInterval is serverCron's period at hz 10.
const tickInterval = 100 * sim.Millisecond

// simNode hosts one node in the simulation: it is the node's Env and the
// network handler of its host.
type simNode struct {
	h     *Harness
	name  string
	port  int
	node  *node.Node
	cfg   node.Config
	fs    *disksim.FS
	rng   *sim.Rand
	clock int64 // offset of this node's clock from virtual time, ns
	up    bool
	// gen counts process incarnations; events of an older one are ignored.
	gen int
}

// nodeTick drives serverCron for one incarnation of a node.
type nodeTick struct {
	s   *simNode
	gen int
}

func (t *nodeTick) Fire(w *sim.World) {
	s := t.s
	if !s.up || s.gen != t.gen {
		return
	}
	w.Log().S(s.name).S(" tick").End()
	s.node.Tick()
	w.After(tickInterval, t)
}

func (h *Harness) addNode(name string, cfg node.Config) *simNode {
	s := &simNode{h: h, name: name, port: cfg.Port, cfg: cfg, rng: h.w.Rand("node/" + name)}
	s.fs = disksim.New(h.w.Rand("disk/" + name))
	s.node = node.New(cfg, s)
	s.up = true
	h.net.AddHost(name, s)
	if err := h.net.Listen(name, cfg.Port); err != nil {
		panic(err) // host names are ours; a clash is a harness bug
	}
	h.w.After(sim.Time(s.rng.Int64N(int64(tickInterval))), &nodeTick{s: s})
	h.nodes = append(h.nodes, s)
	return s
}

func (s *simNode) addr() string { return s.name + ":" + strconv.Itoa(s.port) }

// Now implements node.Env.
func (s *simNode) Now() int64 { return epochNs + s.h.w.Now() + s.clock }

// Rand implements node.Env.
func (s *simNode) Rand() uint64 { return s.rng.Uint64() }

// Dial implements node.Env.
func (s *simNode) Dial(addr string) node.ConnID {
	return node.ConnID(s.h.net.Dial(s.name, addr))
}

// Send implements node.Env.
func (s *simNode) Send(c node.ConnID, p []byte) { s.h.net.Send(netsim.ConnID(c), p) }

// Close implements node.Env.
func (s *simNode) Close(c node.ConnID) { s.h.net.Close(netsim.ConnID(c)) }

// FS implements node.Env.
func (s *simNode) FS() vfs.FS { return s.fs }

// Background implements node.Env: the job runs when it completes, a few
// virtual milliseconds later, on data the node captured at the start.
func (s *simNode) Background(id uint64, run func(fs vfs.FS) error) {
	delay := sim.Millisecond + sim.Time(s.rng.Int64N(int64(20*sim.Millisecond)))
	gen := s.gen
	s.h.w.After(delay, sim.EventFunc(func(w *sim.World) {
		if !s.up || s.gen != gen {
			return // the process that started the job is gone
		}
		err := run(s.fs)
		l := w.Log().S(s.name).S(" job ").U(id).S(" done")
		if err != nil {
			l.S(": ").S(err.Error())
		}
		l.End()
		s.node.OnJobDone(id, err)
	}))
}

// Logf implements node.Env: node log lines go into the trace.
func (s *simNode) Logf(format string, args ...any) {
	s.h.w.Log().S(s.name).S(" log: ").S(fmt.Sprintf(format, args...)).End()
}

// OnAccept implements netsim.Handler.
func (s *simNode) OnAccept(port int, c netsim.ConnID) {
	peer := s.h.net.Peer(c)
	s.node.OnAccept(node.ConnID(c), s.h.net.Host(peer)+":"+strconv.FormatUint(uint64(peer), 10))
}

// OnDialed implements netsim.Handler.
func (s *simNode) OnDialed(c netsim.ConnID, err error) { s.node.OnDialed(node.ConnID(c), err) }

// OnData implements netsim.Handler.
func (s *simNode) OnData(c netsim.ConnID, p []byte) { s.node.OnData(node.ConnID(c), p) }

// OnClosed implements netsim.Handler.
func (s *simNode) OnClosed(c netsim.ConnID, err error) { s.node.OnClosed(node.ConnID(c), err) }
