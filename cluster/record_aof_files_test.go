package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A node's rewrites leave in its AOF directory only what its manifest
// names; a file its process put there unnamed is an orphan (the rule's
// input), and a file there at its start is not judged.
func TestUnlistedAOFFiles(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	for i, k := range []string{"a", "b", "c"} {
		require.NoError(t, h.execOK("n1", "SET", k, "value-of-"+k))
		if i < 2 {
			require.NoError(t, h.Admin("n1", "BGREWRITEAOF"))
			h.RunFor(sim.Second)
		}
	}
	files := h.Manifests()
	require.Len(t, files, 1)
	assert.Empty(t, files[0].Unlisted, "%s", files[0].Text)
	assert.Empty(t, checker.CheckAOFOrphans(files))

	s := h.Node("n1")
	require.NoError(t, writeSynced(s.fs, s.cfg.AppendDirname+"/stray.incr.aof", []byte("x")))
	files = h.Manifests()
	require.Len(t, files, 1)
	assert.Equal(t, []string{"stray.incr.aof"}, files[0].Unlisted)
	assert.Len(t, checker.CheckAOFOrphans(files), 1)

	s.aofAtStart = map[string]bool{"stray.incr.aof": true}
	assert.Empty(t, h.Manifests()[0].Unlisted, "a file there at the process's start is not its own")
}
