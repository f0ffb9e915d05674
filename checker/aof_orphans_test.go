package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFOrphans(t *testing.T) {
	idle := "aof_rewrite_in_progress:0\r\n"
	orphan := ManifestFile{Node: "n1", Path: "appendonlydir/appendonly.aof.manifest", Info: idle,
		Unlisted: []string{"appendonly.aof.1.incr.aof"}}
	v := CheckAOFOrphans([]ManifestFile{orphan})
	require.Len(t, v, 1, "%v", v)
	assert.Equal(t, "aof_manifest", v[0].Check)
	assert.Contains(t, v[0].Detail, "appendonly.aof.1.incr.aof")

	for name, excused := range map[string]func(f *ManifestFile){
		"nothing unlisted":  func(f *ManifestFile) { f.Unlisted = nil },
		"a disk fault":      func(f *ManifestFile) { f.DirFaultAny = true },
		"waiting":           func(f *ManifestFile) { f.Waiting = true },
		"a rewrite running": func(f *ManifestFile) { f.Info = "aof_rewrite_in_progress:1\r\n" },
	} {
		t.Run(name, func(t *testing.T) {
			f := orphan
			excused(&f)
			assert.Empty(t, CheckAOFOrphans([]ManifestFile{f}))
		})
	}
}
