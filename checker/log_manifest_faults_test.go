package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A failed write of the temp manifest is logged at once; other files'
// faults are not this rule's.
func TestManifestFaultsLogged(t *testing.T) {
	fault := DiskFault{At: 5e9, Node: "n1", Op: "sync", Path: "appendonlydir/temp-appendonly.aof.manifest"}
	logged := line(5, "Fail to fsync the temp AOF file %s: %s.", "temp-appendonly.aof.manifest", "Input/output error")
	assert.Empty(t, manifestFaultsLogged([]LogLine{logged}, []DiskFault{fault}))
	v := manifestFaultsLogged(nil, []DiskFault{fault})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "logged none of writeAofManifestFile's lines")
	other := fault
	other.Path = "appendonlydir/appendonly.aof.1.incr.aof"
	assert.Empty(t, manifestFaultsLogged(nil, []DiskFault{other}))
}
