package node

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCopyDirective: a value set at runtime is carried into a config as
// CONFIG REWRITE would, multi-argument save included ("" is no rules).
func TestCopyDirective(t *testing.T) {
	src, dst := DefaultConfig(), DefaultConfig()
	src.Save = []SaveRule{{Seconds: 5, Changes: 10}, {Seconds: 60, Changes: 1}}
	src.AppendFsync, src.ReplicaReadOnly, src.ReplBacklogSize = "always", false, 65536
	for _, name := range []string{"save", "appendfsync", "slave-read-only", "repl-backlog-size"} {
		require.NoError(t, CopyDirective(&dst, &src, name), name)
	}
	assert.Equal(t, src.Save, dst.Save)
	assert.Equal(t, "always", dst.AppendFsync)
	assert.False(t, dst.ReplicaReadOnly, "an alias names the same directive")
	assert.Equal(t, int64(65536), dst.ReplBacklogSize)
	src.Save = nil
	require.NoError(t, CopyDirective(&dst, &src, "save"))
	assert.Empty(t, dst.Save)
	assert.Error(t, CopyDirective(&dst, &src, "no-such-directive"))
}

// TestSettingsFollowConfig: Settings reports the configuration in force.
func TestSettingsFollowConfig(t *testing.T) {
	n := startNode(t, persistConfig(), nil).n
	assert.Equal(t, tap.Settings{ReadOnly: true, ServeStale: true, AppendFsync: "everysec", StopWritesOnBgsaveErr: true,
		MinReplicasMaxLag: 10, ReplBacklogSize: 1 << 20}, n.Settings())
	require.NoError(t, n.ConfigSet("stop-writes-on-bgsave-error", "no"))
	assert.False(t, n.Settings().StopWritesOnBgsaveErr)
	require.NoError(t, n.ConfigSet("replica-serve-stale-data", "no"))
	require.NoError(t, n.ConfigSet("appendfsync", "always"))
	require.NoError(t, n.ConfigSet("min-replicas-to-write", "2"))
	require.NoError(t, n.ConfigSet("repl-backlog-size", "100"))
	assert.False(t, n.Settings().ServeStale)
	assert.Equal(t, "always", n.Settings().AppendFsync)
	assert.Equal(t, int64(2), n.Settings().MinReplicasToWrite)
	assert.Equal(t, int64(16<<10), n.Settings().ReplBacklogSize, "Redis's 16 KB floor")
}
