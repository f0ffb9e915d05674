package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rewrite whose manifest persist fails at the directory fsync, after
// the rename, leaves that manifest on disk; when the unlink of its new
// base fails too, the manifest names a base the node's memory never took,
// and aof_current_size counts the files of the manifest before it. The
// manifest is marked, so checker.CheckAOFSizes does not judge it (chaos
// seed 34060).
func TestManifestMarksBaseWhoseUnlinkFailed(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	for _, k := range []string{"a", "b", "c"} {
		require.NoError(t, h.execOK("n1", "SET", k, "value-of-"+k))
	}
	require.NoError(t, h.Admin("n1", "BGREWRITEAOF"))
	syncDir := &disksim.Injector{Name: "syncdir", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpSyncDir)}
	remove := &disksim.Injector{Name: "remove", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpRemove), PathGlob: "*.base.*"}
	require.NoError(t, h.AddDiskFault("n1", syncDir))
	require.NoError(t, h.AddDiskFault("n1", remove))
	h.RunFor(sim.Second)
	syncDir.Enabled, remove.Enabled = false, false
	require.NoError(t, h.execOK("n1", "SET", "d", "value-of-d"))
	h.RunFor(sim.Second)

	files := h.Manifests()
	require.Len(t, files, 1)
	assert.True(t, files[0].BaseUnlinkFailed, "%s", files[0].Text)
	assert.Empty(t, checker.CheckAOFSizes(files))
	files[0].BaseUnlinkFailed = false
	assert.NotEmpty(t, checker.CheckAOFSizes(files), "the sizes of the manifest on disk are not Redis's")
}
