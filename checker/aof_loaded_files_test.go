package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFLoadedFilesNameNonEmptyListedFiles(t *testing.T) {
	st := []AOFStart{{Node: "n1", Proc: 2, Files: []AOFStartFile{
		{Name: "a.aof.1.base.rdb", Type: "b", Size: 120},
		{Name: "a.aof.1.incr.aof", Type: "i", Size: 0},
		{Name: "a.aof.2.incr.aof", Type: "i", Size: 57},
	}}}
	loaded := func(kind, name string) LogLine {
		l := line(1, logAOFFileLoaded, kind, name, 0.0)
		l.Proc = 2
		return l
	}
	assert.Empty(t, CheckAOFLoadedFiles(st, []LogLine{loaded("base", "a.aof.1.base.rdb"), loaded("incr", "a.aof.2.incr.aof")}, nil))
	// A DEBUG LOADAOF after the start loads the files of its time.
	total := line(1, logAOFLoaded+": %.3f seconds", 0.0)
	total.Proc = 2
	assert.Empty(t, CheckAOFLoadedFiles(st, []LogLine{loaded("base", "a.aof.1.base.rdb"), loaded("incr", "a.aof.2.incr.aof"), total, loaded("base", "a.aof.2.base.rdb")}, nil))
	// Every file that was not empty gets its line before the total.
	missing := []LogLine{loaded("base", "a.aof.1.base.rdb"), total}
	vs := CheckAOFLoadedFiles(st, missing, nil)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "incr file a.aof.2.incr.aof (57 bytes as the process started) has no")
	// A read that flipped bits at the start may have read another
	// manifest (seed 13482).
	assert.Empty(t, CheckAOFLoadedFiles(st, missing, []DiskFault{{Op: "bitflip", Node: "n1", At: st[0].At}}))
	other := loaded("incr", "a.aof.1.incr.aof")
	other.Proc = 3
	assert.Empty(t, CheckAOFLoadedFiles(st, []LogLine{other}, nil), "another process is not judged")
	for name, tc := range map[string]struct {
		line LogLine
		want string
	}{
		"an empty file":       {loaded("incr", "a.aof.1.incr.aof"), "AOF_EMPTY"},
		"a file not listed":   {loaded("incr", "a.aof.3.incr.aof"), "did not list"},
		"the base as an incr": {loaded("incr", "a.aof.1.base.rdb"), "lists as base"},
	} {
		vs := CheckAOFLoadedFiles(st, []LogLine{tc.line}, nil)
		require.Len(t, vs, 1, name)
		assert.Equal(t, "node_log", vs[0].Check, name)
		assert.Contains(t, vs[0].Detail, tc.want, name)
	}
}
