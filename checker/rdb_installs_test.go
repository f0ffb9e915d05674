package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRDBInstallsNeedASave: a rename onto the RDB file is explained by a
// save's success, a replica's load or a directory fsync failure in its
// instant (or, on a paused node, in the node's next instant with lines);
// a rename with none of them is a killed or failed save's.
func TestRDBInstallsNeedASave(t *testing.T) {
	install := RDBInstall{At: 5e9, Node: "n1", From: "temp-3.rdb", To: "dump.rdb"}
	line := func(at int64, msg string) LogLine { return LogLine{Node: "n1", At: at, Msg: msg, Format: msg} }
	for _, msg := range []string{logDBSaved, "MASTER <-> REPLICA sync: Loading DB in memory",
		"Failed trying to sync DB directory dump.rdb in MASTER <-> REPLICA synchronization: Input/output error",
		"Write error saving DB on disk(fsyncFileDir): Input/output error"} {
		assert.Empty(t, CheckRDBInstalls([]RDBInstall{install}, []LogLine{line(5e9, msg)}), msg)
	}
	started := line(4e9, "Background saving started by pid 7")
	started.Format = logSaveStarted
	done := line(6e9, logSaveDone)
	assert.Empty(t, CheckRDBInstalls([]RDBInstall{install}, []LogLine{started, line(6e9, logDBSaved), done}), "a BGSAVE child's rename, reaped later")
	killed := line(4.5e9, "Background saving terminated by signal 10")
	killed.Format = logSaveBySignal
	v := CheckRDBInstalls([]RDBInstall{install}, []LogLine{started, killed, line(6e9, logDBSaved)})
	require.Len(t, v, 1, "the killed child's rename")
	assert.Len(t, CheckRDBInstalls([]RDBInstall{install}, []LogLine{started, {Node: "n1", Proc: 1, At: 4.5e9, Msg: "x"}}), 1, "a BGSAVE of an earlier process")
	assert.Contains(t, v[0].Detail, "a killed or failed save leaves it as it was")
	assert.Len(t, CheckRDBInstalls([]RDBInstall{install}, []LogLine{{Node: "n2", At: 5e9, Msg: logDBSaved}}), 1, "another node's save")

	held := install
	held.Held = true
	assert.Empty(t, CheckRDBInstalls([]RDBInstall{held}, []LogLine{line(7e9, logDBSaved), line(8e9, "x")}), "logged as the pause ended")
	assert.Len(t, CheckRDBInstalls([]RDBInstall{held}, []LogLine{line(7e9, "x"), line(8e9, logDBSaved)}), 1)
}
