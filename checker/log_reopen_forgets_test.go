package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReopenForgetsWriteError(t *testing.T) {
	aof := func(at int64, on bool) SettingsChange {
		c := SettingsChange{At: at, Node: "n1"}
		c.AppendOnly, c.AppendFsync = on, "everysec"
		return c
	}
	settings := []SettingsChange{aof(0, true), aof(3e9, false), aof(5e9, true)}
	failed := line(2, logAOFWriteErr, "No space left on device")
	enabled := []LogLine{line(5, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), line(5, logAOFRWStarted, 7)}
	v := reopenForgetsWriteError(append([]LogLine{failed}, enabled...), settings)
	require.Len(t, v, 1, "mutant aof_start.go:36:3 left the line out")
	assert.Contains(t, v[0].Detail, "startAppendOnly forgets aof_last_write_status and says so")

	assert.Empty(t, reopenForgetsWriteError(append(append([]LogLine{failed}, enabled...), line(5, logReopenWriteErr)), settings))
	assert.Empty(t, reopenForgetsWriteError(append([]LogLine{failed, line(4, logAOFSolved)}, enabled...), settings), "solved before")
	assert.Empty(t, reopenForgetsWriteError(enabled, settings), "no error")
}
