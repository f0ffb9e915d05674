package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaitingRewriteRenamesIncr(t *testing.T) {
	waitingRewrite := func(renamed bool) []LogLine {
		ls := []LogLine{
			line(1, logAOFCreatedOnRW, "temp-appendonly.aof.incr"),
			line(1, logAOFRWStarted, 7),
			line(2, logAOFRWSuccess),
			line(2, logRWRenamedBase, "temp-rewriteaof-bg-7.aof", "appendonly.aof.1.base.rdb"),
		}
		if renamed {
			ls = append(ls, line(2, logRWRenamedIncr, "temp-appendonly.aof.incr", "appendonly.aof.1.incr.aof"))
		}
		return append(ls, line(2, logAOFRWFinished))
	}
	assert.Empty(t, checkWaitingRewriteRenamesIncr(waitingRewrite(true)))
	v := checkWaitingRewriteRenamesIncr(waitingRewrite(false))
	require.Len(t, v, 1, "the rename line left out (mutant aof_rewrite.go:152:3)")
	assert.Contains(t, v[0].Detail, "while the AOF waited for it")

	normal := []LogLine{
		line(1, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"),
		line(1, logAOFRWStarted, 7),
		line(2, logAOFRWSuccess),
		line(2, logRWRenamedBase, "temp-rewriteaof-bg-7.aof", "appendonly.aof.2.base.rdb"),
		line(2, logAOFRWFinished),
	}
	assert.Empty(t, checkWaitingRewriteRenamesIncr(normal), "an AOF already on opens a new incr file, renamed by nothing")

	other := waitingRewrite(false)
	for i := 2; i < len(other); i++ {
		other[i].Proc = 1
	}
	assert.Empty(t, checkWaitingRewriteRenamesIncr(other), "another process's end")
}
