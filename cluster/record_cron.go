package cluster

import "github.com/replsim/replsim/checker"

// cronTick is what a node's tick starts from, for its serverCron record.
type cronTick struct {
	run  checker.CronRun
	runs int64
}

// cronBefore notes the state a tick about to run starts from: where the
// log and the operator's replies stand, the node's clock and its
// appendonly.
func (s *simNode) cronBefore() cronTick {
	return cronTick{runs: s.node.ServerCronRuns(), run: checker.CronRun{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()),
		ClockMs: s.Now() / 1e6, LogFrom: len(s.h.rec.logs), Replies: len(s.h.rec.childReplies),
		AppendOnly: s.node.Settings().AppendOnly}}
}

// cronAfter records the tick if it ran serverCron, for
// checker.CheckScheduledJobs. A node that went down in it may have left
// serverCron before its persistence part: the run is partial.
func (s *simNode) cronAfter(t cronTick) {
	if s.node.ServerCronRuns() == t.runs {
		return
	}
	run := t.run
	run.LogTo = len(s.h.rec.logs)
	run.Partial = s.node.Down()
	s.h.rec.crons = append(s.h.rec.crons, run)
}

// ScheduledJobsInput is every node's log, the operator's BGSAVE and
// BGREWRITEAOF replies and the nodes' serverCron runs, for
// checker.CheckScheduledJobs.
func (h *Cluster) ScheduledJobsInput() checker.ScheduledJobsInput {
	return checker.ScheduledJobsInput{Lines: h.rec.logs, Replies: h.rec.childReplies, Crons: h.rec.crons}
}
