package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckOpenFiles(t *testing.T) {
	manifest := "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.4.incr.aof seq 4 type i\n"
	node := func(aof bool, hs ...OpenFile) OpenFilesNode {
		return OpenFilesNode{Node: "n1", AOFOn: aof, Dir: "appendonlydir", Manifest: manifest, Handles: hs}
	}
	incr := OpenFile{Path: "appendonlydir/appendonly.aof.4.incr.aof", Write: true}
	assert.Empty(t, CheckOpenFiles([]OpenFilesNode{node(true, incr), node(false), node(true)}),
		"the current incr file while the AOF is on; nothing with it off (or not opened)")
	faulted := node(true, OpenFile{Path: "appendonlydir/appendonly.aof.3.incr.aof", Write: true})
	faulted.DirFaulted = true
	assert.Empty(t, CheckOpenFiles([]OpenFilesNode{faulted}), "a switch to a new incr file that failed after its manifest")

	temp := OpenFile{Path: "appendonlydir/temp-appendonly.aof.incr", Write: true}
	waiting := func(hs ...OpenFile) OpenFilesNode {
		n := node(true, hs...)
		n.Waiting, n.TempIncr = true, "temp-appendonly.aof.incr"
		return n
	}
	gone := OpenFile{Path: "appendonlydir/appendonly.aof.5.incr.aof", Write: true, Deleted: true}
	kept := waiting(incr)
	kept.DirFaulted = true
	assert.Empty(t, CheckOpenFiles([]OpenFilesNode{waiting(temp), waiting(), waiting(gone), kept}),
		"the temp incr file while the AOF waits for its rewrite (or none: the rewrite is scheduled)")

	for name, c := range map[string]struct {
		n    OpenFilesNode
		want string
	}{
		"a manifest left open":               {node(true, OpenFile{Path: "appendonlydir/appendonly.aof.manifest"}, incr), "open for reading"},
		"an RDB left open":                   {node(false, OpenFile{Path: "dump.rdb", Write: true}), "appendonly false"},
		"the incr file with AOF off":         {node(false, incr), "appendonly false"},
		"two files appended to":              {node(true, incr, OpenFile{Path: "appendonlydir/temp-rewriteaof-1.aof", Write: true}), "holds appendonlydir/appendonly.aof.4.incr.aof, appendonlydir/temp-rewriteaof-1.aof open"},
		"the temp incr file with the AOF on": {node(true, temp), "current incr file is"},
		"the incr file while waiting":        {waiting(incr), "while its AOF waits"},
		"a removed file, the AOF on":         {node(true, gone), "current incr file is"},
		"an old incr file":                   {node(true, OpenFile{Path: "appendonlydir/appendonly.aof.3.incr.aof", Write: true}), "current incr file is appendonlydir/appendonly.aof.4.incr.aof"},
	} {
		v := CheckOpenFiles([]OpenFilesNode{c.n})
		if assert.Len(t, v, 1, name) {
			assert.Equal(t, PropOpenFiles, v[0].Check)
			assert.Contains(t, v[0].Detail, c.want, name)
		}
	}
}
