package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An operator's CONFIG SET is followed by CONFIG REWRITE: the node's
// config file then holds the new value, reads back as the running
// server, and a second rewrite keeps the first one's lines.
func TestConfigSetIsRewritten(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	s := h.Node("n1")
	require.NoError(t, h.ConfigSet("n1", "repl-timeout", "33"))
	require.NoError(t, h.ConfigSet("n1", "client-output-buffer-limit", "replica 1024 2048 0"))
	assert.Contains(t, string(s.confFile), "repl-timeout 33\n")
	assert.Contains(t, string(s.confFile), "client-output-buffer-limit replica 1kb 2kb 0\n")
	require.Len(t, h.ConfigRewrites(), 2)
	assert.Equal(t, "33", h.ConfigRewrites()[1].File["repl-timeout"])
	assert.Empty(t, checker.CheckConfigRewrites(h.ConfigRewrites()))
}

// A CONFIG SET appendfsync always makes the node retry, under always, the
// AOF write that failed under everysec; when it fails again the node logs
// "Exiting..." and exits, so the harness sends it no CONFIG REWRITE and
// its config file keeps the old policy (chaos seeds 799 and 1585 of the
// node_log judge, where an fsync failed the same way).
func TestConfigSetThatExitsTheNodeIsNotRewritten(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	s := h.Node("n1")
	require.NoError(t, h.ConfigSet("n1", "repl-timeout", "33"))
	require.NoError(t, h.AddDiskFault("n1", &disksim.Injector{Name: "t", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpWrite)}))
	require.NoError(t, h.execOK("n1", "SET", "k", "v"))
	logged := len(h.rec.logs)
	_ = h.ConfigSet("n1", "appendfsync", "always")
	require.True(t, s.node.Down(), "the failed write under always exits the node")
	assert.Len(t, h.ConfigRewrites(), 1, "no CONFIG REWRITE after the exit")
	assert.NotContains(t, string(s.confFile), "appendfsync")
	assert.Equal(t, "everysec", s.cfg.AppendFsync)
	_, err := h.Exec("n1", "PING")
	assert.Error(t, err, "an exiting node takes no more commands")
	for _, l := range h.rec.logs[logged:] {
		assert.NotContains(t, l.Msg, "CONFIG REWRITE executed")
	}
}
