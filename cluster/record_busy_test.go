package cluster

import (
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An operator's command on a node in DEBUG SLEEP is refused, as on a
// paused node, rather than run in the middle of the sleep (seeds 367,
// 503 and 649 ran SHUTDOWN there); once the sleep is over it runs.
func TestOperatorWaitsOutDebugSleep(t *testing.T) {
	w := sim.NewWorld(1)
	h := New(w, Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	v, err := h.Exec("n1", "DEBUG", "SLEEP", "0.1")
	require.NoError(t, err)
	assert.Equal(t, "OK", v.String())
	_, err = h.Exec("n1", "SET", "k", "v")
	require.ErrorContains(t, err, "node n1 is busy")
	w.RunUntil(w.Now()+300*sim.Millisecond, nil)
	v, err = h.Exec("n1", "SET", "k", "v")
	require.NoError(t, err)
	assert.Equal(t, "OK", v.String())
}
