package netsim

import (
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnsentCountsUndeliveredBytes(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.SetBandwidth("c", "s", 1000)) // 1 byte per ms
	f.n.Send(cc, make([]byte, 100))
	f.n.Send(cc, make([]byte, 50))
	assert.EqualValues(t, 150, f.n.Unsent(cc))
	assert.Zero(t, f.n.Unsent(sc), "the peer sent nothing")
	f.run(102 * sim.Millisecond) // the first 100 bytes: 100 ms on the wire and 1 ms latency
	assert.EqualValues(t, 50, f.n.Unsent(cc))
	f.run(100 * sim.Millisecond)
	assert.Zero(t, f.n.Unsent(cc))
	assert.Len(t, f.s.data[sc], 150)
	assert.Zero(t, f.n.Unsent(ConnID(999)), "an unknown connection")
}

func TestUnsentCountsBytesHeldBehindACut(t *testing.T) {
	f := newFixture(t, quiet())
	cc, _ := f.connect(t)
	f.n.Partition([]string{"c"}, []string{"s"})
	f.n.Send(cc, make([]byte, 64))
	f.run(10 * sim.Millisecond)
	assert.EqualValues(t, 64, f.n.Unsent(cc))
}

func TestAbortDropsOutputWithoutAFault(t *testing.T) {
	f := newFixture(t, quiet())
	cc, sc := f.connect(t)
	require.NoError(t, f.n.SetBandwidth("s", "c", 1000))
	f.n.Send(sc, make([]byte, 500))
	f.n.Abort(sc)
	assert.False(t, f.n.Alive(sc))
	assert.Zero(t, f.n.Unsent(sc))
	f.run(sim.Second)
	assert.Empty(t, f.c.data[cc], "the queued output is dropped")
	assert.ErrorIs(t, f.c.closed[cc], ErrReset, "the peer sees a reset")
	assert.NotContains(t, f.s.closed, sc, "the aborting end hears nothing")
	assert.Equal(t, []string{"net_latency s->c bandwidth 1000"}, f.faults, "an abort is not a fault")
	f.n.Abort(sc) // no-op
}
