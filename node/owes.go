package node

// OwesNothing reports whether the node holds nothing more for the client
// on connection id: the client is connected and not being closed, every
// byte it sent has been parsed and run (no command left in its query
// buffer, none waiting for a later event), it is not blocked (WAIT, a
// blocking pop, SHUTDOWN waiting for its replicas) and its output buffer
// is empty; and the node itself is up and not in a busy spell. A client
// that waits for a reply on such a connection waits for nothing: the
// node dropped the reply. The harness asks it when a request times out
// (checker/unanswered.go). A master link is never owed anything.
func (n *Node) OwesNothing(id ConnID) bool {
	c := n.clients[id]
	if c == nil || n.down || n.busy() || c.isMasterLink || c.closing || c.closeAfter || c.dead {
		return false
	}
	if c.blocked || c.inPending || c.qpos < len(c.in) || len(c.out) > 0 || c.queued {
		return false
	}
	for _, r := range n.shut.resume {
		if r == c {
			return false
		}
	}
	return true
}
