package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
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
