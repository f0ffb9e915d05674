package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rewrite whose manifest persist fails removes the base it renamed into
// place; when that removal fails too, the base stays, and only the
// failed removal excuses it.
func TestRewriteEndsRecorded(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	require.NoError(t, h.execOK("n1", "SET", "a", "1"))
	require.NoError(t, h.Admin("n1", "BGREWRITEAOF"))
	h.RunFor(sim.Second)

	syncDir := &disksim.Injector{Name: "syncdir", Probability: 1, Enabled: false, Ops: disksim.Ops(disksim.OpSyncDir)}
	remove := &disksim.Injector{Name: "remove", Probability: 1, Enabled: false, Ops: disksim.Ops(disksim.OpRemove), PathGlob: "*.base.*"}
	require.NoError(t, h.AddDiskFault("n1", syncDir))
	require.NoError(t, h.AddDiskFault("n1", remove))
	require.NoError(t, h.Admin("n1", "BGREWRITEAOF"))
	syncDir.Enabled = true
	h.RunFor(sim.Second)
	syncDir.Enabled = false
	h.RunFor(sim.Second)

	require.NoError(t, h.Admin("n1", "BGREWRITEAOF"))
	syncDir.Enabled, remove.Enabled = true, true
	h.RunFor(sim.Second)
	syncDir.Enabled, remove.Enabled = false, false

	ends, faults := h.RewriteEndsInput()
	require.Len(t, ends, 3)
	assert.True(t, ends[0].Finished)
	assert.Equal(t, []string{"appendonlydir/appendonly.aof.2.base.rdb"}, ends[0].Renamed)
	assert.Equal(t, []bool{true}, ends[0].Left)
	assert.False(t, ends[1].Finished)
	assert.Equal(t, []bool{false}, ends[1].Left, "removed")
	assert.False(t, ends[2].Finished)
	assert.Equal(t, []bool{true}, ends[2].Left, "its removal failed")
	assert.Empty(t, checker.CheckRewriteEnds(ends, faults))
	assert.Len(t, checker.CheckRewriteEnds(ends, nil), 1, "without the fault that excuses it")
}
