package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A blocked WAIT with a timeout returns by the first full serverCron run
// past its deadline (mutant cmd_wait.go:45:3 drops the deadline).
func TestCheckWaitTimeouts(t *testing.T) {
	const clock0 = int64(1767225600000)
	// Runs every 100 ms from 0.1 s; the clock reads clock0 plus virtual ms.
	var crons []CronRun
	for i := int64(1); i <= 10; i++ {
		crons = append(crons, CronRun{Node: "n1", At: i * 100 * 1e6, ClockMs: clock0 + i*100})
	}
	wait := func(returnMs int64) WaitAck {
		return WaitAck{Master: "n1", Blocked: true, BlockedAt: 150 * 1e6, BlockedClockMs: clock0 + 150, TimeoutMs: 100, Want: 2, At: returnMs * 1e6}
	}
	// Deadline clock0+250: the run at 0.3 s is the first past it.
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{wait(300), wait(200)}, crons))
	v := CheckWaitTimeouts([]WaitAck{wait(301)}, crons)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "100 ms timeout")

	partial := append([]CronRun(nil), crons...)
	partial[2].Partial = true
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{wait(400)}, partial), "a run the node went down in is not a full pass")
	forever := wait(900)
	forever.TimeoutMs = 0
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{forever}, crons), "no timeout")
	atOnce := wait(900)
	atOnce.Blocked = false
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{atOnce}, crons), "answered at once")
	exact := append([]CronRun(nil), crons...)
	exact[1].ClockMs = clock0 + 250 // at the deadline, not past it
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{wait(300)}, exact))
}
