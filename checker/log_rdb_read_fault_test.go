package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRDBReadFaultsReported(t *testing.T) {
	fault := func(op string) []DiskFault { return []DiskFault{{Node: "n1", At: 5e9, Op: op, Path: "dump.rdb"}} }
	openFatal := line(5, "Fatal error loading the DB: %s. Exiting.", "Input/output error")
	short := line(5, logRDBShortRead)
	internal := line(5, "Internal error in RDB reading offset %d, function at rdb.c:3249 -> Unexpected EOF reading RDB file", 0)
	assert.Empty(t, rdbReadFaultsReported([]LogLine{openFatal}, fault("open")))
	assert.Empty(t, rdbReadFaultsReported([]LogLine{short, internal}, fault("read")))
	// A fault on another file, or at a load that did not fail.
	assert.Empty(t, rdbReadFaultsReported([]LogLine{line(5, "DB loaded from disk")}, fault("read")))
	other := fault("open")
	other[0].Path = "temp-4.rdb"
	assert.Empty(t, rdbReadFaultsReported([]LogLine{line(5, "Fatal error loading the DB: %s. Exiting.", "loading dump.rdb: x")}, other))

	// The node's own error text instead of Redis's line.
	goText := line(5, "Fatal error loading the DB: %s. Exiting.", "loading dump.rdb: disksim: open dump.rdb: input/output error")
	vs := rdbReadFaultsReported([]LogLine{goText}, fault("open"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "failed fopen")
	vs = rdbReadFaultsReported([]LogLine{openFatal}, fault("read"))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "Short read or OOM")
}
