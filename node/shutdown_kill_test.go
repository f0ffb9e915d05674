package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// A SHUTDOWN whose save fails keeps the node up, and the RDB child it
// killed is reaped as killed by SIGUSR1 (server.c finishShutdown's
// killRDBChild, then checkChildrenDone): the diskless transfer's replica
// loses its sync, the error is logged once, and a BGSAVE starts after.
func TestFailedShutdownReapsKilledTransfer(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.ReplDisklessSync = true
	cfg.ReplDisklessSyncDelay = 1
	h := nodetest.New(t, cfg)
	c := h.Conn()
	slowSaves(t, h, c)
	r, _ := psync(h, true)
	ticks(h, 1100*time.Millisecond)
	require.Equal(t, 1, countLogs(h, "Background RDB transfer started by pid"))
	eio := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate), Probability: 1, Enabled: true}
	require.NoError(t, h.Env.Disk().AddInjector(eio))
	assert.Equal(t, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n", h.DoString(c, "SHUTDOWN", "SAVE", "NOW"))
	assert.False(t, h.Node.Down())
	assert.Equal(t, 1, countLogs(h, "There is a child saving an .rdb. Killing it!"))
	assert.Equal(t, 1, countLogs(h, "Errors trying to shut down the server. Check the logs for more information."))
	assert.Equal(t, 1, countLogs(h, "Background transfer terminated by signal 10"))
	assert.Equal(t, 1, countLogs(h, "SYNC failed. BGSAVE child returned an error"))
	assert.True(t, h.Env.Closed(r))
	eio.Enabled = false
	assert.Equal(t, "+Background saving started\r\n", h.DoString(c, "BGSAVE"))
}
