package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A replica lost in the event where its BGSAVE failed was told so first
// (mutant repl_master.go:458:3 dropped "SYNC failed. BGSAVE child returned
// an error").
func TestSyncFailuresLogged(t *testing.T) {
	inCall := func(ls ...LogLine) []LogLine {
		for i := range ls {
			ls[i].Call = 7
		}
		return ls
	}
	lost := line(3, logReplicaLost, "n2:6379")
	lost.Msg = "Connection with replica n2:6379 lost."
	failed := line(3, logSaveError)
	failed.Msg = logSaveError
	told := line(3, "%s", logSyncFailed)
	told.Msg = logSyncFailed
	assert.Empty(t, syncFailuresLogged(inCall(failed, told, lost)))
	v := syncFailuresLogged(inCall(failed, lost))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, logSyncFailed)
	dropped := line(3, "%s", logSendLastDropped)
	dropped.Msg = logSendLastDropped
	byKill := line(3, logSendBySignal, 10)
	assert.Empty(t, syncFailuresLogged(inCall(dropped, byKill, lost)), "seed 6103801: the last replica's loss killed the transfer")
	other := lost
	other.Call = 8
	assert.Empty(t, syncFailuresLogged(append(inCall(failed), other)), "a loss in another event")
}
