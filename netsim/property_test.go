package netsim

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// genConfig draws a valid configuration.
func genConfig(t *rapid.T) Config {
	c := DefaultConfig()
	c.MinLatency = rapid.Int64Range(0, int64(sim.Millisecond)).Draw(t, "minLat")
	c.MaxLatency = c.MinLatency + rapid.Int64Range(0, int64(5*sim.Millisecond)).Draw(t, "latSpan")
	c.Jitter = rapid.Int64Range(0, int64(sim.Millisecond)).Draw(t, "jitter")
	c.SlowLinkProb = rapid.Float64Range(0, 1).Draw(t, "slow")
	c.ChunkProb = rapid.Float64Range(0, 1).Draw(t, "chunk")
	c.MaxChunks = rapid.IntRange(2, 8).Draw(t, "maxChunks")
	c.ChunkGap = rapid.Int64Range(1, int64(sim.Millisecond)).Draw(t, "gap")
	if rapid.Bool().Draw(t, "limited") {
		c.Bandwidth = rapid.Int64Range(1000, 1e8).Draw(t, "bw")
	}
	return c
}

// scen is a cluster of hosts h0..h<k-1>, each listening on port 1, whose
// handlers record every byte and check that nothing crosses a cut.
type scen struct {
	t     *rapid.T
	w     *sim.World
	n     *Network
	hosts []string
	conns []ConnID          // every end that became established
	sent  map[ConnID][]byte // bytes passed to Send on an end
	got   map[ConnID][]byte // bytes delivered to an end
	bhAt  map[ConnID]int    // len(sent[c]) at the first Send while c's link was blackholed
	ended map[ConnID]error  // OnClosed and failed OnDialed outcomes
	opens map[ConnID]bool   // dialer ends that got OnDialed(nil)
}

type scenHost struct {
	s    *scen
	name string
}

func newScen(t *rapid.T, seed uint64, cfg Config, hosts int) *scen {
	w := sim.NewWorld(seed)
	s := &scen{t: t, w: w, n: New(w, cfg), sent: map[ConnID][]byte{}, got: map[ConnID][]byte{},
		bhAt: map[ConnID]int{}, ended: map[ConnID]error{}, opens: map[ConnID]bool{}}
	for i := range hosts {
		name := fmt.Sprintf("h%d", i)
		s.hosts = append(s.hosts, name)
		s.n.AddHost(name, &scenHost{s: s, name: name})
		if err := s.n.Listen(name, 1); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (h *scenHost) OnAccept(port int, c ConnID) { h.s.conns = append(h.s.conns, c) }

func (h *scenHost) OnDialed(c ConnID, err error) {
	if err == nil {
		h.s.conns = append(h.s.conns, c)
		h.s.opens[c] = true
		return
	}
	h.s.ended[c] = err
}

func (h *scenHost) OnData(c ConnID, p []byte) {
	s := h.s
	peer := s.n.Peer(c)
	l := s.n.link(s.n.Host(peer), h.name)
	if l.cut || l.blackhole {
		s.t.Fatalf("%d bytes crossed %s->%s while cut=%v blackhole=%v", len(p), l.from, l.to, l.cut, l.blackhole)
	}
	if !s.n.Alive(c) {
		s.t.Fatalf("data for #%d, which is not alive", c)
	}
	s.got[c] = append(s.got[c], p...)
}

func (h *scenHost) OnClosed(c ConnID, err error) {
	if l := h.s.n.link(h.s.n.Host(h.s.n.Peer(c)), h.name); err == ErrEOF && (l.cut || l.blackhole) {
		h.s.t.Fatalf("EOF for #%d crossed %s->%s while cut=%v blackhole=%v", c, l.from, l.to, l.cut, l.blackhole)
	}
	if _, dup := h.s.ended[c]; dup {
		h.s.t.Fatalf("#%d closed twice", c)
	}
	h.s.ended[c] = err
}

func (s *scen) send(c ConnID, p []byte) {
	if s.n.link(s.n.Host(c), s.n.Host(s.n.Peer(c))).blackhole {
		if _, ok := s.bhAt[c]; !ok {
			s.bhAt[c] = len(s.sent[c])
		}
	}
	s.sent[c] = append(s.sent[c], p...)
	s.n.Send(c, bytes.Clone(p))
}

func (s *scen) advance(d sim.Time) { s.w.RunUntil(s.w.Now()+d, nil) }

// checkPrefix asserts that every end received a prefix of what its peer
// sent, and no more than its peer sent before a blackhole first ate bytes.
func (s *scen) checkPrefix() {
	for _, c := range s.conns {
		p := s.n.Peer(c)
		got, sent := s.got[c], s.sent[p]
		if !bytes.HasPrefix(sent, got) {
			s.t.Fatalf("#%d got %q, not a prefix of what #%d sent %q", c, got, p, sent)
		}
		if at, ok := s.bhAt[p]; ok && len(got) > at {
			s.t.Fatalf("#%d got %d bytes, but #%d's bytes from offset %d were sent into a blackhole", c, len(got), p, at)
		}
	}
}

// TestPropStreamIntegrity: without faults other than short partitions,
// each direction delivers exactly the bytes sent, in order, once.
func TestPropStreamIntegrity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newScen(t, rapid.Uint64().Draw(t, "seed"), genConfig(t), 2)
		a := s.n.Dial("h0", "h1:1")
		s.advance(sim.Second)
		require.True(t, s.opens[a])
		b := s.n.Peer(a)
		cut := false
		for range rapid.IntRange(0, 60).Draw(t, "steps") {
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0, 1:
				s.send(a, rapid.SliceOfN(rapid.Byte(), 1, 300).Draw(t, "a->b"))
			case 2:
				s.send(b, rapid.SliceOfN(rapid.Byte(), 1, 300).Draw(t, "b->a"))
			case 3:
				if cut {
					s.n.Heal()
				} else {
					s.n.Partition([]string{"h0"}, []string{"h1"})
				}
				cut = !cut
			default:
				s.advance(rapid.Int64Range(0, int64(100*sim.Millisecond)).Draw(t, "dt"))
			}
		}
		s.n.Heal()
		s.advance(100 * sim.Second)
		require.Equal(t, string(s.sent[a]), string(s.got[b]))
		require.Equal(t, string(s.sent[b]), string(s.got[a]))
		require.True(t, s.n.Alive(a) && s.n.Alive(b))
		s.n.Close(a)
		s.advance(100 * sim.Second)
		require.ErrorIs(t, s.ended[b], ErrEOF)
		require.NotContains(t, s.ended, a)
	})
}

// runChaos drives a 3-host cluster through random dials, sends, closes and
// faults. Handlers check that nothing crosses a cut or blackhole.
func runChaos(t *rapid.T, s *scen, steps int) {
	pickHost := func(label string) string { return rapid.SampledFrom(s.hosts).Draw(t, label) }
	pickConn := func() (ConnID, bool) {
		if len(s.conns) == 0 {
			return 0, false
		}
		return rapid.SampledFrom(s.conns).Draw(t, "conn"), true
	}
	for _, a := range s.hosts {
		for _, b := range s.hosts {
			s.n.Dial(a, b+":1")
		}
	}
	s.advance(sim.Second)
	for range steps {
		switch rapid.IntRange(0, 13).Draw(t, "op") {
		case 0:
			s.n.Dial(pickHost("from"), pickHost("to")+":1")
		case 1, 2, 3:
			if c, ok := pickConn(); ok {
				for range rapid.IntRange(1, 5).Draw(t, "sends") {
					s.send(c, rapid.SliceOfN(rapid.Byte(), 1, 200).Draw(t, "data"))
				}
			}
		case 4:
			if c, ok := pickConn(); ok {
				s.n.Close(c)
			}
		case 5:
			if c, ok := pickConn(); ok {
				s.n.Reset(c)
			}
		case 6:
			s.n.Partition([]string{pickHost("a")}, []string{pickHost("b")})
		case 7:
			s.n.PartitionOneWay([]string{pickHost("a")}, []string{pickHost("b")})
		case 8:
			s.n.Heal()
		case 9:
			s.n.Blackhole(pickHost("a"), pickHost("b"), rapid.Bool().Draw(t, "on"))
		case 10:
			if c, ok := pickConn(); ok {
				require.NoError(t, s.n.ResetAfter(c, rapid.Int64Range(0, 300).Draw(t, "k")))
			}
		case 11:
			switch rapid.IntRange(0, 2).Draw(t, "reset") {
			case 0:
				s.n.ResetHost(pickHost("h"))
			case 1:
				s.n.ResetBetween(pickHost("a"), pickHost("b"))
			case 2:
				require.NoError(t, s.n.FailDials(pickHost("h"), rapid.SampledFrom([]error{ErrRefused, ErrTimeout}).Draw(t, "err"), 1))
			}
		default:
			s.advance(rapid.SampledFrom([]sim.Time{0, sim.Millisecond, 20 * sim.Millisecond, sim.Second, 10 * sim.Second}).Draw(t, "dt"))
		}
		s.checkPrefix()
	}
	s.advance(100 * sim.Second)
	s.checkPrefix()
}

// TestPropNothingCrossesCuts: under random faults, no byte is delivered
// across an active partition or blackhole, nothing sent into a blackhole
// ever arrives, and every end sees a prefix of its peer's stream.
func TestPropNothingCrossesCuts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newScen(t, rapid.Uint64().Draw(t, "seed"), genConfig(t), 3)
		runChaos(t, s, rapid.IntRange(10, 100).Draw(t, "steps"))
	})
}

// TestPropResetAfter: ResetAfter(c, k) lets exactly k more bytes through,
// then both ends get ErrReset; if fewer are sent the connection lives.
func TestPropResetAfter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newScen(t, rapid.Uint64().Draw(t, "seed"), genConfig(t), 2)
		a := s.n.Dial("h0", "h1:1")
		s.advance(sim.Second)
		b := s.n.Peer(a)
		pre := rapid.SliceOfN(rapid.Byte(), 0, 100).Draw(t, "pre")
		if len(pre) > 0 {
			s.send(a, pre)
		}
		s.advance(sim.Second)
		k := rapid.Int64Range(0, 500).Draw(t, "k")
		require.NoError(t, s.n.ResetAfter(a, k))
		var total int64
		for range rapid.IntRange(0, 10).Draw(t, "sends") {
			if s.n.Alive(a) {
				p := rapid.SliceOfN(rapid.Byte(), 1, 120).Draw(t, "p")
				s.send(a, p)
				total += int64(len(p))
			}
			if rapid.Bool().Draw(t, "reply") && s.n.Alive(b) {
				s.send(b, []byte("+OK\r\n"))
			}
			s.advance(rapid.Int64Range(0, int64(10*sim.Millisecond)).Draw(t, "dt"))
		}
		s.advance(10 * sim.Second)
		want := s.sent[a][:len(pre)+int(min(k, total))]
		require.Equal(t, string(want), string(s.got[b]))
		if total >= k {
			require.ErrorIs(t, s.ended[a], ErrReset)
			require.ErrorIs(t, s.ended[b], ErrReset)
		} else {
			require.True(t, s.n.Alive(a) && s.n.Alive(b))
		}
	})
}

// TestPropSameSeedSameTrace: a chaos run replays to the same trace hash.
func TestPropSameSeedSameTrace(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Uint64().Draw(t, "seed")
		cfg := genConfig(t)
		steps := rapid.IntRange(0, 60).Draw(t, "steps")
		// Record the first run's draws so the second run replays them.
		var ops []uint64
		run := func(replay bool) (string, uint64) {
			s := newScen(t, seed, cfg, 3)
			i := 0
			src := func() uint64 {
				if replay {
					v := ops[i]
					i++
					return v
				}
				v := rapid.Uint64().Draw(t, "op")
				ops = append(ops, v)
				return v
			}
			runScript(s, steps, src)
			return s.w.Trace.HashHex(), s.w.Trace.Count()
		}
		h1, n1 := run(false)
		h2, n2 := run(true)
		require.Equal(t, h1, h2)
		require.Equal(t, n1, n2)
	})
}

// runScript is runChaos driven by a plain number source, so a run can be
// replayed outside rapid's draw log.
func runScript(s *scen, steps int, next func() uint64) {
	pick := func(k int) int { return int(next() % uint64(k)) }
	host := func() string { return s.hosts[pick(len(s.hosts))] }
	conn := func() ConnID {
		if len(s.conns) == 0 {
			return 0
		}
		return s.conns[pick(len(s.conns))]
	}
	for range steps {
		switch pick(12) {
		case 0:
			s.n.Dial(host(), host()+":1")
		case 1, 2, 3:
			if c := conn(); c != 0 {
				s.send(c, bytes.Repeat([]byte{byte(next())}, 1+pick(200)))
			}
		case 4:
			s.n.Close(conn())
		case 5:
			s.n.Reset(conn())
		case 6:
			s.n.Partition([]string{host()}, []string{host()})
		case 7:
			s.n.PartitionOneWay([]string{host()}, []string{host()})
		case 8:
			s.n.Heal()
		case 9:
			s.n.Blackhole(host(), host(), pick(2) == 0)
		case 10:
			switch pick(3) {
			case 0:
				s.n.ResetHost(host())
			case 1:
				s.n.ResetBetween(host(), host())
			case 2:
				_ = s.n.ResetAfter(conn(), int64(pick(300)))
			}
		default:
			s.advance(int64(pick(int(2 * sim.Second))))
		}
	}
	s.advance(100 * sim.Second)
}
