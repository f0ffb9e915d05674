package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAlwaysExitsUnderAlways(t *testing.T) {
	policy := func(at int64, fsync string) SettingsChange {
		c := SettingsChange{At: at, Node: "n1"}
		c.AppendOnly, c.AppendFsync = true, fsync
		return c
	}
	exit := line(5, logAOFAlwaysExit)
	down := SettingsChange{At: 5e9, Node: "n1", Down: true}
	assert.Empty(t, alwaysExitsUnderAlways([]LogLine{exit}, []SettingsChange{policy(0, "always"), down}))
	v := alwaysExitsUnderAlways([]LogLine{exit}, []SettingsChange{policy(0, "everysec"), down})
	require.Len(t, v, 1, "mutant aof.go:214:24 exited under everysec")
	assert.Contains(t, v[0].Detail, "with appendfsync everysec")
	assert.Empty(t, alwaysExitsUnderAlways([]LogLine{exit}, []SettingsChange{policy(0, "everysec"), policy(5e9, "always"), down}), "switched in that event")

	failed := line(5, logAOFWriteErr, "No space left on device")
	assert.Empty(t, alwaysExitsUnderAlways([]LogLine{failed, exit}, []SettingsChange{policy(0, "always"), down}))
	v = alwaysExitsUnderAlways([]LogLine{failed, line(6, "Background saving started by pid 3")}, []SettingsChange{policy(0, "always")})
	require.Len(t, v, 1, "a failed write under always that does not exit")
	assert.Contains(t, v[0].Detail, "flushAppendOnlyFile exits on a failed write then")
	assert.Empty(t, alwaysExitsUnderAlways([]LogLine{failed, line(6, "x")}, []SettingsChange{policy(0, "everysec")}), "under everysec it goes on")
}
