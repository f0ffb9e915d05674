package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFLoadTotals(t *testing.T) {
	base := line(1, logAOFFileLoaded, "base", "appendonly.aof.1.base.rdb", 0.001)
	total := line(1, "DB loaded from append only file: %.3f seconds", 0.002)
	opened := line(1, logAOFOpened, "appendonly.aof.1.incr.aof")
	created := line(1, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof")
	assert.Empty(t, aofLoadTotals([]LogLine{base, total, opened}))
	assert.Empty(t, aofLoadTotals([]LogLine{created}), "nothing loaded")

	v := aofLoadTotals([]LogLine{base, created})
	require.Len(t, v, 1, "a manifest with a base and no incr file (mutant aof_manifest.go:37:59)")
	assert.Contains(t, v[0].Detail, "loadDataFromDisk logs it for any load that read a file")
}
