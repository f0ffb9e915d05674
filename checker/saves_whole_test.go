package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A success line over a file that does not read back whole is a save
// that ignored a write error; whole files pass.
func TestSavesWholeFlagsAShortFile(t *testing.T) {
	saves := []SavedFile{
		{Node: "n1", At: 1e9, Line: "DB saved on disk", File: "dump.rdb"},
		{Node: "n2", At: 2e9, Line: "DB saved on disk", File: "dump.rdb", Err: "40 bytes: unexpected EOF"},
		{Node: "n3", At: 3e9, Line: "Background AOF rewrite finished successfully", File: "appendonlydir/appendonly.aof.2.base.aof", Err: "its 17 bytes end inside a command"},
	}
	vs := CheckSavesWhole(saves)
	require.Len(t, vs, 2)
	assert.Equal(t, []string{"n2"}, vs[0].Nodes)
	assert.Contains(t, vs[0].Detail, `n2 logged "DB saved on disk" at 2.000000s, but dump.rdb does not read back whole: 40 bytes: unexpected EOF`)
	assert.Contains(t, vs[1].Detail, "appendonly.aof.2.base.aof does not read back whole")
}
