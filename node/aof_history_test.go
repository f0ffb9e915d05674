package node

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aofDelHistoryFiles drops the history entries from the manifest in
// memory before persisting it, so a failed persist leaves them on disk
// only; DEBUG LOADAOF then reads the manifest from disk again
// (aofLoadManifestFromDisk), removes its history files once more
// (aofDelHistoryFiles) and persists it without them (debug.c, aof.c).
func TestAOFHistoryDroppedBeforeThePersistAndReloadedByLoadAOF(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	assert.Equal(t, "OK", a.do("SET", "k", "1"))
	const hist = "appendonly.aof.9.incr.aof"
	ai := &a.n.persist().aof
	m := ai.manifest.clone()
	m.history = []aofInfo{{name: hist, seq: 9, typ: aofTypeHist}}
	require.NoError(t, a.n.persistManifest(&m))
	ai.manifest = m

	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate), PathGlob: "temp-*.manifest",
		Probability: 1, Err: vfs.ErrIO, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	a.n.aofDeleteHistory()
	assert.True(t, a.env.logged("Can't open the AOF manifest file temp-appendonly.aof.manifest: Input/output error"))
	assert.False(t, a.env.logged("Can't persist the AOF manifest"), "aofDelHistoryFiles logs no summary of its own")
	assert.Empty(t, ai.manifest.history, "the history left the manifest in memory")
	assert.Contains(t, content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"), hist+" seq 9 type h")
	inj.Enabled = false

	a.n.cfg.EnableDebugCommand = "yes"
	assert.Equal(t, "OK", a.do("DEBUG", "LOADAOF"))
	removed := 0
	for _, l := range a.env.logs {
		if strings.Contains(l, "Removing the history file "+hist+" in the background") {
			removed++
		}
	}
	assert.Equal(t, 2, removed, "DEBUG LOADAOF removes the history the disk manifest still lists")
	assert.NotContains(t, content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"), "type h")
	assert.Empty(t, ai.manifest.history)
	assert.Equal(t, []string{"0:k=1"}, a.data())
}

// startAppendOnly works from the manifest in memory: a history file that
// a failed persist left listed on disk only is not removed again when the
// AOF is turned off and on (aof.c; only DEBUG LOADAOF or a restart reads
// the disk's manifest again).
func TestAOFReopenUsesTheManifestInMemory(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	const hist = "appendonly.aof.9.incr.aof"
	ai := &a.n.persist().aof
	m := ai.manifest.clone()
	m.history = []aofInfo{{name: hist, seq: 9, typ: aofTypeHist}}
	require.NoError(t, a.n.persistManifest(&m))
	ai.manifest = m
	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate), PathGlob: "temp-*.manifest",
		Probability: 1, Err: vfs.ErrIO, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	a.n.aofDeleteHistory()
	inj.Enabled = false

	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "no"))
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.Equal(t, "OK", a.do("SET", "k", "1"))
	a.runJobs()
	require.True(t, ai.opened)
	removed := 0
	for _, l := range a.env.logs {
		if strings.Contains(l, "Removing the history file "+hist) {
			removed++
		}
	}
	assert.Equal(t, 1, removed)
	assert.Equal(t, "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
		content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"))
}
