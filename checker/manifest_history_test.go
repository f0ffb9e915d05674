package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestManifestHistory(t *testing.T) {
	const text = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
	idle := "aof_rewrite_in_progress:0\r\n"
	f := ManifestFile{Node: "n1", Path: "appendonlydir/appendonly.aof.manifest", Text: text, Info: idle}
	v := CheckManifestHistory([]ManifestFile{f})
	require.Len(t, v, 1)
	assert.Equal(t, "aof_manifest", v[0].Check)
	assert.Contains(t, v[0].Detail, "still lists history files appendonly.aof.1.incr.aof")

	clean := f
	clean.Text = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
	faulted, gcOff, rewriting := f, f, f
	faulted.DiskFaulted, gcOff.AutoGCOff, rewriting.Info = true, true, "aof_rewrite_in_progress:1\r\n"
	assert.Empty(t, CheckManifestHistory([]ManifestFile{clean, faulted, gcOff, rewriting}))
}
