package node

// replBufferMem is INFO memory's mem_total_replication_buffers. Redis 7.0
// keeps one replication buffer that the backlog and every replica's
// pending output share: it spans from the oldest byte anyone still needs
// to the newest. The node keeps them apart, so this is the larger of the
// backlog's history and the most output any replica has not taken yet.
func (n *Node) replBufferMem() int64 {
	var m int64
	if b := n.repl.backlog; b != nil {
		m = b.histlen
	}
	for _, c := range n.repl.replicas {
		m = max(m, n.outputPending(c))
	}
	return m
}
