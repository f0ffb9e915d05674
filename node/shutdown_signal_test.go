package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A signal's shutdown that fails (here: the first AOF is still being
// written) logs finishShutdown's lines and nothing more: Redis's serverCron
// adds no line of its own (the "SIGTERM received but errors trying to shut
// down the server" line is whileBlockedCron's, during a load). Its
// cancelShutdown clears shutdown_asap: the next tick does not try again,
// and a SIGINT then schedules a shutdown rather than exiting at once.
func TestSignalShutdownFailureLogsNoMore(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	a.n.ShutdownSignal(false)
	assert.True(t, a.n.ShutdownPending())
	a.advance(100)
	assert.True(t, a.env.logged("Writing initial AOF, can't exit."))
	assert.True(t, a.env.logged("Errors trying to shut down the server. Check the logs for more information."))
	assert.False(t, a.env.logged("SIGTERM received but errors"))
	assert.False(t, a.n.Down())
	assert.False(t, a.n.ShutdownPending(), "cancelShutdown clears shutdown_asap")
	n := len(a.env.logs)
	a.advance(300)
	for _, l := range a.env.logs[n:] {
		assert.NotContains(t, l, "User requested shutdown", "nothing retries the shutdown")
	}
}
