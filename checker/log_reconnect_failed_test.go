package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReconnectsAfterFailure(t *testing.T) {
	l := func(at int64, format, msg string) LogLine {
		return LogLine{Node: "n2", At: at, Format: format, Msg: msg}
	}
	failed := l(5, "%s", "I/O error trying to sync with MASTER: connection lost")
	again := l(5, logReconnectFailed, "Reconnecting to MASTER n1:6379 after failure")

	assert.Empty(t, reconnectsAfterFailure([]LogLine{failed, again, l(5, logSyncStarted, logSyncStarted)}))
	assert.Empty(t, reconnectsAfterFailure([]LogLine{failed}), "the process logged nothing more")
	v := reconnectsAfterFailure([]LogLine{failed, l(9, logConnecting, "Connecting to MASTER n1:6379")})
	require.Len(t, v, 1, "waited for the cron (mutant repl_replica.go:193:5)")
	assert.Contains(t, v[0].Detail, "reconnects at once")
	other := l(9, logConnecting, "Connecting to MASTER n1:6379")
	other.Proc = 1
	assert.Empty(t, reconnectsAfterFailure([]LogLine{failed, other}), "a new process")
	assert.Empty(t, reconnectsAfterFailure([]LogLine{l(5, "%s", "Error reply to PING from master: '-ERR no'"), l(9, logConnecting, "Connecting")}),
		"a handshake failure waits for the cron")
}
