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
		return WaitAck{Master: "n1", Blocked: true, BlockedAt: 150 * 1e6, BlockedClockMs: clock0 + 150, TimeoutMs: 100, Want: 2,
			At: returnMs * 1e6, ReturnClockMs: clock0 + returnMs, Conns: []string{"n2:1", "n3:1"}}
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

// A WAIT short of its replicas timed out: its master's clock was past
// the deadline, unless CLIENT UNBLOCK ended it (mutant cmd_wait.go:90:49
// times it out at the deadline).
func TestCheckWaitTimeoutsNotEarly(t *testing.T) {
	w := WaitAck{Master: "n1", Blocked: true, BlockedClockMs: 1000, TimeoutMs: 100, Want: 2, Conns: []string{"n2:1"}, ReturnClockMs: 1100}
	v := CheckWaitTimeouts([]WaitAck{w}, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "not past the deadline")
	w.ReturnClockMs = 1101
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{w}, nil))
	w.ReturnClockMs, w.Unblocked = 1050, true
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{w}, nil), "CLIENT UNBLOCK")
	w.Unblocked, w.Conns = false, []string{"n2:1", "n3:1"}
	assert.Empty(t, CheckWaitTimeouts([]WaitAck{w}, nil), "it had its replicas")
}

// A WAIT 9 1 that never returned though its master ran serverCron past
// its deadline (mutant cmd_wait.go:45:15 gave a 1 ms timeout no
// deadline).
func TestCheckPendingWaits(t *testing.T) {
	const clock0 = int64(1767225600000)
	var crons []CronRun
	for i := int64(1); i <= 10; i++ {
		crons = append(crons, CronRun{Node: "n1", At: i * 100 * 1e6, ClockMs: clock0 + i*100})
	}
	pending := WaitAck{Master: "n1", Client: 3, Blocked: true, BlockedAt: 150 * 1e6, BlockedClockMs: clock0 + 150, TimeoutMs: 1, Want: 9,
		At: 2150 * 1e6, Pending: true}
	op := Op{Client: 3, Node: "n1", Kind: OpRead, Args: []string{"WAIT", "9", "1"}, Call: 149 * 1e6, Return: 2149 * 1e6, Unknown: true}
	v := CheckPendingWaits([]WaitAck{pending}, crons, []Op{op})
	require.Len(t, v, 1, "the corrupted history: never timed out")
	assert.Contains(t, v[0].Detail, "had not answered it at 2.150000s, though its serverCron at 0.200000s")

	answered := op
	answered.Unknown, answered.Err = false, "UNBLOCKED client unblocked via CLIENT UNBLOCK"
	assert.Empty(t, CheckPendingWaits([]WaitAck{pending}, crons, []Op{answered}), "CLIENT UNBLOCK ... ERROR answered it")
	early := pending
	early.At = 190 * 1e6
	assert.Empty(t, CheckPendingWaits([]WaitAck{early}, crons, []Op{op}), "given up before a cron past the deadline")
	none := pending
	none.TimeoutMs = 0
	assert.Empty(t, CheckPendingWaits([]WaitAck{none}, crons, []Op{op}), "no timeout")
}

// A blocked WAIT answered with its count must have its return reported
// (mutant cmd_wait.go:93:4 left out the report).
func TestPendingWaitAnsweredUnreported(t *testing.T) {
	pending := WaitAck{Master: "n1", Client: 3, Blocked: true, BlockedAt: 150 * 1e6, TimeoutMs: 100, Want: 2, At: 400 * 1e6, Pending: true}
	op := Op{Client: 3, Node: "n1", Kind: OpWait, Call: 149 * 1e6, Return: 260 * 1e6, Reply: "(integer) 1", Int: 1}
	v := CheckPendingWaits([]WaitAck{pending}, nil, []Op{op})
	require.Len(t, v, 1, "the corrupted history: answered, no return reported")
	assert.Contains(t, v[0].Detail, "reported no return of it")
	op.Err = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
	assert.Empty(t, CheckPendingWaits([]WaitAck{pending}, nil, []Op{op}), "an error ends a WAIT without a return")
}
