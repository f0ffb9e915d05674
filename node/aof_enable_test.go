package node

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONFIG SET appendonly yes runs startAppendOnly at once: when the temp
// incr file it opens before forking cannot be created, CONFIG SET fails
// and the AOF stays off (config.c updateAppendonly, aof.c
// rewriteAppendOnlyFileBackground; redis-server 7.0.15 answers the same
// with appenddirname made a plain file). Once the disk heals, it works.
func TestAOFEnableFailsWhenTheTempIncrCannotBeCreated(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate), PathGlob: "temp-*.incr",
		Probability: 1, Err: vfs.ErrIO, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
		a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.False(t, a.n.Config().AppendOnly)
	assert.Equal(t, "1) \"appendonly\"\n2) \"no\"", a.do("CONFIG", "GET", "appendonly"))
	assert.True(t, a.env.logged("Can't open the append-only file temp-appendonly.aof.incr: Input/output error"))
	assert.True(t, a.env.logged("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation."))
	assert.True(t, a.env.logged("Failed applying new configuration. Possibly related to new appendonly setting. Restoring previous settings."))
	assert.Equal(t, "err", infoField(t, a, "aof_last_bgrewrite_status"))
	assert.Equal(t, "OK", a.do("SET", "k", "1"))
	assert.False(t, a.n.persist().aof.opened, "the AOF stays off")

	inj.Enabled = false
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.Equal(t, "OK", a.do("SET", "k", "2"))
	a.runJobs()
	assert.True(t, a.n.persist().aof.opened)
	_, ok := a.env.fs.CurrentContent("appendonlydir/temp-appendonly.aof.incr")
	assert.False(t, ok, "the temp incr file is renamed into the manifest")
}

// The AOF's reopen is a rewrite: when the persist of the manifest naming
// its new base and incr file fails (here at the directory fsync, after
// the manifest's rename), backgroundRewriteDoneHandler unlinks both, so no
// base of the current dataset is left for a manifest that names the same
// file to load with older incr files (chaos seed 78183), and the AOF
// keeps waiting for a rewrite that succeeds.
func TestAOFReopenUnlinksItsFilesWhenTheManifestPersistFails(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	assert.Equal(t, "OK", a.do("SET", "k", "1"))
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "no"))
	assert.Equal(t, "OK", a.do("SET", "k", "2"))
	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpSyncDir), PathGlob: "appendonlydir",
		Probability: 1, Err: vfs.ErrIO, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	a.runJobs()
	assert.False(t, a.n.persist().aof.opened)
	assert.True(t, a.n.persist().aof.waitRewrite)
	assert.True(t, a.env.logged("Fail to fsync AOF directory appendonlydir/appendonly.aof.manifest: Input/output error."))
	for _, name := range []string{"appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof"} {
		_, ok := a.env.fs.CurrentContent("appendonlydir/" + name)
		assert.False(t, ok, "%s left behind", name)
	}
	assert.Contains(t, content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"), "appendonly.aof.2.base.rdb",
		"the manifest was renamed into place before the directory fsync failed, as in Redis")
}
