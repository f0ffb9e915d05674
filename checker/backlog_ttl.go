package checker

import "fmt"

// PropBacklogTTL names the rule that an idle master frees its backlog.
// Redis 7.0.15's replicationCron, once a second, frees a master's backlog
// (changeReplicationId, clearReplicationId2, freeReplicationBacklog, and
// the line "Replication backlog freed after <ttl> seconds without
// connected replicas.") when it has no replicas, repl-backlog-ttl is not
// 0 and more than ttl whole seconds of its cached clock passed since
// repl_no_slaves_since: the process's start, its last replica's
// disconnection ("Connection with replica %s lost."), or REPLICAOF NO ONE
// ("MASTER MODE enabled", "Setting secondary replication ID").
//
// The harness reads INFO replication right after every replicationCron
// run, on the clock that run read (ReplIDSample). A read that shows a
// master with no replicas still holding its backlog, with the ttl in force
// and more than ttl whole seconds since the latest of those lines, shows
// a run that should have freed it. The latest line is no earlier than
// Redis's repl_no_slaves_since (a replica lost while others stayed only
// moves it later), so the rule asks no more than Redis does.
const PropBacklogTTL = "backlog_ttl"

// CheckBacklogTTL judges every read of in.Samples against the node's log
// before it (see PropBacklogTTL).
func CheckBacklogTTL(in ReplIDInput) []Violation {
	type alone struct {
		proc    int
		clockMs int64
		why     string
	}
	since := map[string]*alone{}
	var out []Violation
	next := 0
	for _, smp := range in.Samples {
		for ; next < smp.Logs && next < len(in.Lines); next++ {
			l := &in.Lines[next]
			a := since[l.Node]
			switch {
			case a == nil || a.proc != l.Proc:
				since[l.Node] = &alone{proc: l.Proc, clockMs: l.ClockMs, why: fmt.Sprintf("its start (%q)", l.Msg)}
			case l.Format == logReplicaLost || l.Format == logMasterMode || l.Format == logSecondaryID:
				a.clockMs, a.why = l.ClockMs, fmt.Sprintf("%q", l.Msg)
			}
		}
		a := since[smp.Node]
		if a == nil || !smp.Master || smp.Replicas != 0 || !smp.Backlog || smp.BacklogTTLSec <= 0 {
			continue
		}
		if idle := smp.ClockMs/1000 - a.clockMs/1000; idle > smp.BacklogTTLSec {
			out = append(out, Violation{Check: PropBacklogTTL, At: smp.At, Nodes: []string{smp.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): after a replicationCron run at %d ms of its clock it is a master with no replicas and still holds its backlog (repl_backlog_active:1), %d whole seconds after %s at %d ms: Redis frees the backlog once more than repl-backlog-ttl (%d) seconds passed",
					smp.Node, smp.Gen, smp.ClockMs, idle, a.why, a.clockMs, smp.BacklogTTLSec)})
		}
	}
	return out
}
