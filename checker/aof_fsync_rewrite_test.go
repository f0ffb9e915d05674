package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRewriteStartFsyncSecond(t *testing.T) {
	const old, fresh = "appendonlydir/appendonly.aof.1.incr.aof", "appendonlydir/appendonly.aof.2.incr.aof"
	// n1's clock reads virtual time plus 10.5 s: 0.6 s and 0.9 s are both
	// second 11, 1.6 s second 12.
	run := func(next int64) AOFFsyncInput {
		in := everysecRun()
		in.Lines = []LogLine{{Node: "n1", At: 6 * sec / 10, Format: logRewriteIncr, Args: []string{"appendonly.aof.2.incr.aof"}}}
		in.Syncs = []FileSync{{At: 6 * sec / 10, Node: "n1", Path: old}, {At: next, Node: "n1", Path: fresh}}
		return in
	}
	assert.Empty(t, CheckRewriteStartFsyncSecond(run(16*sec/10)), "the next second")
	v := CheckRewriteStartFsyncSecond(run(9 * sec / 10))
	require.Len(t, v, 1, "the same second (mutant aof_rewrite.go:109:3 leaves aof_last_fsync as it was)")
	assert.Contains(t, v[0].Detail, "letting go of the old file")

	waiting := run(9 * sec / 10)
	waiting.Syncs = waiting.Syncs[1:]
	assert.Empty(t, CheckRewriteStartFsyncSecond(waiting), "no old file let go (the AOF was waiting): nothing set the second")
	always := run(9 * sec / 10)
	always.Settings[0].AppendFsync = "always"
	assert.Empty(t, CheckRewriteStartFsyncSecond(always))
}

func TestStartFsyncSecond(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	run := func(next int64) AOFFsyncInput {
		in := everysecRun()
		in.Lines = []LogLine{{Node: "n1", At: 6 * sec / 10, Format: logAOFOpened, Args: []string{"appendonly.aof.1.incr.aof"}}}
		in.Syncs = []FileSync{{At: next, Node: "n1", Path: incr}}
		return in
	}
	assert.Empty(t, CheckRewriteStartFsyncSecond(run(16*sec/10)), "the next second")
	v := CheckRewriteStartFsyncSecond(run(9 * sec / 10))
	require.Len(t, v, 1, "the start's second (mutant aof_open.go:142:2 leaves aof_last_fsync at 0)")
	assert.Contains(t, v[0].Detail, "the process's start")
}
