package netsim

import (
	"fmt"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/require"
)

// rec is a Handler that records what a host hears.
type rec struct {
	w      *sim.World
	name   string
	events []string
	data   map[ConnID][]byte
	closed map[ConnID]error
	dialed map[ConnID]error
	accept []ConnID
	shared *[]string // if set, events also go here (global order)

	onData   func(c ConnID, p []byte)
	onAccept func(port int, c ConnID)
	onDialed func(c ConnID, err error)
}

func newRec(w *sim.World, name string) *rec {
	return &rec{w: w, name: name, data: map[ConnID][]byte{}, closed: map[ConnID]error{}, dialed: map[ConnID]error{}}
}

func (r *rec) log(format string, args ...any) {
	line := fmt.Sprintf("%s "+format, append([]any{r.name}, args...)...)
	r.events = append(r.events, line)
	if r.shared != nil {
		*r.shared = append(*r.shared, line)
	}
}

func (r *rec) OnAccept(port int, c ConnID) {
	r.log("accept %d #%d", port, c)
	r.accept = append(r.accept, c)
	if r.onAccept != nil {
		r.onAccept(port, c)
	}
}

func (r *rec) OnDialed(c ConnID, err error) {
	r.log("dialed #%d %v", c, err)
	r.dialed[c] = err
	if r.onDialed != nil {
		r.onDialed(c, err)
	}
}

func (r *rec) OnData(c ConnID, p []byte) {
	r.log("data #%d %q", c, p)
	r.data[c] = append(r.data[c], p...)
	if r.onData != nil {
		r.onData(c, p)
	}
}

func (r *rec) OnClosed(c ConnID, err error) {
	r.log("closed #%d %v", c, err)
	r.closed[c] = err
}

// fixture is a network with a client host "c" and a server host "s"
// listening on 6379.
type fixture struct {
	w      *sim.World
	n      *Network
	c, s   *rec
	all    []string // both hosts' events, in order
	faults []string
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	w := sim.NewWorld(1)
	w.Trace.Keep = true
	f := &fixture{w: w, n: New(w, cfg)}
	f.c, f.s = newRec(w, "c"), newRec(w, "s")
	f.c.shared, f.s.shared = &f.all, &f.all
	f.n.AddHost("c", f.c)
	f.n.AddHost("s", f.s)
	require.NoError(t, f.n.Listen("s", 6379))
	f.n.OnFault = func(kind, detail string) { f.faults = append(f.faults, kind+" "+detail) }
	return f
}

// quiet is a config without randomness in latency or segmenting.
func quiet() Config {
	c := DefaultConfig()
	c.MinLatency, c.MaxLatency, c.Jitter, c.SlowLinkProb, c.ChunkProb = sim.Millisecond, sim.Millisecond, 0, 0, 0
	return c
}

// connect dials s from c and runs until both ends are up.
func (f *fixture) connect(t *testing.T) (cc, sc ConnID) {
	t.Helper()
	cc = f.n.Dial("c", "s:6379")
	f.run(100 * sim.Millisecond)
	require.NoError(t, f.c.dialed[cc])
	require.Contains(t, f.c.dialed, cc)
	sc = f.n.Peer(cc)
	require.True(t, f.n.Alive(cc))
	require.True(t, f.n.Alive(sc))
	return cc, sc
}

func (f *fixture) run(d sim.Time) { f.w.RunUntil(f.w.Now()+d, nil) }
