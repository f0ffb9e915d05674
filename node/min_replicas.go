package node

// min-replicas-to-write / min-replicas-max-lag: a master with both set
// refuses writes unless enough replicas are "good" (online, last ACK at
// most max-lag seconds old). Like Redis, the count of good replicas is
// refreshed at moments (a replica going online or away, the replication
// cron, a change of the settings), not at each write.

// errNoReplicas is Redis's shared.noreplicaserr.
const errNoReplicas = "NOREPLICAS Not enough good replicas to write."

// minReplicasOn reports whether the min-replicas check is configured.
func (n *Node) minReplicasOn() bool {
	return n.cfg.MinReplicasToWrite > 0 && n.cfg.MinReplicasMaxLag > 0
}

// refreshGoodReplicas recounts the good replicas.
func (r *replication) refreshGoodReplicas() {
	n := r.n
	if !n.minReplicasOn() {
		return
	}
	now := n.nowMs() / 1000
	good := 0
	for _, c := range r.replicas {
		if c.replica.state == slaveOnline && now-c.replica.ackTime/1000 <= n.cfg.MinReplicasMaxLag {
			good++
		}
	}
	r.goodReplicas = good
}

// enoughGoodReplicas reports whether a write may run as far as the
// min-replicas check goes (a replica never refuses for it).
func (n *Node) enoughGoodReplicas() bool {
	return n.repl.isReplica() || !n.minReplicasOn() || int64(n.repl.goodReplicas) >= n.cfg.MinReplicasToWrite
}
