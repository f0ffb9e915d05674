package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPipeDoneCounts(t *testing.T) {
	streamed := func(r string) LogLine { return line(5, logStreamedRDB, r) }
	start := line(4, logSendStarted, 9)
	assert.Empty(t, pipeDoneCounts([]LogLine{start, line(5, logSendPipeDone, 2), streamed("n2:6380"), streamed("n3:6381")}))
	assert.Empty(t, pipeDoneCounts([]LogLine{start, line(5, logSendPipeDone, 2), streamed("n2:6380")}), "one dropped before the reap")

	v := pipeDoneCounts([]LogLine{start, line(5, logSendPipeDone, 1), streamed("n2:6380"), streamed("n3:6381")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "only replicas the pipe's end still had (1)")

	v = pipeDoneCounts([]LogLine{start, line(5, logSendLastDropped), streamed("n2:6380")})
	require.Len(t, v, 1, "a replica put online after the last one dropped (mutant repl_master.go:393:14)")
	assert.Empty(t, pipeDoneCounts([]LogLine{line(5, logSendLastDropped), line(5, logSendBySignal, 10), start, line(6, logSendPipeDone, 1), streamed("n2:6380")}), "a later transfer")
}

// A transfer's child is reaped before the process forks again (mutant
// repl_master.go:398:4 left out the reap's line).
func TestPipeDoneReapedBeforeTheNextFork(t *testing.T) {
	start, done := line(4, logSendStarted, 9), line(5, logSendPipeDone, 1)
	next := line(7, logSaveStarted, 10)
	assert.Empty(t, pipeDoneCounts([]LogLine{start, done, line(5, logSendDone), next}))
	v := pipeDoneCounts([]LogLine{start, done, next})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "not reaped")
}

// The pipe's end comes before any replica of the transfer is put online
// (mutant repl_master.go:398:4 left the line out).
func TestPipeDoneBeforeStreamed(t *testing.T) {
	start := line(4, logSendStarted, 9)
	v := pipeDoneCounts([]LogLine{start, line(5, logSendDone), line(5, logStreamedRDB, "n2:6380")})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with no end of the transfer's pipe logged")
}
