package node

// repl-diskless-sync-max-replicas: a diskless sync waits up to
// repl-diskless-sync-delay for more replicas, but starts as soon as that
// many replicas wait (Redis's shouldStartChildReplication).

// startWaitingSyncsAtMax starts the waiting full syncs when enough
// replicas wait.
func (n *Node) startWaitingSyncsAtMax() {
	if n.cfg.ReplDisklessSyncMaxReplicas > 0 {
		n.startPendingFork()
	}
}
