package node

// repl-diskless-sync-max-replicas: a diskless sync waits up to
// repl-diskless-sync-delay for more replicas, but starts as soon as that
// many replicas wait (Redis's shouldStartChildReplication).

// startWaitingSyncsAtMax starts the waiting full syncs when enough
// replicas wait.
func (n *Node) startWaitingSyncsAtMax() {
	max := n.cfg.ReplDisklessSyncMaxReplicas
	if max <= 0 {
		return
	}
	var waiting []*client
	for _, c := range n.repl.replicas {
		if c.replica.state == slaveWaitBgsave && c.replica.startAt != 0 {
			waiting = append(waiting, c)
		}
	}
	if int64(len(waiting)) < max {
		return
	}
	for _, c := range waiting {
		n.startFullSync(c)
	}
}
