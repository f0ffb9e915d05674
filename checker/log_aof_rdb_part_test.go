package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFRDBPartAnnounced(t *testing.T) {
	loaded := func(name string) LogLine { return line(1, logAOFFileLoaded, "base", name, 0.0) }
	base := []LogLine{line(1, logReadingBase), loaded("appendonly.aof.2.base.rdb")}
	old := []LogLine{line(1, logReadingPreamble), line(1, logReadingTail), loaded("appendonly.aof")}
	assert.Empty(t, checkAOFRDBPartAnnounced(append(base, old...)))

	swapped := []LogLine{line(1, logReadingPreamble), line(1, logReadingTail), loaded("appendonly.aof.2.base.rdb")}
	v := checkAOFRDBPartAnnounced(swapped)
	require.Len(t, v, 1, "mutant aof_load.go:300:19 swaps the two")
	assert.Contains(t, v[0].Detail, logReadingBase)
	require.Len(t, checkAOFRDBPartAnnounced([]LogLine{line(1, logReadingBase), loaded("appendonly.aof")}), 1)

	// Mutant aof_load.go:342:4 left out the tail's line.
	v = checkAOFRDBPartAnnounced([]LogLine{line(1, logReadingPreamble), loaded("appendonly.aof")})
	require.Len(t, v, 1, "the corrupted log: no tail line after the preamble")
	assert.Contains(t, v[0].Detail, logReadingTail)
}

func TestAOFFileKinds(t *testing.T) {
	ok := []LogLine{line(1, logAOFFileLoaded, "base", "appendonly.aof.2.base.rdb", 0.0), line(1, logAOFFileLoaded, "incr", "appendonly.aof.2.incr.aof", 0.0),
		line(1, logAOFFileLoaded, "base", "appendonly.aof", 0.0)}
	assert.Empty(t, checkAOFFileKinds(ok))
	v := checkAOFFileKinds([]LogLine{line(1, logAOFFileLoaded, "incr", "appendonly.aof.2.base.rdb", 0.0), line(1, logAOFFileLoaded, "base", "appendonly.aof.2.incr.aof", 0.0)})
	require.Len(t, v, 2, "the kinds swapped (mutant aof_load.go:267:8)")
}
