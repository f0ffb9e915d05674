package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRewriteEndLine(t *testing.T) {
	name, done := RewriteEndLine(logRWRenamedBase, []string{"temp-rewriteaof-bg-3.aof", "appendonly.aof.4.base.rdb"})
	assert.Equal(t, "appendonly.aof.4.base.rdb", name)
	assert.False(t, done)
	name, _ = RewriteEndLine(logRWRenamedIncr, []string{"temp-appendonly.aof.incr", "appendonly.aof.5.incr.aof"})
	assert.Equal(t, "appendonly.aof.5.incr.aof", name)
	name, done = RewriteEndLine(logAOFRWFinished, nil)
	assert.Equal(t, "", name)
	assert.True(t, done)
	name, done = RewriteEndLine(logRWRenameIncrErr, []string{"a", "b", "c"})
	assert.Equal(t, "", name)
	assert.False(t, done)
}

func TestRewriteEnds(t *testing.T) {
	const base, incr = "appendonlydir/appendonly.aof.4.base.rdb", "appendonlydir/appendonly.aof.5.incr.aof"
	// The temp incr file's rename failed and the new base stayed.
	kept := RewriteEnd{Node: "n1", Gen: 2, At: 100, Renamed: []string{base}, Left: []bool{true}}
	v := CheckRewriteEnds([]RewriteEnd{kept}, nil)
	require.Len(t, v, 1)
	assert.Equal(t, PropRewriteEnds, v[0].Check)
	assert.Contains(t, v[0].Detail, base)
	assert.Equal(t, int64(100), v[0].At)

	// The manifest's persist failed and the new incr file stayed.
	incrKept := RewriteEnd{Node: "n1", Gen: 2, At: 200, Renamed: []string{base, incr}, Left: []bool{false, true}}
	v = CheckRewriteEnds([]RewriteEnd{incrKept}, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, incr)
	assert.NotContains(t, v[0].Detail, base)

	excused := []RewriteEnd{
		{Node: "n1", At: 300, Renamed: []string{base, incr}, Left: []bool{true, true}, Finished: true},
		{Node: "n1", At: 400, Renamed: []string{base}, Left: []bool{false}},
		kept,
	}
	faults := []DiskFault{{At: 100, Node: "n1", Op: "remove", Path: base}}
	assert.Empty(t, CheckRewriteEnds(excused, faults), "a rewrite that finished, files removed, a removal a fault failed")

	other := []DiskFault{{At: 100, Node: "n2", Op: "remove", Path: base}, {At: 99, Node: "n1", Op: "remove", Path: base},
		{At: 100, Node: "n1", Op: "rename", Path: base}}
	assert.Len(t, CheckRewriteEnds([]RewriteEnd{kept}, other), 1, "faults on another node, at another instant, of another kind")
}
