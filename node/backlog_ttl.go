package node

// A master with no replicas frees its backlog once repl-backlog-ttl seconds
// passed since the last one left (or since it started, or became a
// master), as Redis's replicationCron does. Freeing the backlog ends the
// history replicas could continue: the replication ID changes and the
// secondary one is cleared, so a replica that comes back does a full sync.
// A replica keeps its backlog (it may be promoted).

// noteReplicasGone records when the node started to have no replicas.
func (r *replication) noteReplicasGone() {
	if len(r.replicas) == 0 {
		r.noReplicasSince = r.n.nowMs()
	}
}

// backlogTTLCron frees an idle master's backlog when its time has come.
func (r *replication) backlogTTLCron(now int64) {
	n := r.n
	ttl := n.cfg.ReplBacklogTTLSec
	if len(r.replicas) != 0 || ttl == 0 || r.backlog == nil || r.isReplica() {
		return
	}
	limit := ttl
	if n.bug(BugBacklogTTLInMinutes) {
		limit *= 60
	}
	// Redis compares whole seconds of its cached clock.
	if now/1000-r.noReplicasSince/1000 <= limit {
		return
	}
	r.replid = n.randomID()
	r.replid2 = zeroReplID
	r.secondOffset = -1
	r.backlog = nil
	n.logNotice("Replication backlog freed after %d seconds without connected replicas.", ttl)
}
