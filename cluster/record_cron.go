package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
)

// cronTick is what a node's tick starts from, for its serverCron record.
type cronTick struct {
	run  checker.CronRun
	runs int64
}

// cronBefore notes the state a tick about to run starts from: where the
// log and the operator's replies stand, the node's clock and its
// appendonly.
func (s *simNode) cronBefore() cronTick {
	s.persistFrom = -1
	return cronTick{runs: s.node.ServerCronRuns(), run: checker.CronRun{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()),
		ClockMs: s.Now() / 1e6, LogFrom: len(s.h.rec.logs), Replies: len(s.h.rec.childReplies),
		AppendOnly: s.node.Settings().AppendOnly, Save: savePoints(s.node.Config().Save), Proc: s.procs}}
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
	run.PersistFrom, run.PersistRan = s.persistFrom, s.persistFrom >= 0
	run.Partial = s.node.Down()
	run.Busy = s.node.Busy()
	run.AOFPath, run.AOFUnsynced = s.incrUnsynced()
	s.h.rec.crons = append(s.h.rec.crons, run)
}

// incrUnsynced names the incr AOF file the process appends to and says
// whether it holds unsynced bytes the process appended (what an earlier
// process left unsynced in a file it opened does not count: Redis takes
// the file as synced at its open).
func (s *simNode) incrUnsynced() (string, bool) {
	t := &s.incr
	if t.cur.Name == "" || t.proc != s.procs {
		return "", false
	}
	p := path.Join(s.cfg.AppendDirname, t.cur.Name)
	size, unsynced, ok := s.fs.SyncState(p)
	return p, ok && unsynced && size > int64(t.offset)
}

// recordStart notes that s's process s.procs started, at s.startClockMs on
// its clock, for checker.CheckScheduledJobs.
func (h *Cluster) recordStart(s *simNode) {
	h.rec.starts = append(h.rec.starts, checker.ProcessStart{Node: s.name, Proc: s.procs, ClockMs: s.startClockMs})
}

// ScheduledJobsInput is every node's log, the operator's BGSAVE and
// BGREWRITEAOF replies, the clients' BGREWRITEAOFs sent with replies off
// and the nodes' serverCron runs, for checker.CheckScheduledJobs.
func (h *Cluster) ScheduledJobsInput() checker.ScheduledJobsInput {
	in := checker.ScheduledJobsInput{Lines: h.rec.logs, Replies: h.rec.childReplies, Crons: h.rec.crons, Starts: h.rec.starts}
	for _, ops := range [][]checker.Op{h.masterOps, h.replicaOps} {
		for i := range ops {
			if op := &ops[i]; op.Quiet == "REWRITE" {
				in.QuietRewrites = append(in.QuietRewrites, checker.NodeCall{Node: op.Node, Call: int64(op.Call), Return: int64(op.Return)})
			}
		}
	}
	return in
}

// PersistCronStarted implements tap.PersistCronTap: where the log stood as
// the tick reached serverCron's persistence part.
func (s *simNode) PersistCronStarted() { s.persistFrom = len(s.h.rec.logs) }

// savePoints are a config's save points as the checker reads them.
func savePoints(rules []node.SaveRule) []checker.SavePoint {
	if len(rules) == 0 {
		return nil
	}
	out := make([]checker.SavePoint, len(rules))
	for i, r := range rules {
		out[i] = checker.SavePoint{Seconds: r.Seconds, Changes: r.Changes}
	}
	return out
}
