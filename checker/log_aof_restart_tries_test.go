package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// restartAOFAfterSYNC logs ten failed tries, then its FATAL line; an
// eleventh try (mutant node/aof_start.go: try < aofRestartTries made <=)
// or an exit after fewer is not Redis's.
func TestAOFRestartTriesKept(t *testing.T) {
	run := func(fails int, fatal bool) []LogLine {
		ls := []LogLine{line(1, logLoadingDB)}
		for range fails {
			ls = append(ls, line(1, logAOFEnableFailed), line(1, logAOFRestartRetry))
		}
		if fatal {
			ls = append(ls, line(1, logAOFRestartFatal))
		}
		return ls
	}
	assert.Empty(t, aofRestartTriesKept(run(10, true)))
	assert.Empty(t, aofRestartTriesKept(run(3, false)), "a later try succeeded")
	two := append(run(6, false), run(7, false)...)
	assert.Empty(t, aofRestartTriesKept(two), "each sync counts its own tries")

	vs := aofRestartTriesKept(run(11, true))
	require.Len(t, vs, 3)
	assert.Contains(t, vs[0].Detail, "after the tenth")
	assert.Contains(t, vs[1].Detail, "for the 11th time in a row")
	// The tenth failure, then the incarnation runs on.
	vs = aofRestartTriesKept(append(run(10, false), line(2, "Synchronization with replica n3:6381 succeeded")))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "after the tenth")
	vs = aofRestartTriesKept(run(9, true))
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "after 9 failed tries in a row")
}

// restartAOFAfterSYNC's failed try follows startAppendOnly's failure line
// (mutant aof_start.go:27:4 left that line out).
func TestAOFRestartFailuresExplained(t *testing.T) {
	line := func(msg string) LogLine { return LogLine{Node: "n2", Proc: 1, Msg: msg} }
	assert.Empty(t, aofRestartFailuresExplained([]LogLine{line(logAOFEnableFailed), line(logAOFRestartRetry)}))
	v := aofRestartFailuresExplained([]LogLine{line("Can't rewrite append only file in background: fork: Cannot allocate memory"), line(logAOFRestartRetry)})
	if assert.Len(t, v, 1, "the corrupted history: the enable's failure unlogged") {
		assert.Contains(t, v[0].Detail, "startAppendOnly fails only when its rewrite cannot start")
	}
	other := line(logAOFEnableFailed)
	other.Proc = 2
	assert.Len(t, aofRestartFailuresExplained([]LogLine{other, line(logAOFRestartRetry)}), 1, "another process's line")
}
