package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestManifestReads(t *testing.T) {
	read := DiskFault{At: 10, Node: "n1", Op: "read", Path: "appendonlydir/appendonly.aof.manifest"}
	refused := func(detail string) NodeEvent {
		return NodeEvent{At: 10, Kind: EventRestartFailed, Node: "n1", Detail: detail}
	}
	assert.Empty(t, CheckManifestReads([]NodeEvent{refused("AOF manifest appendonlydir/appendonly.aof.manifest: Read AOF manifest failed")}, []DiskFault{read}))
	// What a failed read that went unnoticed would give: an empty manifest.
	vs := CheckManifestReads([]NodeEvent{refused("AOF manifest appendonlydir/appendonly.aof.manifest: Found an empty AOF manifest")}, []DiskFault{read})
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check)
	assert.Contains(t, vs[0].Detail, `n1: a read of its AOF manifest failed at 0.000000s, and its restart then was refused with "AOF manifest appendonlydir/appendonly.aof.manifest: Found an empty AOF manifest": Redis exits with "Read AOF manifest failed"`)
	// Another file's read, another instant, a bit flip: not judged.
	for _, f := range []DiskFault{
		{At: 10, Node: "n1", Op: "read", Path: "appendonlydir/appendonly.aof.1.incr.aof"},
		{At: 9, Node: "n1", Op: "read", Path: "appendonlydir/appendonly.aof.manifest"},
		{At: 10, Node: "n1", Op: "bitflip", Path: "appendonlydir/appendonly.aof.manifest"},
		{At: 10, Node: "n2", Op: "read", Path: "appendonlydir/appendonly.aof.manifest"},
	} {
		assert.Empty(t, CheckManifestReads([]NodeEvent{refused("Found an empty AOF manifest")}, []DiskFault{f}), "%+v", f)
	}
}
