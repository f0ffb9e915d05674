package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Nothing follows a report Redis exits on, in that process; the manifest
// report's own lines follow its header; another process may log on.
func TestFatalLinesLast(t *testing.T) {
	stat := line(5, "Unable to obtain the AOF file %s length. stat: %s", "appendonly.aof.1.incr.aof", "No such file or directory")
	again := line(5, "Fatal error loading the DB: %s. Exiting.", "x")
	v := fatalLinesLast([]LogLine{stat, again})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "Redis exits right after that report")
	next := again
	next.Proc = 1
	assert.Empty(t, fatalLinesLast([]LogLine{stat, next}), "the next process")
	report := []LogLine{line(5, logManifestFatal), line(5, "Reading the manifest file, at line %d\n", 2),
		line(5, ">>> '%s'\n", "file x"), line(5, "%s\n", "Invalid AOF file type")}
	assert.Empty(t, fatalLinesLast(report))
	require.Len(t, fatalLinesLast(append(report, again)), 1)
	crc := line(5, "Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error")
	require.Len(t, fatalLinesLast([]LogLine{crc, again}), 1, "matched by its start, whatever its format")
}
