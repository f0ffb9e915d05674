package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckLeftIncrsSynced(t *testing.T) {
	left := LeftIncr{Node: "n1", At: 5, Path: "appendonlydir/appendonly.aof.1.incr.aof", Unsynced: 120}
	v := CheckLeftIncrsSynced([]LeftIncr{left}, nil)
	require.Len(t, v, 1, "the rewrite's start left 120 bytes unsynced (mutant aof_rewrite.go:107:3)")
	assert.Contains(t, v[0].Detail, "120 bytes unsynced")

	synced := left
	synced.Unsynced = 0
	assert.Empty(t, CheckLeftIncrsSynced([]LeftIncr{synced}, nil))
	assert.Empty(t, CheckLeftIncrsSynced([]LeftIncr{left}, []DiskFault{{Node: "n1", At: 5, Op: "sync", Path: left.Path}}), "its fsync failed")
	assert.Len(t, CheckLeftIncrsSynced([]LeftIncr{left}, []DiskFault{{Node: "n1", At: 4, Op: "sync", Path: left.Path}}), 1, "an earlier failure")
	assert.Len(t, CheckLeftIncrsSynced([]LeftIncr{left}, []DiskFault{{Node: "n1", At: 5, Op: "sync", Path: "appendonlydir/x"}}), 1, "another file's")
}
