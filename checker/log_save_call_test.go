package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRDBWriteCallsNameTheFailedCall(t *testing.T) {
	started := line(1, "Background saving started by pid %d", 7)
	fault := func(size int64) DiskFault {
		return DiskFault{Node: "n1", At: 2e9, Op: "write", Path: "temp-3.rdb", Size: size}
	}
	flush := line(3, "Write error saving DB on disk(fflush): %s", "Input/output error")
	rio := line(3, "Write error saving DB on disk(rdbSaveRio): %s", "Input/output error")
	assert.Empty(t, rdbWriteCalls([]LogLine{started, flush}, []DiskFault{fault(300)}))
	assert.Empty(t, rdbWriteCalls([]LogLine{started, rio}, []DiskFault{fault(5000)}))
	// Mutant persist_rdb.go:149:3: the size lost, every failure fflush.
	vs := rdbWriteCalls([]LogLine{started, flush}, []DiskFault{fault(5000)})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "fails in rdbSaveRio")
	vs = rdbWriteCalls([]LogLine{started, rio}, []DiskFault{fault(300)})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "fails in fflush")
	// A write to another file is not this save's.
	other := fault(5000)
	other.Path = "appendonlydir/appendonly.aof.1.incr.aof"
	assert.Empty(t, rdbWriteCalls([]LogLine{started, flush}, []DiskFault{other}))
}
