package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sjBuilder builds a ScheduledJobsInput for node n1 in the order things
// happen, times in ms of virtual time (the node's clock reads the same).
type sjBuilder struct {
	in  ScheduledJobsInput
	gen int
	aof bool // appendonly, as the cron runs see it
}

func newSJ() *sjBuilder {
	return &sjBuilder{aof: true, in: ScheduledJobsInput{Starts: []ProcessStart{{Node: "n1", Proc: 0, ClockMs: 0}}}}
}

func (b *sjBuilder) logLine(ms int64, format string) LogLine {
	return LogLine{Node: "n1", Gen: b.gen, At: ms * 1e6, ClockMs: ms, Format: format, Msg: format}
}

// line is a line logged outside a cron run (a command, a job's end).
func (b *sjBuilder) line(ms int64, formats ...string) *sjBuilder {
	for _, f := range formats {
		b.in.Lines = append(b.in.Lines, b.logLine(ms, f))
	}
	return b
}

// reply is the operator's command args answered reply at ms, after
// logging lines.
func (b *sjBuilder) reply(ms int64, reply string, lines []string, args ...string) *sjBuilder {
	from := len(b.in.Lines)
	b.line(ms, lines...)
	b.in.Replies = append(b.in.Replies, ChildReply{Node: "n1", Gen: b.gen, Call: ms * 1e6, Return: ms * 1e6,
		LogFrom: from, LogTo: len(b.in.Lines), Args: args, Reply: reply})
	return b
}

// cron is a serverCron run at ms that logged lines, all in its
// persistence part.
func (b *sjBuilder) cron(ms int64, lines ...string) *sjBuilder {
	return b.heldCron(ms, nil, lines...)
}

// heldCron is a serverCron run at ms that first ran held events, which
// logged held, then its persistence part, which logged lines.
func (b *sjBuilder) heldCron(ms int64, held []string, lines ...string) *sjBuilder {
	c := CronRun{Node: "n1", Gen: b.gen, At: ms * 1e6, ClockMs: ms, LogFrom: len(b.in.Lines), Replies: len(b.in.Replies), AppendOnly: b.aof}
	b.line(ms, held...)
	c.PersistRan, c.PersistFrom = true, len(b.in.Lines)
	b.line(ms, lines...)
	c.LogTo = len(b.in.Lines)
	b.in.Crons = append(b.in.Crons, c)
	return b
}

func (b *sjBuilder) check() []Violation { return CheckScheduledJobs(b.in) }

// TestScheduledJobsAcceptsTrueHistory: a rewrite asked while a BGSAVE runs
// starts at the first cron run after the save ended; a BGSAVE SCHEDULE
// while that rewrite runs starts at the first run after it; a cron run
// with a child running starts nothing.
func TestScheduledJobsAcceptsTrueHistory(t *testing.T) {
	b := newSJ().
		cron(100).
		reply(120, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
		cron(200).
		reply(250, replyRWScheduled, nil, "BGREWRITEAOF").
		reply(260, replySaveRunning, nil, "BGSAVE", "SCHEDULE").
		cron(300).
		line(350, logSaveDone).
		cron(400, logAOFCreatedOnRW, logAOFRWStarted).
		reply(420, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").
		reply(430, replySaveOtherKid, nil, "BGSAVE").
		reply(440, replyRWRunning, nil, "BGREWRITEAOF").
		cron(500).
		line(550, logAOFRWSuccess, logAOFRWFinished).
		cron(600, logSaveStarted).
		line(650, logSaveDone).
		cron(700).
		cron(800)
	require.Empty(t, b.check())
}

// TestScheduledJobsFlagsRewriteNeverStarted is BGREWRITEAOF answered
// "scheduled" without the flag set (mutant node/cmd_persist.go:68:3:remove):
// the save ends and no cron run starts the rewrite.
func TestScheduledJobsFlagsRewriteNeverStarted(t *testing.T) {
	b := newSJ().
		reply(120, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
		reply(250, replyRWScheduled, nil, "BGREWRITEAOF").
		cron(300).
		line(350, logSaveDone).
		cron(400).
		cron(500)
	v := b.check()
	require.Len(t, v, 1)
	assert.Equal(t, PropScheduledJobs, v[0].Check)
	assert.Contains(t, v[0].Detail, "its serverCron run at 0.400000s neither started it nor logged a failure to start it")
	assert.Equal(t, int64(400e6), v[0].At)
}

// TestScheduledJobsEnableLines: the AOF turned on while another child runs
// (or inside EXEC) schedules its first rewrite (mutant
// node/aof_start.go:18:3:remove leaves it unscheduled).
func TestScheduledJobsEnableLines(t *testing.T) {
	for _, enable := range []string{logEnabledOtherChild, logEnabledInExec} {
		t.Run(enable[:30], func(t *testing.T) {
			ok := newSJ().
				reply(120, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
				line(150, enable).
				line(350, logSaveDone).
				cron(400, logAOFRWStarted)
			assert.Empty(t, ok.check())
			bad := newSJ().
				reply(120, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
				line(150, enable).
				line(350, logSaveDone).
				cron(400)
			v := bad.check()
			require.Len(t, v, 1)
			assert.Contains(t, v[0].Detail, fmt.Sprintf("the line %q", enable))
		})
	}
}

// TestScheduledJobsRewriteAfterFailedEnable: a rewrite that was to turn
// the AOF on and failed schedules another (backgroundRewriteDoneHandler's
// cleanup with AOF_WAIT_REWRITE), which the next cron run starts; after
// three failures in a row aofRewriteLimited holds it back.
func TestScheduledJobsRewriteAfterFailedEnable(t *testing.T) {
	failed := func(b *sjBuilder, ms int64) *sjBuilder {
		return b.cron(ms, logAOFCreatedOnRW, logAOFRWStarted).
			line(ms+50, "Background AOF rewrite terminated with error", logTempIncrGone)
	}
	// The first rewrite is CONFIG SET appendonly yes's own.
	enabled := func() *sjBuilder {
		return newSJ().line(50, logAOFCreatedOnRW, logAOFRWStarted).
			line(100, "Background AOF rewrite terminated with error", logTempIncrGone)
	}
	assert.Empty(t, failed(enabled(), 200).check())
	v := enabled().cron(200)
	require.Len(t, v.check(), 1)
	assert.Contains(t, v.check()[0].Detail, "the failed rewrite that was to turn the AOF on")
	assert.Empty(t, failed(failed(enabled(), 200), 300).cron(400).check(), "three failures in a row: aofRewriteLimited")
}

// TestScheduledJobsRewriteExcuses: what forgets or holds back a scheduled
// rewrite: appendonly turned off (stopAppendOnly), a replica's full sync
// (stopAppendOnly before its load), a restart, three consecutive failures
// (aofRewriteLimited), a cron run the node went down in; a failure to
// start leaves it scheduled for the next run; a BGSAVE for SYNC that
// waited for the child goes first.
func TestScheduledJobsRewriteExcuses(t *testing.T) {
	scheduled := func() *sjBuilder {
		return newSJ().
			reply(120, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
			reply(250, replyRWScheduled, nil, "BGREWRITEAOF").
			line(350, logSaveDone)
	}
	off := scheduled()
	off.aof = false
	assert.Empty(t, off.cron(400).check(), "appendonly off")
	assert.Empty(t, scheduled().line(360, logFlushingOld, logLoadingDB).cron(400).check(), "full sync")
	restarted := scheduled()
	restarted.gen++
	assert.Empty(t, restarted.cron(400).check(), "restart")
	limited := scheduled().line(360, logAOFRWStarted, "Background AOF rewrite terminated with error", logAOFRWStarted,
		"Background AOF rewrite terminated with error", logAOFRWStarted, "Background AOF rewrite terminated with error")
	assert.Empty(t, limited.cron(400).check(), "aofRewriteLimited")
	// BGREWRITEAOF answered "scheduled" zeroes the failures again.
	assert.Len(t, limited.reply(410, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
		reply(450, replyRWScheduled, nil, "BGREWRITEAOF").line(460, logSaveDone).cron(500).check(), 1)

	down := scheduled().cron(400)
	down.in.Crons[len(down.in.Crons)-1].Partial = true
	assert.Empty(t, down.check(), "the node went down in the run")
	assert.Len(t, down.cron(500).check(), 1, "the next run")

	failed := scheduled().cron(400, logRWDirFailed)
	assert.Empty(t, failed.check(), "a logged failure to start")
	assert.Len(t, failed.cron(500).check(), 1, "tried again at the next run")
	assert.Empty(t, scheduled().cron(400, logRWDirFailed).cron(500, logAOFRWStarted).check())

	sync := scheduled().cron(400, logSyncToDisk, logSaveStarted)
	assert.Empty(t, sync.check(), "the BGSAVE for SYNC first")
	assert.Empty(t, sync.line(450, logSaveDone).cron(500, logAOFRWStarted).check())
	assert.Len(t, scheduled().cron(400, logSavePoint, logSaveStarted).check(), 1, "a save point does not go first")
}

// TestScheduledJobsBgsave: a scheduled BGSAVE starts at the first run with
// no child, unless the last background save failed less than
// CONFIG_BGSAVE_RETRY_DELAY seconds ago; a save point's BGSAVE in that run
// leaves it scheduled.
func TestScheduledJobsBgsave(t *testing.T) {
	scheduled := func() *sjBuilder {
		return newSJ().
			reply(120, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF").
			reply(250, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").
			line(350, logAOFRWSuccess, logAOFRWFinished)
	}
	v := scheduled().cron(400).check()
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, `a BGSAVE was scheduled (the reply "+Background saving scheduled" to BGSAVE SCHEDULE at 0.250000s)`)

	// A save point's BGSAVE first: the scheduled one follows it.
	point := scheduled().cron(400, logSavePoint, logSaveStarted).line(450, logSaveDone)
	assert.Empty(t, point.check())
	assert.Len(t, point.cron(500).check(), 1)
	assert.Empty(t, scheduled().cron(400, logSavePoint, logSaveStarted).line(450, logSaveDone).cron(500, logSaveStarted).check())

	// A node busy up to the run ends the rewrite in the events it held,
	// then starts the scheduled BGSAVE in the same tick: it is not
	// scheduled any more.
	held := newSJ().
		reply(120, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF").
		reply(250, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").
		heldCron(400, []string{logAOFRWSuccess, logAOFRWFinished}, logSaveStarted).
		line(450, logSaveDone)
	assert.Empty(t, held.cron(500).check())

	// The last save failed at 0.1 s: serverCron waits until more than 5 s
	// passed on the node's clock.
	failed := func() *sjBuilder {
		return newSJ().
			reply(100, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
			line(110, logSaveError).
			reply(120, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF").
			reply(250, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").
			line(350, logAOFRWSuccess, logAOFRWFinished)
	}
	assert.Empty(t, failed().cron(400).cron(5900).check(), "5 s since the try")
	assert.Len(t, failed().cron(400).cron(6000).check(), 1, "6 s since the try")
	assert.Empty(t, failed().cron(400).cron(6000, logSaveStarted).cron(6100).check())
}

// TestScheduledJobsStartCauses: serverCron's persistence part starts a
// BGSAVE only for a save point, a SYNC or a pending schedule it may start
// now, and a rewrite only when one is scheduled; each schedule starts one
// job (mutants of node/persist.go's persistCron that start jobs without a
// schedule, or twice). What held events started before that part is not
// the cron's.
func TestScheduledJobsStartCauses(t *testing.T) {
	// saveScheduled and rewriteScheduled schedule a job while another
	// child runs, which ends 20 ms later.
	saveScheduled := func(b *sjBuilder, ms int64) *sjBuilder {
		return b.reply(ms, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF").
			reply(ms+10, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").
			line(ms+20, logAOFRWSuccess, logAOFRWFinished)
	}
	rewriteScheduled := func(b *sjBuilder, ms int64) *sjBuilder {
		return b.reply(ms, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
			reply(ms+10, replyRWScheduled, nil, "BGREWRITEAOF").
			line(ms+20, logSaveDone)
	}
	t.Run("true", func(t *testing.T) {
		b := newSJ().
			cron(100, logSavePoint, logSaveStarted).line(150, logSaveDone).
			cron(200, logSyncToDisk, logSaveStarted).line(250, logSaveDone).
			heldCron(300, []string{logSaveStarted}).line(350, logSaveDone)
		b = rewriteScheduled(b, 400).cron(500, logAOFCreatedOnRW, logAOFRWStarted).line(550, logAOFRWSuccess, logAOFRWFinished)
		b = saveScheduled(b, 600).cron(700, logSaveStarted).line(750, logSaveDone).cron(800)
		assert.Empty(t, b.check())
		failed := newSJ().reply(10, replySaveStarted, []string{logSaveStarted}, "BGSAVE").line(20, logSaveError)
		assert.Empty(t, failed.cron(6100, logSavePoint, logSaveStarted).check(), "a save point 6 s after the failed try")
	})
	cases := []struct {
		name string
		b    *sjBuilder
		want string
	}{
		{"a BGSAVE with no cause", newSJ().cron(100, logSaveStarted), "none scheduled"},
		{"a scheduled BGSAVE started twice", saveScheduled(newSJ(), 50).
			cron(100, logSaveStarted).line(150, logSaveDone).
			cron(200, logSaveStarted), "none scheduled"},
		{"a scheduled BGSAVE within the retry delay", saveScheduled(newSJ().
			reply(10, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
			line(20, logSaveError), 100).
			cron(5000, logSaveStarted), "not more than CONFIG_BGSAVE_RETRY_DELAY"},
		{"a save point within the retry delay", newSJ().
			reply(10, replySaveStarted, []string{logSaveStarted}, "BGSAVE").
			line(20, logSaveError).
			cron(5000, logSavePoint, logSaveStarted), "fired a save point"},
		{"a rewrite with none scheduled", newSJ().cron(100, logAOFCreatedOnRW, logAOFRWStarted), "started an AOF rewrite"},
		{"a scheduled rewrite started twice", rewriteScheduled(newSJ(), 50).
			cron(100, logAOFCreatedOnRW, logAOFRWStarted).line(150, logAOFRWSuccess, logAOFRWFinished).
			cron(200, logAOFCreatedOnRW, logAOFRWStarted), "started an AOF rewrite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := c.b.check()
			require.Len(t, v, 1)
			assert.Contains(t, v[0].Detail, c.want)
		})
	}
	// A client's BGREWRITEAOF with its reply off may have scheduled the
	// rewrite, unless a rewrite started after its reply came.
	t.Run("a quiet BGREWRITEAOF", func(t *testing.T) {
		quiet := func(call, ret int64) *sjBuilder {
			b := newSJ()
			b.in.QuietRewrites = []NodeCall{{Node: "n1", Call: call * 1e6, Return: ret * 1e6}}
			return b
		}
		assert.Empty(t, quiet(50, 60).cron(100, logAOFCreatedOnRW, logAOFRWStarted).check())
		assert.Empty(t, quiet(50, 0).cron(100, logAOFCreatedOnRW, logAOFRWStarted).check(), "no reply came")
		assert.Len(t, quiet(150, 160).cron(100, logAOFCreatedOnRW, logAOFRWStarted).check(), 1, "sent after the run")
		v := quiet(50, 60).cron(100, logAOFCreatedOnRW, logAOFRWStarted).line(150, logAOFRWSuccess, logAOFRWFinished).
			cron(200, logAOFCreatedOnRW, logAOFRWStarted).check()
		require.Len(t, v, 1, "answered before the first start: it cannot explain the second")
		assert.Contains(t, v[0].Detail, "started an AOF rewrite")
	})
}

// TestScheduledJobsReplies: BGSAVE SCHEDULE while a rewrite runs is
// scheduled, never refused (mutant node/cmd_persist.go:38:3:remove), and
// each reply is the one bgsaveCommand / bgrewriteaofCommand give for the
// children that run.
func TestScheduledJobsReplies(t *testing.T) {
	rewriting := func() *sjBuilder {
		return newSJ().reply(100, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF")
	}
	assert.Empty(t, rewriting().reply(200, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").check())
	v := rewriting().reply(200, replySaveOtherKid, nil, "BGSAVE", "SCHEDULE").check()
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, `Redis 7.0.15 answers "+Background saving scheduled"`)

	saving := func() *sjBuilder {
		return newSJ().reply(100, replySaveStarted, []string{logSaveStarted}, "BGSAVE")
	}
	assert.Len(t, saving().reply(200, replySaveScheduled, nil, "bgsave", "schedule").check(), 1, "an RDB child: already in progress")
	assert.Len(t, saving().reply(200, replyRWStarted, []string{logAOFRWStarted}, "BGREWRITEAOF").check(), 1)
	assert.Len(t, newSJ().reply(200, replySaveScheduled, nil, "BGSAVE", "SCHEDULE").check(), 1, "no child: started")
	assert.Empty(t, newSJ().reply(200, replySaveStarted, []string{logSaveStarted}, "BGSAVE", "SCHEDULE").check())
	assert.Empty(t, saving().line(150, logSaveDone).reply(200, replySaveStarted, []string{logSaveStarted}, "BGSAVE").check(),
		"the command's own start line is not a child running before it")
	assert.Empty(t, saving().reply(200, "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", nil, "BGSAVE").check(),
		"processCommand's refusals are judged elsewhere")
	inExec := newSJ().reply(200, replyRWScheduled, nil, "BGREWRITEAOF")
	inExec.in.Replies[0].InExec = true
	assert.Empty(t, inExec.check(), "inside EXEC the rewrite is scheduled")
	assert.Len(t, inExec.cron(300).check(), 1, "and starts at the next cron run")
}

// TestScheduledJobsRewriteLimit: after three consecutive failures the
// cron's rewrite waits for aofRewriteLimited's retry time, which its
// line announces (mutant node/aof_rewrite_limit.go:20:20 never held one
// back).
func TestScheduledJobsRewriteLimit(t *testing.T) {
	failing := func() *sjBuilder {
		b := newSJ().line(50, logTempIncrGone)
		for i := int64(1); i <= 3; i++ {
			b = b.cron(i*100, logAOFCreatedOnRW, logAOFRWStarted).line(i*100+50, logAOFRWErrorBare, logTempIncrGone)
		}
		return b
	}
	limited := func(b *sjBuilder, ms int64) *sjBuilder {
		b = b.cron(ms)
		l := b.logLine(ms, logRewriteLimited)
		l.Args, l.Msg = []string{"1"}, "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes"
		b.in.Lines = append(b.in.Lines, l)
		b.in.Crons[len(b.in.Crons)-1].LogTo = len(b.in.Lines)
		return b
	}
	assert.Empty(t, limited(failing(), 400).cron(61_400, logAOFCreatedOnRW, logAOFRWStarted).check(), "started at the retry time")
	assert.Empty(t, failing().cron(400).check(), "held back")

	v := failing().cron(400, logAOFCreatedOnRW, logAOFRWStarted).check()
	require.Len(t, v, 1, "a fourth start with no limit line")
	assert.Contains(t, v[0].Detail, "after 3 consecutive failures, with no line")

	reset := failing().cron(400, logAOFCreatedOnRW, logAOFRWStarted)
	for i := range reset.in.Lines[len(reset.in.Lines)-2:] {
		reset.in.Lines[len(reset.in.Lines)-2+i].StatResets = 1
	}
	assert.Empty(t, reset.check(), "a CONFIG RESETSTAT since the last line")
	quiet := failing()
	quiet.in.QuietRewrites = []NodeCall{{Node: "n1", Call: 320e6, Return: 330e6}}
	assert.Empty(t, quiet.cron(400, logAOFCreatedOnRW, logAOFRWStarted).check(), "a client's BGREWRITEAOF with its reply off during the failures")

	v = limited(failing(), 400).cron(30_400, logAOFCreatedOnRW, logAOFRWStarted).check()
	require.Len(t, v, 1, "before the retry time")
	assert.Contains(t, v[0].Detail, "30 s before the retry time")
}

// SAVE is refused only while an RDB child runs, to disk or to sockets
// (mutant cmd_persist.go:19:5 refuses it with none).
func TestExpectedSaveReply(t *testing.T) {
	assert.Equal(t, []string{replySaveRunning}, expectedChildReply([]string{"SAVE"}, false, 1, 0, 0))
	assert.Equal(t, []string{replySaveRunning}, expectedChildReply([]string{"SAVE"}, false, 0, 0, 1))
	assert.Equal(t, []string{"+OK", replySaveFailed}, expectedChildReply([]string{"SAVE"}, false, 0, 1, 0), "an AOF rewrite does not stop it")
	assert.Nil(t, expectedChildReply([]string{"SAVE"}, true, 1, 0, 0), "not judged inside EXEC")
}

// A save point whose changes (shown by clients' replies) and seconds have
// come fires at the next cron run with no child (mutant persist.go:101:44
// held it back after a successful save).
func TestScheduledJobsSavePointDue(t *testing.T) {
	build := func(fired bool) *sjBuilder {
		b := newSJ()
		b.line(0, "Server initialized")
		b.in.Roles = []RoleChange{{At: 0, Node: "n1", Role: "master"}}
		b.in.Ops = []Op{set(1, "k1", "a", 500e6, 600e6)}
		lines := []string{}
		if fired {
			lines = []string{logSavePoint, logSaveStarted}
		}
		b.cron(3000, lines...)
		b.in.Crons[0].Save = []SavePoint{{Seconds: 1, Changes: 1}}
		return b
	}
	assert.Empty(t, build(true).check())
	v := build(false).check()
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "its save point 1 changes in 1 s was due: at least 1 changes")

	early := build(false)
	early.in.Crons[0].Save = []SavePoint{{Seconds: 2, Changes: 1}}
	assert.Empty(t, early.check(), "3 s since the start is not more than 2 s plus a second of slack")
	two := build(false)
	two.in.Crons[0].Save = []SavePoint{{Seconds: 1, Changes: 2}}
	assert.Empty(t, two.check(), "one change shown, two needed")
	replica := build(false)
	replica.in.Roles = []RoleChange{{At: 0, Node: "n1", Role: "slave"}}
	assert.Empty(t, replica.check(), "a replica's count comes from its master's stream too: not bounded here")

	// Seed 15314: the process started at clock 5 s and logged nothing
	// until its clock had jumped back: lastsave is the start's second,
	// not its first line's. A start not on record is not judged.
	jumped := build(false)
	jumped.in.Starts[0].ClockMs = 5000
	assert.Empty(t, jumped.check(), "lastsave 5 s, the run at 3 s")
	unknown := build(false)
	unknown.in.Starts = nil
	assert.Empty(t, unknown.check())
}
