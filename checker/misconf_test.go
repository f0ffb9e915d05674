package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The RDB MISCONF refusal needs a failed background save in force at some
// instant of the call, in the incarnation that answered.
func TestMisconfNeedsFailedSave(t *testing.T) {
	refused := func(call, ret int64) []Op {
		op := set(5, "k1", "x", call*1e9, ret*1e9)
		op.Err = rdbMisconf + ", but it's currently unable to persist to disk."
		return []Op{op}
	}
	failed, saved := line(10, logSaveError), line(20, logDBSaved)
	assert.Empty(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), failed, saved}))
	assert.Empty(t, CheckMisconf(refused(19, 21), []LogLine{line(0, "Server initialized"), failed, saved}), "the save succeeded during the call")
	v := CheckMisconf(refused(22, 23), []LogLine{line(0, "Server initialized"), failed, saved})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "Redis refuses writes only while lastbgsave_status is err")
	require.Len(t, CheckMisconf(refused(5, 6), []LogLine{line(0, "Server initialized")}), 1, "no failure in this process")
	killed := line(10, logSaveBySignal, 10)
	require.Len(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), killed}), 1, "SIGUSR1 leaves the status alone")
	restarted := line(11, "Server initialized")
	restarted.Gen = 1
	require.Len(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), failed, restarted}), 1, "a new process starts with ok")
}
