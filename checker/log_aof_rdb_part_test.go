package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFRDBPartAnnounced(t *testing.T) {
	loaded := func(name string) LogLine { return line(1, logAOFFileLoaded, "base", name, 0.0) }
	base := []LogLine{line(1, logReadingBase), loaded("appendonly.aof.2.base.rdb")}
	old := []LogLine{line(1, logReadingPreamble), loaded("appendonly.aof")}
	assert.Empty(t, checkAOFRDBPartAnnounced(append(base, old...)))

	swapped := []LogLine{line(1, logReadingPreamble), loaded("appendonly.aof.2.base.rdb")}
	v := checkAOFRDBPartAnnounced(swapped)
	require.Len(t, v, 1, "mutant aof_load.go:300:19 swaps the two")
	assert.Contains(t, v[0].Detail, logReadingBase)
	require.Len(t, checkAOFRDBPartAnnounced([]LogLine{line(1, logReadingBase), loaded("appendonly.aof")}), 1)
}
