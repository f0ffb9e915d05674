package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartBasesWritten(t *testing.T) {
	created := LogLine{Node: "n1", At: 5, Format: logAOFBaseAtStart, Msg: "Creating AOF base file appendonly.aof.1.base.rdb on server start"}
	renameFailed := DiskFault{Node: "n1", At: 5, Op: "rename", Path: "appendonlydir/temp-rewriteaof-3.aof"}
	v := checkStartBasesWritten([]LogLine{created}, []DiskFault{renameFailed})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "though the rename of appendonlydir/temp-rewriteaof-3.aof failed")
	assert.Empty(t, checkStartBasesWritten([]LogLine{created}, nil))
	other := renameFailed
	other.Path = "appendonlydir/temp-appendonly.aof.manifest"
	assert.Empty(t, checkStartBasesWritten([]LogLine{created}, []DiskFault{other}), "the manifest's, after the base")
	later := renameFailed
	later.At = 6
	assert.Empty(t, checkStartBasesWritten([]LogLine{created}, []DiskFault{later}))
}
