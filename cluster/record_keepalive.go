package cluster

import "github.com/replsim/replsim/checker"

// keepaliveTick is a node's state just before a tick, for the keepalive
// check (checker/keepalive.go).
type keepaliveTick struct {
	crons  int64
	seq    int
	busy   bool
	status checker.KeepaliveRun
}

// keepaliveBefore notes what the tick about to run starts from.
func (s *simNode) keepaliveBefore() keepaliveTick {
	r := s.node.Repl()
	return keepaliveTick{crons: s.node.ServerCronRuns(), seq: s.h.rec.seq, busy: s.node.Busy(),
		status: checker.KeepaliveRun{Node: s.name, Master: r.Role != "slave", Replicas: r.Replicas,
			Period: s.node.ReplPingPeriodSec()}}
}

// keepaliveAfter records the tick if it ran replicationCron: it ran
// serverCron, and serverCron's run number is one run_with_period(1000)
// picks. Runs are numbered per incarnation, as replication_cron_loops.
func (s *simNode) keepaliveAfter(t keepaliveTick) {
	if s.node.ServerCronRuns() == t.crons || !checker.ReplCronDue(t.crons, s.node.Hz()) {
		return
	}
	if s.keepaliveGen != s.gen {
		s.keepaliveGen, s.replRuns = s.gen, 0
	}
	run := t.status
	run.At, run.Run, run.From, run.To = int64(s.h.w.Now()), s.replRuns, t.seq, s.h.rec.seq
	run.Partial = t.busy || s.node.Down()
	s.replRuns++
	s.h.rec.keepalive = append(s.h.rec.keepalive, run)
}

// KeepaliveInput is what the keepalive check reads.
func (h *Cluster) KeepaliveInput() checker.KeepaliveInput {
	return checker.KeepaliveInput{Runs: h.rec.keepalive, Chunks: h.rec.chunks}
}
