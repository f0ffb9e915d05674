package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keepaliveRun runs master n1 with replica n2 at repl-ping-replica-period
// 2, crashes and restarts n1 half way, and returns what the keepalive
// check reads.
func keepaliveRun(t *testing.T, bugs ...string) checker.KeepaliveInput {
	h := New(sim.NewWorld(5), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{Bugs: bugs}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	_, err := h.Exec("n1", "CONFIG", "SET", "repl-ping-replica-period", "2")
	require.NoError(t, err)
	require.True(t, h.WaitConverged(20*sim.Second))
	h.RunFor(6 * sim.Second)
	require.NoError(t, h.Crash("n1", disksim.CrashKeepAll))
	require.NoError(t, h.Restart("n1"))
	_, err = h.Exec("n1", "CONFIG", "SET", "repl-ping-replica-period", "1")
	require.NoError(t, err)
	h.RunFor(8 * sim.Second)
	return h.KeepaliveInput()
}

// The recorder numbers each incarnation's replicationCron runs from 0,
// once a second, with the state they ran in; the master's PINGs fall in
// the runs Redis pings on.
func TestKeepaliveInputRecordsRuns(t *testing.T) {
	in := keepaliveRun(t)
	assert.Empty(t, checker.CheckKeepalivePings(in))
	var n1 []checker.KeepaliveRun
	for _, r := range in.Runs {
		if r.Node == "n1" {
			n1 = append(n1, r)
		}
	}
	require.NotEmpty(t, n1)
	restarts, pinged := 0, 0
	for i, r := range n1 {
		if i > 0 && r.Run == 0 {
			restarts++
			continue
		}
		if i > 0 {
			assert.Equal(t, n1[i-1].Run+1, r.Run)
			assert.InDelta(t, int64(sim.Second), r.At-n1[i-1].At, float64(sim.Millisecond), "once a second")
		}
		if r.Replicas > 0 && r.Run > 0 && r.Run%r.Period == 0 {
			pinged++
		}
	}
	assert.Equal(t, 1, restarts)
	assert.Greater(t, pinged, 5, "runs that pinged, at period 2 then 1")
}

// The planted bug pings one run late.
func TestKeepaliveCatchesPeriodOffByOne(t *testing.T) {
	v := checker.CheckKeepalivePings(keepaliveRun(t, node.BugPingPeriodOffByOne))
	require.NotEmpty(t, v)
	assert.Equal(t, checker.PropKeepalive, v[0].Check)
}

// A master in DEBUG SLEEP runs no serverCron; the tick that wakes it runs
// the events it held, then serverCron: if that is a replicationCron run,
// the run is partial. serverCron's count stands still while it sleeps, so
// of ten sleeps starting 100 ms apart, one wakes into such a run.
func TestKeepaliveBusyMasterRunIsPartial(t *testing.T) {
	partial := 0
	for i := range 10 {
		h := New(sim.NewWorld(7), Options{})
		require.NoError(t, h.Start("n1", NodeOptions{}))
		require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
		_, err := h.Exec("n1", "CONFIG", "SET", "repl-ping-replica-period", "1")
		require.NoError(t, err)
		require.True(t, h.WaitConverged(20*sim.Second))
		h.RunFor(2*sim.Second + sim.Time(i)*100*sim.Millisecond)
		_, err = h.Exec("n1", "DEBUG", "SLEEP", "2.5")
		require.NoError(t, err)
		h.RunFor(5 * sim.Second)
		in := h.KeepaliveInput()
		assert.Empty(t, checker.CheckKeepalivePings(in))
		gap, last := int64(0), int64(0)
		for _, r := range in.Runs {
			if r.Node != "n1" {
				continue
			}
			if r.Partial {
				partial++
			}
			if last != 0 {
				gap = max(gap, r.At-last)
			}
			last = r.At
		}
		assert.Greater(t, gap, int64(2*sim.Second), "no run while it slept")
	}
	assert.Equal(t, 1, partial)
}
