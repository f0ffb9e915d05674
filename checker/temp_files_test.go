package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTempFiles(t *testing.T) {
	idle := "# Persistence\r\nrdb_bgsave_in_progress:0\r\naof_rewrite_in_progress:0\r\n"
	left := TempFilesNode{Node: "n1", Gen: 2, Info: idle, Left: []string{"appendonlydir/temp-rewriteaof-bg-3.aof"}}
	v := CheckTempFiles([]TempFilesNode{left})
	require.Len(t, v, 1)
	assert.Equal(t, "temp_files", v[0].Check)
	assert.Contains(t, v[0].Detail, "appendonlydir/temp-rewriteaof-bg-3.aof")

	excused := []TempFilesNode{
		{Node: "n1", Info: idle},
		{Node: "n2", Info: idle, Left: []string{"appendonlydir/temp-appendonly.aof.manifest"}},
		{Node: "n3", Info: idle, Left: left.Left, RemoveFailed: true},
		{Node: "n4", Info: "rdb_bgsave_in_progress:0\r\naof_rewrite_in_progress:1\r\n", Left: left.Left},
		{Node: "n5", Info: "rdb_bgsave_in_progress:1\r\naof_rewrite_in_progress:0\r\n", Left: []string{"temp-4.rdb"}},
		{Node: "n6", Info: idle + "aof_enabled:0\r\n", Left: []string{`appendonlydir/temp-say"hi".aof.incr`}},
	}
	assert.Empty(t, CheckTempFiles(excused), "no files, a manifest's temp file, a failed removal, a job still running, a killed rewrite's incr file with AOF off")

	// With AOF on and no rewrite running, the temp incr file should have
	// been renamed (or removed by the failed rewrite's done handler).
	v = CheckTempFiles([]TempFilesNode{{Node: "n6", Info: idle + "aof_enabled:1\r\n", Left: []string{"appendonlydir/temp-appendonly.aof.incr"}}})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "temp-appendonly.aof.incr")
}
