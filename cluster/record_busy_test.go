package cluster

import (
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An operator's step on a node in DEBUG SLEEP is skipped, as on a paused
// node, rather than run in the middle of the sleep (seeds 367, 503 and
// 649 ran SHUTDOWN there); once the sleep is over it runs. The heal's
// commands (Exec) are not skipped: refusing them left replicas unhealed.
func TestOperatorWaitsOutDebugSleep(t *testing.T) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	v, err := h.Exec("n1", "DEBUG", "SLEEP", "0.1")
	require.NoError(t, err)
	assert.Equal(t, "OK", v.String())
	require.ErrorContains(t, h.Admin("n1", "BGSAVE"), "node n1 is busy")
	require.ErrorContains(t, h.Shutdown("n1", "SHUTDOWN"), "node n1 is busy")
	w.RunUntil(w.Now()+300*sim.Millisecond, nil)
	require.NoError(t, h.Admin("n1", "SET", "k", "v"))
}

// A node's clock set back in the middle of a DEBUG SLEEP does not stretch
// the sleep: the node sleeps on its monotonic clock, which clock jumps do
// not move, as Redis's nanosleep (seed 2002267: a 1 ms AOF flush sleep of
// the master lasted the 103 s its clock went back, and the 700 events held
// meanwhile drained past the replicas' liveness budget).
func TestDebugSleepIgnoresClockJump(t *testing.T) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	s := h.Node("n1")
	mono := s.Monotonic()
	v, err := h.Exec("n1", "DEBUG", "SLEEP", "0.1")
	require.NoError(t, err)
	assert.Equal(t, "OK", v.String())
	_, err = h.JumpClock("n1", -100*sim.Second)
	require.NoError(t, err)
	assert.Equal(t, mono, s.Monotonic(), "a clock jump does not move the monotonic clock")
	w.RunUntil(w.Now()+300*sim.Millisecond, nil)
	require.NoError(t, h.Admin("n1", "SET", "k", "v"), "the sleep is over")
}
