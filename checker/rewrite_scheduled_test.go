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

	// The child ended after the node's last serverCron run began: no run
	// since could start the rewrite (gate seed 3064905); one run after it
	// should have.
	late := node("1", "0", "0", "0")
	late.Crons = []CronRun{{Node: "n1", LogFrom: 0, LogTo: 0}}
	late.Lines = []LogLine{{Node: "n1", Format: logSaveDone, Msg: logSaveDone}}
	assert.Empty(t, CheckScheduledRewrites(late))
	late.Crons = append(late.Crons, CronRun{Node: "n1", LogFrom: 1, LogTo: 1})
	assert.Len(t, CheckScheduledRewrites(late), 1)
}
