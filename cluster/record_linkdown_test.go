package cluster

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A replica whose master crashed is sampled once a second while its link
// is down; master_link_down_since_seconds grows from the loss, survives a
// REPLICAOF to another master, and the samples agree with its log.
func TestLinkDownSamples(t *testing.T) {
	h := New(sim.NewWorld(5), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	require.NoError(t, h.Start("n2", NodeOptions{ReplicaOf: "n1"}))
	for i := 0; i < 20 && !h.Node("n2").node.Repl().LinkUp; i++ {
		h.RunFor(sim.Second)
	}
	require.True(t, h.Node("n2").node.Repl().LinkUp)
	for _, l := range h.rec.linkDown {
		assert.Equal(t, "-1", l.Value, "not up since the start")
	}
	h.RunFor(2 * sim.Second)
	up := len(h.rec.linkDown)

	crashAt := int64(h.w.Now())
	require.NoError(t, h.Crash("n1", disksim.CrashLoseAll))
	h.RunFor(4 * sim.Second)
	_, err := h.Exec("n2", "REPLICAOF", "n9", "6379")
	require.NoError(t, err)
	h.RunFor(2 * sim.Second)

	var mine []checker.LinkDownSample
	for _, l := range h.rec.linkDown[up:] {
		if l.Node == "n2" {
			assert.Greater(t, l.At, crashAt, "a link up is not sampled")
			mine = append(mine, l)
		}
	}
	require.GreaterOrEqual(t, len(mine), 5, "once a second while down")
	last, err := strconv.Atoi(mine[len(mine)-1].Value)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, last, 5, "counted from the crash, through the REPLICAOF")
	for _, in := range h.LinkDownInputs() {
		assert.Empty(t, checker.CheckLinkDownSince(in))
	}
}
