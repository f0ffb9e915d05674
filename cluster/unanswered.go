package cluster

import "github.com/replsim/replsim/node"

// unanswered reports, when c gives up on its request, whether the node
// dropped the reply: the node is up and running, the connection is open
// at both ends with nothing in flight either way (so the request reached
// the node and no reply is on its way), and the node holds nothing more
// for the connection (node.OwesNothing: the request ran, no reply is
// queued, the client is not blocked). Any fault in the way (a cut, a
// blackhole, a slow link, a paused or busy node) makes it false.
func (c *simClient) unanswered() bool {
	s := c.target
	if s == nil || !s.up || s.paused || !c.connected {
		return false
	}
	n := c.h.net
	peer := n.Peer(c.conn)
	if !n.Alive(c.conn) || !n.Alive(peer) || n.Unsent(c.conn) > 0 || n.Unsent(peer) > 0 || n.Stalled(c.conn) || n.Stalled(peer) {
		return false
	}
	return s.node.OwesNothing(node.ConnID(peer))
}
