package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A start opens the manifest's last incr file when it lists one, and
// creates one only when it lists none.
func TestCheckAOFStartOpens(t *testing.T) {
	withIncr := []AOFStart{{Node: "n1", At: 5e9, Last: "appendonly.aof.3.incr.aof", Incr: true}}
	baseOnly := []AOFStart{{Node: "n1", At: 5e9, Last: "appendonly.aof.2.base.rdb"}}
	opened := []LogLine{line(5, logAOFOpened, "appendonly.aof.3.incr.aof")}
	created := []LogLine{line(5, logAOFCreatedAtStart, "appendonly.aof.3.incr.aof")}

	assert.Empty(t, CheckAOFStartOpens(withIncr, opened, nil))
	assert.Empty(t, CheckAOFStartOpens(baseOnly, created, nil))

	v := CheckAOFStartOpens(withIncr, created, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "listed incr files up to appendonly.aof.3.incr.aof")
	require.Len(t, CheckAOFStartOpens(baseOnly, opened, nil), 1)
	other := []LogLine{line(5, logAOFOpened, "appendonly.aof.2.incr.aof")}
	require.Len(t, CheckAOFStartOpens(withIncr, other, nil), 1, "not the last incr file")

	// Another process's lines, or a start whose reads a fault hit, are
	// not judged.
	later := []LogLine{line(6, logAOFCreatedAtStart, "appendonly.aof.4.incr.aof")}
	assert.Empty(t, CheckAOFStartOpens(withIncr, later, nil))
	assert.Empty(t, CheckAOFStartOpens(withIncr, created, []DiskFault{{Node: "n1", At: 5e9, Op: "bitflip"}}))
}
