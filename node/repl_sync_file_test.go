package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/tap"
	"github.com/replsim/replsim/vfs"
)

// A full sync loaded from disk (repl-diskless-load disabled) leaves the
// master's RDB as the replica's dump.rdb: readSyncBulkPayload renames the
// transfer's temp file over server.rdb_filename before rdbLoad. A replica
// restarted afterwards loads the master's dataset and replication history,
// not the dump.rdb it saved before the sync (chaos seed 2027987: a key
// written on the writable replica came back from its old dump.rdb after a
// restart and a partial resync from that file's history).
func TestFullSyncFromDiskReplacesDumpRDB(t *testing.T) {
	old := &rdb.Snapshot{
		Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("b", 40), 50),
		DBs: []rdb.DB{{Index: 0, Entries: []rdb.Entry{{Key: "local", Type: rdb.TypeString, Value: []byte("x")}}}},
	}
	master := &rdb.Snapshot{
		Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100),
		DBs: []rdb.DB{{Index: 0, Entries: []rdb.Entry{{Key: "k", Type: rdb.TypeString, Value: []byte("v")}}}},
	}
	cfg := DefaultConfig()
	n, env := fullSync(t, cfg, func(env *fakeEnv) {
		require.NoError(t, writeSynced(env.fs, cfg.DBFilename, rdb.Append(nil, old, rdb.Options{Checksum: true})))
	}, master, nil)
	require.True(t, n.Repl().LinkUp)

	data, err := env.fs.ReadFile(cfg.DBFilename)
	require.NoError(t, err)
	got, err := rdb.Parse(data)
	require.NoError(t, err)
	id, ok := got.AuxValue("repl-id")
	require.True(t, ok)
	assert.Equal(t, strings.Repeat("a", 40), id, "dump.rdb is the master's snapshot")
	names, err := env.fs.List(".")
	require.NoError(t, err)
	for _, name := range names {
		assert.False(t, strings.HasPrefix(name, "temp-"), "temp file %s left behind", name)
	}

	// The file survives a crash (fsynced, directory fsynced) and a
	// restart loads it.
	_, err = env.fs.Crash(disksim.CrashLoseAll)
	require.NoError(t, err)
	cfg.Save = nil
	re := New(cfg, newFakeEnv(env.fs))
	require.NoError(t, re.Load())
	assert.Equal(t, []tap.KeyValue{{Key: "k", Value: "v"}}, re.Dataset())
}

// A failed rename of the transfer's temp file cancels the attempt with
// Redis's line; the temp file is unlinked and dump.rdb is left as it was.
func TestFullSyncRenameFailureCancels(t *testing.T) {
	master := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	n, env := fullSync(t, DefaultConfig(), func(env *fakeEnv) {
		require.NoError(t, env.fs.AddInjector(&disksim.Injector{Name: "rename", Ops: disksim.Ops(disksim.OpRename),
			Probability: 1, Err: vfs.ErrIO, Enabled: true}))
	}, master, nil)
	assert.False(t, n.Repl().LinkUp)
	assert.True(t, env.logged("Failed trying to rename the temp DB into dump.rdb in MASTER <-> REPLICA synchronization"))
	names, err := env.fs.List(".")
	require.NoError(t, err)
	for _, name := range names {
		assert.False(t, strings.HasPrefix(name, "temp-"), "temp file %s left behind", name)
	}
}
