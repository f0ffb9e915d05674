package netsim

import (
	"errors"
	"strings"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDialAcceptDataClose(t *testing.T) {
	f := newFixture(t, quiet())
	cc := f.n.Dial("c", "s:6379")
	require.NotZero(t, cc)
	sc := f.n.Peer(cc)
	assert.NotEqual(t, cc, sc)
	assert.Equal(t, cc, f.n.Peer(sc))
	assert.Equal(t, "c", f.n.Host(cc))
	assert.Equal(t, "s", f.n.Host(sc))
	assert.False(t, f.n.Alive(cc), "not established before the handshake")

	f.run(10 * sim.Millisecond)
	assert.Equal(t, []string{"s accept 6379 #2", "c dialed #1 <nil>"}, f.all, "accept comes before the dialer learns success")
	assert.Equal(t, []ConnID{cc}, f.n.Conns("c"))
	assert.Equal(t, []ConnID{sc}, f.n.Conns("s"))

	f.n.Send(cc, []byte("hello "))
	f.n.Send(cc, []byte("world"))
	f.n.Send(sc, []byte("+OK\r\n"))
	f.n.Close(cc)
	assert.False(t, f.n.Alive(cc))
	f.n.Send(cc, []byte("after close")) // no-op
	f.run(10 * sim.Millisecond)

	assert.Equal(t, "hello world", string(f.s.data[sc]))
	assert.Empty(t, f.c.data[cc], "the closing end hears nothing more")
	assert.ErrorIs(t, f.s.closed[sc], ErrEOF)
	assert.NotContains(t, f.c.closed, cc, "the closing end gets no callback")
	assert.Equal(t, "s closed #2 netsim: connection closed by peer", f.all[len(f.all)-1], "EOF after all data")
	assert.Empty(t, f.n.Conns("c"))
	assert.Empty(t, f.n.Conns("s"))
}

func TestSendBeforeDialedFlowsAfterHandshake(t *testing.T) {
	f := newFixture(t, quiet())
	cc := f.n.Dial("c", "s:6379")
	f.n.Send(cc, []byte("PING\r\n"))
	f.run(10 * sim.Millisecond)
	assert.Equal(t, "PING\r\n", string(f.s.data[f.n.Peer(cc)]))
}

func TestCloseWhileDialingDeliversEOFAfterAccept(t *testing.T) {
	f := newFixture(t, quiet())
	cc := f.n.Dial("c", "s:6379")
	f.run(sim.Millisecond) // SYN arrived, SYN-ACK on its way
	require.Len(t, f.s.accept, 1)
	f.n.Send(cc, []byte("x"))
	f.n.Close(cc)
	f.run(10 * sim.Millisecond)
	sc := f.n.Peer(cc)
	assert.Equal(t, "x", string(f.s.data[sc]))
	assert.ErrorIs(t, f.s.closed[sc], ErrEOF)
	assert.NotContains(t, f.c.dialed, cc)
}

func TestRefused(t *testing.T) {
	f := newFixture(t, quiet())
	noListener := f.n.Dial("c", "s:1")
	noHost := f.n.Dial("c", "nowhere:6379")
	badAddr := f.n.Dial("c", "s:notaport")
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[noListener], ErrRefused)
	assert.ErrorIs(t, f.c.dialed[noHost], ErrRefused)
	assert.ErrorIs(t, f.c.dialed[badAddr], ErrRefused)
	assert.Contains(t, f.c.dialed[badAddr].Error(), `"s:notaport"`)
	assert.Empty(t, f.s.accept)
	assert.Contains(t, strings.Join(f.w.Trace.Lines(), "\n"), "net refused c->s:1 #1")
	assert.False(t, f.n.Alive(noListener))
	assert.Zero(t, f.n.Dial("ghost", "s:6379"), "dial from an unknown host")
}

func TestNilHandlerRefuses(t *testing.T) {
	f := newFixture(t, quiet())
	f.n.SetHandler("s", nil)
	cc := f.n.Dial("c", "s:6379")
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[cc], ErrRefused)
}

func TestUnlisten(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.Unlisten("s", 6379)
	d := f.n.Dial("c", "s:6379")
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[d], ErrRefused)
	assert.True(t, f.n.Alive(cc) && f.n.Alive(sc), "established connections stay")
}

func TestListenErrors(t *testing.T) {
	f := newFixture(t, quiet())
	assert.ErrorContains(t, f.n.Listen("s", 6379), "already in use")
	assert.ErrorContains(t, f.n.Listen("ghost", 1), `unknown host "ghost"`)
	assert.ErrorContains(t, f.n.Listen("s", 0), "port out of range")
	assert.ErrorContains(t, f.n.Listen("s", 70000), "port out of range")
}

func TestReset(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.Send(cc, []byte("in flight"))
	f.n.Reset(cc)
	assert.False(t, f.n.Alive(cc))
	f.run(10 * sim.Millisecond)
	assert.Empty(t, f.s.data[sc], "data in flight is dropped")
	assert.ErrorIs(t, f.c.closed[cc], ErrReset)
	assert.ErrorIs(t, f.s.closed[sc], ErrReset)
	assert.Equal(t, []string{"net_reset #1/#2 c->s"}, f.faults)
	f.n.Reset(cc) // no-op
	f.n.Send(sc, []byte("x"))
	f.run(10 * sim.Millisecond)
	assert.Len(t, f.all, 4)
}

func TestResetBetweenAndHost(t *testing.T) {
	f := newFixture(t, quiet())
	c1, s1 := f.connect(t)
	c2, s2 := f.connect(t)
	assert.Equal(t, 2, f.n.ResetBetween("s", "c"))
	assert.Equal(t, 0, f.n.ResetBetween("s", "c"))
	f.run(10 * sim.Millisecond)
	for _, c := range []ConnID{c1, c2} {
		assert.ErrorIs(t, f.c.closed[c], ErrReset)
	}
	for _, c := range []ConnID{s1, s2} {
		assert.ErrorIs(t, f.s.closed[c], ErrReset)
	}

	c3, s3 := f.connect(t)
	assert.Equal(t, 1, f.n.ResetHost("s"))
	assert.Empty(t, f.n.Conns("s"))
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.closed[c3], ErrReset)
	assert.NotContains(t, f.s.closed, s3, "the crashed host hears nothing")
}

func TestResetHostAcrossPartitionWaitsForHeal(t *testing.T) {
	f := newFixture(t, quiet())
	cc, _ := f.connect(t)
	f.n.Partition([]string{"s"}, []string{"c"})
	f.n.ResetHost("s")
	f.run(sim.Second)
	assert.True(t, f.n.Alive(cc), "the RST cannot cross the partition")
	f.n.Heal()
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.closed[cc], ErrReset)
}

func TestPartitionHoldsThenDelivers(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.Partition([]string{"c"}, []string{"s"})
	f.n.Send(cc, []byte("held"))
	f.run(sim.Second)
	assert.Empty(t, f.s.data[sc])
	f.n.Heal()
	f.run(10 * sim.Millisecond)
	assert.Equal(t, "held", string(f.s.data[sc]))
	assert.True(t, f.n.Alive(cc))
	assert.Equal(t, []string{"net_partition c|s"}, f.faults)
}

func TestPartitionGiveUpResets(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.PartitionOneWay([]string{"c"}, []string{"s"})
	f.n.Send(cc, []byte("held"))
	f.run(f.n.Config().GiveUp + sim.Second)
	assert.ErrorIs(t, f.c.closed[cc], ErrReset)
	assert.ErrorIs(t, f.s.closed[sc], ErrReset)
	assert.Empty(t, f.s.data[sc])
	assert.Contains(t, f.faults, "net_reset #1/#2 c->s giveup")
}

func TestIdleConnectionSurvivesPartition(t *testing.T) {
	f := newFixture(t, quiet())
	cc, _ := f.connect(t)
	f.n.Partition([]string{"c"}, []string{"s"})
	f.run(time100s)
	f.n.HealPair("s", "c")
	assert.True(t, f.n.Alive(cc))
}

const time100s = 100 * sim.Second

func TestDialAcrossPartitionTimesOut(t *testing.T) {
	f := newFixture(t, quiet())
	f.n.PartitionOneWay([]string{"s"}, []string{"c"}) // only the SYN-ACK direction
	cc := f.n.Dial("c", "s:6379")
	f.run(f.n.Config().DialTimeout - sim.Millisecond)
	assert.NotContains(t, f.c.dialed, cc)
	f.run(2 * sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[cc], ErrTimeout)
	assert.Empty(t, f.s.accept)
}

func TestBlackhole(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.Send(cc, []byte("before "))
	f.run(10 * sim.Millisecond)
	f.n.Blackhole("c", "s", true)
	f.n.Send(cc, []byte("lost"))
	f.n.Send(sc, []byte("back"))
	f.run(10 * sim.Millisecond)
	f.n.Blackhole("c", "s", false)
	f.n.Send(cc, []byte("after"))
	f.run(10 * sim.Millisecond)
	assert.Equal(t, "before ", string(f.s.data[sc]), "a stalled pipe never shows a gap")
	assert.Equal(t, "back", string(f.c.data[cc]), "the other direction works")
	assert.True(t, f.n.Alive(cc) && f.n.Alive(sc))
	assert.Equal(t, []string{"net_blackhole c->s"}, f.faults)

	d := f.n.Dial("c", "s:6379") // a fresh connection works
	f.run(10 * sim.Millisecond)
	assert.NoError(t, f.c.dialed[d])
}

func TestBlackholeDropsInFlight(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	f.n.Send(cc, []byte("in flight"))
	f.n.Blackhole("c", "s", true)
	f.run(10 * sim.Millisecond)
	assert.Empty(t, f.s.data[sc])
	assert.Contains(t, f.w.Trace.Lines()[len(f.w.Trace.Lines())-1], "net drop #1->#2 9B")
}

func TestResetAfter(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.ResetAfter(cc, 7))
	f.n.Send(cc, []byte("*1\r\n$4\r\nPING\r\n"))
	f.run(10 * sim.Millisecond)
	assert.Equal(t, "*1\r\n$4\r", string(f.s.data[sc]))
	assert.ErrorIs(t, f.s.closed[sc], ErrReset)
	assert.ErrorIs(t, f.c.closed[cc], ErrReset)
	assert.ErrorContains(t, f.n.ResetAfter(cc, -1), "negative")
	assert.ErrorContains(t, f.n.ResetAfter(99, 1), "unknown connection")
}

// The heal disarms a ResetAfter budget not yet spent: faults stop.
func TestHealAllDisarmsResetAfter(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.ResetAfter(cc, 7))
	f.n.HealAll()
	f.n.Send(cc, []byte("*1\r\n$4\r\nPING\r\n"))
	f.run(10 * sim.Millisecond)
	assert.Equal(t, "*1\r\n$4\r\nPING\r\n", string(f.s.data[sc]))
	assert.True(t, f.n.Alive(cc) && f.n.Alive(sc))
}

func TestResetAfterZero(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.ResetAfter(cc, 0))
	f.n.Send(cc, []byte("x"))
	f.run(10 * sim.Millisecond)
	assert.Empty(t, f.s.data[sc])
	assert.ErrorIs(t, f.s.closed[sc], ErrReset)
}

func TestFailDials(t *testing.T) {
	f := newFixture(t, quiet())
	require.NoError(t, f.n.FailDials("s", ErrRefused, 1))
	a := f.n.Dial("c", "s:6379")
	b := f.n.Dial("c", "s:6379")
	f.run(10 * sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[a], ErrRefused)
	assert.NoError(t, f.c.dialed[b])

	require.NoError(t, f.n.FailDials("s", ErrTimeout, 1))
	d := f.n.Dial("c", "s:6379")
	f.run(f.n.Config().DialTimeout + sim.Millisecond)
	assert.ErrorIs(t, f.c.dialed[d], ErrTimeout)
	assert.Equal(t, []string{"net_dial_error c->s:6379 refused", "net_dial_error c->s:6379 timeout"}, f.faults)

	assert.ErrorContains(t, f.n.FailDials("s", ErrReset, 1), "neither ErrRefused nor ErrTimeout")
	assert.ErrorContains(t, f.n.FailDials("s", ErrRefused, -1), "negative")
}

func TestLatencyAndBandwidth(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.SetLatency("c", "s", 3*sim.Millisecond, 0))
	var at []sim.Time
	f.s.onData = func(ConnID, []byte) { at = append(at, f.w.Now()) }
	start := f.w.Now()
	f.n.Send(cc, []byte("x"))
	f.run(sim.Second)
	require.Len(t, at, 1)
	assert.Equal(t, 3*sim.Millisecond, at[0]-start)

	require.NoError(t, f.n.SetBandwidth("c", "s", 1000)) // 1 kB/s
	at = nil
	start = f.w.Now()
	f.n.Send(cc, make([]byte, 500))
	f.n.Send(cc, make([]byte, 500))
	f.run(2 * sim.Second)
	require.Len(t, at, 2)
	assert.Equal(t, []sim.Time{500*sim.Millisecond + 3*sim.Millisecond, sim.Second + 3*sim.Millisecond}, []sim.Time{at[0] - start, at[1] - start})
	assert.Len(t, f.s.data[sc], 1001)
	assert.ErrorContains(t, f.n.SetLatency("c", "s", -1, 0), "negative")
	assert.ErrorContains(t, f.n.SetBandwidth("c", "s", -1), "negative")
	assert.Equal(t, []string{"net_latency c->s 3000000+0", "net_latency c->s bandwidth 1000"}, f.faults)
}

func TestChunkingSplitsInOrder(t *testing.T) {
	cfg := quiet()
	cfg.ChunkProb = 1
	f := newFixture(t, cfg)
	cc, sc := f.connect(t)
	var last sim.Time
	calls := 0
	f.s.onData = func(ConnID, []byte) {
		assert.GreaterOrEqual(t, f.w.Now(), last)
		last = f.w.Now()
		calls++
	}
	f.n.Send(cc, []byte("0123456789abcdef"))
	f.run(sim.Second)
	assert.Equal(t, "0123456789abcdef", string(f.s.data[sc]))
	assert.GreaterOrEqual(t, calls, 2)
}

func TestTraceLines(t *testing.T) {
	f := newFixture(t, quiet())
	cc, _ := f.connect(t)
	f.n.Send(cc, []byte("abc"))
	f.n.Close(cc)
	f.run(10 * sim.Millisecond)
	assert.Equal(t, []string{
		"0.000000 net dial c->s:6379 #1/#2",
		"0.001000 net accept c->s:6379 #1/#2",
		"0.002000 net established #1/#2",
		"0.100000 net close #1",
		"0.101000 net data #1->#2 3B",
		"0.101000 net eof #1->#2",
	}, f.w.Trace.Lines())
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
	c := DefaultConfig()
	c.MaxLatency = c.MinLatency - 1
	assert.ErrorContains(t, c.Validate(), "MaxLatency")
	c = DefaultConfig()
	c.ChunkProb = 2
	assert.ErrorContains(t, c.Validate(), "ChunkProb")
	c = DefaultConfig()
	c.MaxChunks = 1
	assert.ErrorContains(t, c.Validate(), "MaxChunks")
	assert.NoError(t, New(sim.NewWorld(1), Config{}).Config().Validate(), "New clamps")
}

func TestErrorsDistinct(t *testing.T) {
	errs := []error{ErrRefused, ErrReset, ErrTimeout, ErrEOF}
	for i, a := range errs {
		for j, b := range errs {
			assert.Equal(t, i == j, errors.Is(a, b))
		}
	}
}

func TestCrashVoidsPendingNotices(t *testing.T) {
	f := newFixture(t, quiet())
	_, sc := f.connect(t)
	f.n.Reset(sc) // notices to both ends are queued
	f.n.ResetHost("s")
	fresh := newRec(f.w, "s2")
	f.n.SetHandler("s", fresh) // restarted process
	f.run(10 * sim.Millisecond)
	assert.Empty(t, fresh.events, "the new process hears nothing of the old one's connections")
	assert.Empty(t, f.s.events[1:], "nor does the crashed one")
}
