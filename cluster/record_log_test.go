package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLogLinesOrderedAmongSettings: the lines SHUTDOWN makes a node log
// come before its going down in the record, though both are of one
// instant, so the node-log checker sees them while its AOF is still on.
func TestLogLinesOrderedAmongSettings(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	h.SetHealed(false) // in the fault window: no immediate restart
	require.NoError(t, h.Shutdown("n1", "SHUTDOWN"))
	h.RunFor(sim.Millisecond)
	require.False(t, h.Node("n1").up)

	in := h.LogInput()
	down := -1
	for i, c := range in.Settings {
		if c.Node == "n1" && c.Down {
			down = i
		}
	}
	require.GreaterOrEqual(t, down, 0, "%+v", in.Settings)
	var bye checker.LogLine
	for _, l := range in.Lines {
		if l.Node == "n1" {
			bye = l
		}
	}
	require.Equal(t, "Redis is now ready to exit, bye bye...", bye.Msg)
	assert.Equal(t, in.Settings[down].At, bye.At, "one instant")
	assert.Equal(t, down, bye.Settings, "the line was recorded just before the node went down")
	assert.Empty(t, checker.CheckNodeLog(in))
}

// TestLogInputHasClocks: the node-log checker reads the nodes' clocks,
// jumps included (a connect timeout after a clock jump backwards, seed
// 2010403).
func TestLogInputHasClocks(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	h.RunFor(sim.Second)
	_, err := h.JumpClock("n1", -5*sim.Second)
	require.NoError(t, err)
	in := h.LogInput()
	require.Len(t, in.Clocks["n1"].Segments, 2)
	assert.Equal(t, h.Clocks(), in.Clocks)
}

// TestChildRepliesRecorded: the operator's BGSAVE and BGREWRITEAOF replies
// are kept with the incarnation that gave them, for the child-jobs check.
func TestChildRepliesRecorded(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	h.RunFor(sim.Second)
	_, err := h.Exec("n1", "BGREWRITEAOF")
	require.NoError(t, err)
	h.RunFor(sim.Second)
	_, err = h.Exec("n1", "BGSAVE")
	require.NoError(t, err)
	_, err = h.Exec("n1", "PING")
	require.NoError(t, err)
	in := h.ChildJobsInput()
	require.Len(t, in.Replies, 2)
	assert.Equal(t, []string{"BGREWRITEAOF"}, in.Replies[0].Args)
	assert.Equal(t, "+Background append only file rewriting started", in.Replies[0].Reply)
	assert.Equal(t, "+Background saving started", in.Replies[1].Reply)
	assert.Equal(t, h.Node("n1").gen, in.Replies[1].Gen)
	assert.Empty(t, checker.CheckChildJobs(in))
}

// TestScheduledRewriteRecorded: a BGREWRITEAOF asked while a BGSAVE runs
// is scheduled, and the record of the node's serverCron runs shows the
// run that started it after the save's end, with the start line among its
// own lines, for the scheduled-jobs check.
func TestScheduledRewriteRecorded(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{AppendOnly: true}))
	h.RunFor(sim.Second)
	_, err := h.Exec("n1", "BGSAVE")
	require.NoError(t, err)
	v, err := h.Exec("n1", "BGREWRITEAOF")
	require.NoError(t, err)
	require.Equal(t, "Background append only file rewriting scheduled", v.String())
	h.RunFor(sim.Second)
	in := h.ScheduledJobsInput()
	require.Len(t, in.Replies, 2)
	scheduled := in.Replies[1]
	assert.Equal(t, scheduled.LogFrom, scheduled.LogTo, "BGREWRITEAOF logged nothing when it scheduled")
	var saveDone, started int
	for i, l := range in.Lines {
		switch l.Format {
		case "Background saving terminated with success":
			saveDone = i
		case "Background append only file rewriting started by pid %d":
			started = i
		}
	}
	require.Greater(t, started, saveDone)
	var by *checker.CronRun
	for i := range in.Crons {
		c := &in.Crons[i]
		if c.LogFrom <= started && started < c.LogTo {
			by = c
		}
	}
	require.NotNil(t, by, "the rewrite starts in a cron run")
	assert.Greater(t, by.LogFrom, saveDone, "after the save ended")
	assert.Equal(t, 2, by.Replies)
	assert.True(t, by.AppendOnly)
	assert.Empty(t, checker.CheckScheduledJobs(in))
}
