package node_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// ticks runs the node's cron for d of its clock.
func ticks(h *nodetest.Harness, d time.Duration) {
	step := time.Second / time.Duration(h.Node.Config().Hz)
	for ; d > 0; d -= step {
		h.Env.Advance(step)
		h.Tick()
	}
}

// A master pings its replicas on the replication cron runs that are
// multiples of repl-ping-replica-period, counted from its start (Redis's
// replication_cron_loops), not the moment a replica attaches.
func TestMasterPingsOnCronLoopMultiples(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplPingPeriodSec = 3
	h := nodetest.New(t, cfg)
	ticks(h, 1500*time.Millisecond) // cron runs 0 and 1, no replica yet
	r := h.Replica()
	ticks(h, time.Second) // run 2
	assert.Empty(t, r.Commands(), "no ping on run 2")
	ticks(h, time.Second) // run 3
	assert.Equal(t, [][]string{{"ping"}}, r.Commands())
	ticks(h, 2*time.Second)
	assert.Empty(t, r.Commands())
	ticks(h, time.Second)
	assert.Equal(t, [][]string{{"ping"}}, r.Commands())
}

// A master restarted after SHUTDOWN keeps its offset exactly: a replica
// that partially resyncs gets nothing while repl-ping-replica-period has
// not come around (it used to get a ping at once: 14 bytes).
func TestRestartedMasterKeepsItsOffset(t *testing.T) {
	cfg := node.DefaultConfig()
	cfg.ReplPingPeriodSec = 3600
	h := nodetest.New(t, cfg)
	c := h.Conn()
	r := h.Replica()
	require.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	ticks(h, 3*time.Second)
	require.Equal(t, [][]string{{"SELECT", "0"}, {"SET", "k", "v"}}, r.Commands())
	before := h.Node.Repl()
	require.Equal(t, "", h.DoString(c, "SHUTDOWN", "SAVE", "NOW"))
	require.True(t, h.Node.Down())

	n2 := node.New(cfg, h.Env)
	h.Env.Node = n2
	require.NoError(t, n2.Load())
	h2 := &nodetest.Harness{T: t, Env: h.Env, Node: n2}
	after := n2.Repl()
	assert.Equal(t, before.Offset, after.Offset)
	assert.Equal(t, before.ReplID, after.ReplID2, "the old history continues under a new ID")

	ticks(h2, 1500*time.Millisecond)
	rc := h2.Conn()
	h2.Do(rc, "REPLCONF", "capa", "psync2")
	out := h2.DoString(rc, "PSYNC", before.ReplID, strconv.FormatInt(before.Offset+1, 10))
	assert.Equal(t, "+CONTINUE "+after.ReplID+"\r\n", out)
	ticks(h2, 10*time.Second)
	assert.Empty(t, h2.Env.Take(rc), "nothing in the stream")
	assert.Equal(t, before.Offset, n2.Repl().Offset)
}
