package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBaseSeqsFollow(t *testing.T) {
	l := func(format string, args ...string) LogLine {
		return LogLine{Node: "n1", Format: format, Args: args, Msg: format}
	}
	migrated := l(logAOFMigrated, "appendonly.aof", "appendonlydir")
	renamed := func(seq string) LogLine {
		return l(logRWRenamedBase, "temp-rewriteaof-bg-7.aof", "appendonly.aof."+seq+".base.rdb")
	}
	ok := l(logRewriteOK)
	failed := l(logAOFRWManifest, "disk error")
	failed.Msg = "Can't persist the AOF manifest after the rewrite: disk error"

	assert.Empty(t, baseSeqsFollow([]LogLine{migrated, renamed("2"), ok, renamed("3"), ok}), "2 after the migration's 1, then 3")
	v := baseSeqsFollow([]LogLine{migrated, renamed("1"), ok})
	require.Len(t, v, 1, "base 1 again after the migration")
	assert.Contains(t, v[0].Detail, "the manifest's base was 1")

	assert.Empty(t, baseSeqsFollow([]LogLine{l(logAOFBaseAtStart, "appendonly.aof.1.base.rdb"), renamed("2"), failed, renamed("2"), ok, renamed("3")}),
		"a failed rewrite leaves the count")
	assert.Len(t, baseSeqsFollow([]LogLine{l(logAOFBaseAtStart, "appendonly.aof.1.base.rdb"), renamed("2"), ok, renamed("2")}), 1,
		"a finished rewrite moves it")
	assert.Empty(t, baseSeqsFollow([]LogLine{renamed("5"), ok, renamed("6")}), "a loaded manifest: unknown until the first rewrite finishes")
	other := renamed("1")
	other.Proc = 1
	assert.Empty(t, baseSeqsFollow([]LogLine{migrated, renamed("2"), ok, other}), "another process")

	for name, want := range map[string]int64{"appendonly.aof.12.base.rdb": 12, "a b.aof.3.base.aof": 3} {
		got, ok := baseSeqOf(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got, name)
	}
	_, okName := baseSeqOf("appendonly.aof")
	assert.False(t, okName)
}
