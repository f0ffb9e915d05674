package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Mutant persist.go:89:3: serverCron never starts a scheduled rewrite.
func TestScheduledRewrites(t *testing.T) {
	node := func(scheduled, inProgress, bgsave, fails string) InfoCountersInput {
		return InfoCountersInput{Nodes: []InfoCountersNode{{Node: "n1", Info: "# Persistence\r\naof_rewrite_scheduled:" + scheduled +
			"\r\naof_rewrite_in_progress:" + inProgress + "\r\nrdb_bgsave_in_progress:" + bgsave +
			"\r\naof_rewrites_consecutive_failures:" + fails + "\r\n"}}}
	}
	v := CheckScheduledRewrites(node("1", "0", "0", "2"))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "aof_rewrite_scheduled:1 with no child running")
	assert.Empty(t, CheckScheduledRewrites(node("0", "0", "0", "0")))
	assert.Empty(t, CheckScheduledRewrites(node("1", "1", "0", "0")), "an AOF child runs")
	assert.Empty(t, CheckScheduledRewrites(node("1", "0", "1", "0")), "an RDB child runs")
	assert.Empty(t, CheckScheduledRewrites(node("1", "0", "0", "3")), "aofRewriteLimited")
}
