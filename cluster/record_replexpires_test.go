package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A writable replica in DEBUG SLEEP runs no serverCron, so no expire
// cycle drops the name of its own key that expired meanwhile: a tick in
// the sleep is no read after a cycle (seed 6728 read
// slave_expires_tracked_keys:1 there, with no TTL left to come). The
// tick that wakes it runs the cycle, which drops the name.
func TestReplicaExpiresNotSampledInDebugSleep(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	require.True(t, h.WaitConverged(20*sim.Second))
	_, err := h.Exec("n2", "CONFIG", "SET", "replica-read-only", "no")
	require.NoError(t, err)
	_, err = h.Exec("n2", "SET", "k", "v", "PX", "50")
	require.NoError(t, err)
	_, err = h.Exec("n2", "DEBUG", "SLEEP", "0.5")
	require.NoError(t, err)
	h.RunFor(sim.Second)

	in := h.ReplicaExpiresInput(nil)
	assert.Empty(t, checker.CheckReplicaExpires(in))
	for _, s := range in.Samples {
		if s.Node == "n2" && !s.FullSync {
			assert.NotZero(t, s.Volatile, "a read after a cycle, at %d", s.At)
		}
	}
	info, err := h.Exec("n2", "INFO", "stats")
	require.NoError(t, err)
	assert.Contains(t, info.String(), "slave_expires_tracked_keys:0")
}
