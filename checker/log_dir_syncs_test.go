package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirSyncsReported(t *testing.T) {
	l := func(at int64, format, msg string) LogLine {
		return LogLine{Node: "n1", At: at, Format: format, Msg: msg}
	}
	fault := []DiskFault{{Node: "n1", At: 5, Op: "syncdir", Path: "."}}

	assert.Empty(t, dirSyncsReported([]LogLine{l(5, "%s", "Write error saving DB on disk(fsyncFileDir): Input/output error")}, fault), "a foreground save's failure")
	assert.Empty(t, dirSyncsReported([]LogLine{l(5, logAOFCreatedOnRW, "Creating AOF incr file temp-appendonly.aof.incr on background rewrite")}, fault), "a rewrite's start")
	v := dirSyncsReported([]LogLine{l(5, "%s", "DB saved on disk")}, fault)
	require.Len(t, v, 1, "a foreground save that ignored it")
	assert.Contains(t, v[0].Detail, "logged no failure then")
	assert.Empty(t, dirSyncsReported(nil, []DiskFault{{Node: "n1", At: 5, Op: "syncdir", Path: "appendonlydir"}}), "another directory")

	started := l(2, logSaveStarted, "Background saving started by pid 7")
	assert.Empty(t, dirSyncsReported([]LogLine{started, l(9, logSaveError, "Background saving error")}, fault), "the child failed")
	assert.Empty(t, dirSyncsReported([]LogLine{started, l(9, logSaveBySignal, "Background saving terminated by signal 10")}, fault), "the child was killed")
	assert.Empty(t, dirSyncsReported([]LogLine{started}, fault), "the process died first")
	v = dirSyncsReported([]LogLine{started, l(9, logSaveDone, "Background saving terminated with success")}, fault)
	require.Len(t, v, 1, "the child succeeded")
	assert.Contains(t, v[0].Detail, "while its BGSAVE child")
	assert.Len(t, dirSyncsReported([]LogLine{started, l(3, logSaveDone, "Background saving terminated with success")}, fault), 1,
		"a child that ended before the fault explains nothing")
}

// A failed fsync of a temp RDB file is reported as the save's failure,
// unless it hit a child already killed.
func TestTempRDBSyncsReported(t *testing.T) {
	l := func(at int64, format, msg string) LogLine {
		return LogLine{Node: "n1", At: at, Format: format, Msg: msg}
	}
	fault := []DiskFault{{Node: "n1", At: 5, Op: "sync", Path: "temp-3.rdb"}}
	assert.Empty(t, dirSyncsReported([]LogLine{l(5, "%s", "Write error saving DB on disk(fsync): Input/output error")}, fault), "a foreground save")
	assert.Empty(t, dirSyncsReported([]LogLine{l(5, "%s", "Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: Input/output error")},
		[]DiskFault{{Node: "n1", At: 5, Op: "sync", Path: "temp-1700000000.3.rdb"}}), "a replica's transfer file")
	v := dirSyncsReported([]LogLine{l(5, "%s", "DB saved on disk")}, fault)
	require.Len(t, v, 1, "a save that went on")
	assert.Contains(t, v[0].Detail, "an fsync of temp-3.rdb failed")

	started := l(2, logSaveStarted, "Background saving started by pid 7")
	v = dirSyncsReported([]LogLine{started, l(9, logDBSaved, logDBSaved), l(9, logSaveDone, "Background saving terminated with success")}, fault)
	require.Len(t, v, 1, "a child that succeeded")
	assert.Contains(t, v[0].Detail, `rdbSave fails on it ("Write error saving DB on disk(fsync)")`)
	killed := []LogLine{started, l(3, logSaveBySignal, "Background saving terminated by signal 10")}
	assert.Empty(t, dirSyncsReported(killed, fault), "the work of a child already killed")
	assert.Empty(t, dirSyncsReported(append(killed, l(4, logSaveStarted, "Background saving started by pid 8"), l(9, logSaveDone, "Background saving terminated with success")), fault),
		"the killed child's work may end while another runs (seed 5207)")
	restarted := append(killed, LogLine{Node: "n1", Proc: 1, At: 4, Format: "%s", Msg: "Server initialized"})
	assert.Len(t, dirSyncsReported(restarted, fault), 1, "a new process has no killed child")
	assert.Empty(t, dirSyncsReported(nil, []DiskFault{{Node: "n1", At: 5, Op: "sync", Path: "dump.rdb"}}), "not a temp file")
}
