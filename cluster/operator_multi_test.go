package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminMultiSchedules: inside MULTI/EXEC, BGREWRITEAOF and BGSAVE are
// scheduled and CONFIG SET appendonly yes schedules the AOF's first
// rewrite; serverCron starts each at its next run, and the config file
// keeps appendonly yes.
func TestAdminMultiSchedules(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	h.RunFor(sim.Second)
	require.NoError(t, h.AdminMulti("n1", "CONFIG", "SET", "appendonly", "yes"))
	assert.True(t, h.Node("n1").cfg.AppendOnly, "kept in the config file")
	h.RunFor(sim.Second)
	require.NoError(t, h.AdminMulti("n1", "BGREWRITEAOF"))
	h.RunFor(sim.Second)
	require.NoError(t, h.AdminMulti("n1", "BGSAVE"))
	h.RunFor(sim.Second)

	in := h.ScheduledJobsInput()
	require.Len(t, in.Replies, 2)
	for _, r := range in.Replies {
		assert.True(t, r.InExec)
	}
	assert.Equal(t, "+Background append only file rewriting scheduled", in.Replies[0].Reply)
	assert.Equal(t, "+Background saving scheduled", in.Replies[1].Reply)
	var formats []string
	for _, l := range in.Lines {
		formats = append(formats, l.Format)
	}
	assert.Contains(t, formats, "AOF was enabled during a transaction. An AOF background was scheduled to start when possible.")
	starts := 0
	for _, f := range formats {
		if f == "Background append only file rewriting started by pid %d" || f == "Background saving started by pid %d" {
			starts++
		}
	}
	assert.Equal(t, 3, starts, "the AOF's first rewrite, the scheduled rewrite, the scheduled BGSAVE")
	assert.Empty(t, checker.CheckScheduledJobs(in))
	assert.Empty(t, checker.CheckChildJobs(h.ChildJobsInput()))
}
