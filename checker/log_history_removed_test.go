package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHistoryRemoved(t *testing.T) {
	l := func(at int64, format string, args ...string) LogLine {
		return LogLine{Node: "n1", At: at, Format: format, Args: args, Msg: format}
	}
	start := []LogLine{l(0, logAOFCreatedAtStart, "appendonly.aof.1.incr.aof"), l(5, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof")}
	done := func(removed ...string) []LogLine {
		out := append(append([]LogLine(nil), start...), l(9, logAOFRWSuccess))
		for _, r := range removed {
			out = append(out, l(9, logHistoryRemoved, r))
		}
		return append(out, l(9, logRewriteOK))
	}
	assert.Empty(t, historyRemoved(done("appendonly.aof.1.incr.aof", "appendonly.aof.1.base.rdb")))
	v := historyRemoved(done("appendonly.aof.1.base.rdb"))
	require.Len(t, v, 1, "the left incr file kept (mutant aof_manifest.go:92:3)")
	assert.Contains(t, v[0].Detail, "without removing appendonly.aof.1.incr.aof")

	// A failed rewrite leaves its incr files to the next success.
	failed := append(append([]LogLine(nil), start...), l(7, logAOFRWErrorBare), l(8, logAOFCreatedOnRW, "appendonly.aof.3.incr.aof"),
		l(9, logAOFRWSuccess), l(9, logHistoryRemoved, "appendonly.aof.1.incr.aof"), l(9, logRewriteOK))
	v = historyRemoved(failed)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "appendonly.aof.2.incr.aof")

	// Turning the AOF on leaves no incr file; a failed one removes the
	// incr file it renamed.
	on := []LogLine{l(5, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), l(6, logRWRenamedIncr, "temp-appendonly.aof.incr", "appendonly.aof.2.incr.aof"),
		l(6, logAOFRWManifest), l(7, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), l(8, logAOFRWSuccess), l(8, logRewriteOK)}
	on[2].Msg = "Can't persist the AOF manifest after the rewrite: disk error"
	assert.Empty(t, historyRemoved(on))
	assert.Empty(t, historyRemoved([]LogLine{l(5, logAOFCreatedOnRW, "appendonly.aof.2.incr.aof"), l(9, logRewriteOK)}), "a loaded manifest: nothing known")
	// A rewrite with the AOF off makes every incr file history; turning
	// the AOF on later leaves none (the real Redis of
	// TestAOFLogGrammarHoldsForRealRedis).
	off := append(done("appendonly.aof.1.incr.aof"), l(10, logAOFRWStarted), l(11, logAOFRWSuccess),
		l(11, logHistoryRemoved, "appendonly.aof.2.incr.aof"), l(11, logRewriteOK),
		l(12, logAOFCreatedOnRW, "temp-appendonly.aof.incr"), l(13, logAOFRWSuccess), l(13, logRewriteOK))
	assert.Empty(t, historyRemoved(off))
	// A real Redis's lines carry their own milliseconds.
	late := done("appendonly.aof.1.incr.aof")
	late[len(late)-1].At = 10
	assert.Empty(t, historyRemoved(late), "removed a millisecond before the line")
}
