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
