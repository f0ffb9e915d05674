package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFileErrorsFaulted(t *testing.T) {
	line := func(at int64, msg string) LogLine { return LogLine{Node: "n1", At: at, Format: "%s", Msg: msg} }
	fault := func(at int64, op string) DiskFault { return DiskFault{Node: "n1", At: at, Op: op, Path: "x"} }
	renameIncr := line(5, "Error trying to rename the temporary AOF incr file appendonlydir/temp-appendonly.aof.incr into appendonlydir: is a directory")

	v := fileErrorsFaulted([]LogLine{renameIncr}, nil)
	require.Len(t, v, 1, "a rename that failed with no fault")
	assert.Contains(t, v[0].Detail, "no rename fault")
	assert.Empty(t, fileErrorsFaulted([]LogLine{renameIncr}, []DiskFault{fault(5, "rename")}), "the fault at that instant")
	assert.Len(t, fileErrorsFaulted([]LogLine{renameIncr}, []DiskFault{fault(4, "rename")}), 1, "a fault before it")
	assert.Len(t, fileErrorsFaulted([]LogLine{renameIncr}, []DiskFault{fault(5, "write")}), 1, "a fault of another operation")
	assert.Len(t, fileErrorsFaulted([]LogLine{renameIncr}, []DiskFault{{Node: "n2", At: 5, Op: "rename"}}), 1, "a fault on another node")
	assert.Empty(t, fileErrorsFaulted([]LogLine{line(5, "Background AOF rewrite terminated with success")}, nil), "not a failure line")

	// A BGSAVE child's failure is reported when the child ends.
	started := LogLine{Node: "n1", At: 2, Format: "Background saving started by pid %d", Msg: "Background saving started by pid 7"}
	saveErr := line(9, "Write error saving DB on disk(fsync): Input/output error")
	assert.Empty(t, fileErrorsFaulted([]LogLine{started, saveErr}, []DiskFault{fault(3, "sync")}), "a fault while the child ran")
	assert.Len(t, fileErrorsFaulted([]LogLine{started, saveErr}, []DiskFault{fault(1, "sync")}), 1, "a fault before the child started")
	// rdbSave's line names the call that failed: a write fault fails a
	// write (rdbSaveRio or fflush), never the fsync after it.
	v = fileErrorsFaulted([]LogLine{started, saveErr}, []DiskFault{fault(3, "write")})
	require.Len(t, v, 1, "an fsync failure with only a write fault")
	assert.Contains(t, v[0].Detail, "no sync fault")
	assert.Empty(t, fileErrorsFaulted([]LogLine{started, line(9, "Write error saving DB on disk(fflush): No space left on device")}, []DiskFault{fault(3, "write")}), "fflush")
	assert.Len(t, fileErrorsFaulted([]LogLine{started, line(9, "Write error saving DB on disk(rdbSaveRio): No space left on device")}, []DiskFault{fault(3, "sync")}), 1, "rdbSaveRio needs a write fault")
	assert.Len(t, fileErrorsFaulted([]LogLine{started, line(9, "Fail to fsync AOF directory appendonlydir: Input/output error.")}, []DiskFault{fault(3, "syncdir")}), 1,
		"the parent's own line needs its fault at its instant")
}

// A failed fsync of the AOF directory fails the manifest's persist, which
// Redis logs (mutant aof_open.go:99:3 went on as if it had succeeded).
func TestAOFDirSyncsReported(t *testing.T) {
	fault := DiskFault{Node: "n1", At: 5, Op: "syncdir", Path: "appendonlydir"}
	line := func(msg string) LogLine { return LogLine{Node: "n1", At: 5, Msg: msg} }
	assert.Empty(t, aofDirSyncsReported([]LogLine{line("Fail to fsync AOF directory appendonlydir/appendonly.aof.manifest: Input/output error.")}, []DiskFault{fault}))
	v := aofDirSyncsReported(nil, []DiskFault{fault})
	require.Len(t, v, 1, "the corrupted history: the failure unlogged")
	assert.Contains(t, v[0].Detail, "fsync of its AOF directory appendonlydir failed at")
	assert.Empty(t, aofDirSyncsReported([]LogLine{line("Fatal error loading the DB: fsync directory of appendonlydir/appendonly.aof.1.base.aof: disksim: syncdir appendonlydir: no space left on device. Exiting.")}, []DiskFault{fault}), "the start's base")
	assert.Empty(t, aofDirSyncsReported([]LogLine{line("Error truncating the AOF file appendonly.aof.3.incr.aof: No space left on device")}, []DiskFault{fault}), "a load's truncation")
	other := fault
	other.Path = "."
	assert.Empty(t, aofDirSyncsReported(nil, []DiskFault{other}), "the working directory (dump.rdb's)")
}
