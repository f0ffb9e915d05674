package node

import "strconv"

// CLIENT REPLY ON|OFF|SKIP, RESET and TIME.

func init() {
	clientSubcommands = append(clientSubcommands, subcommand{"reply", 3, clientReplyCommand})
	register(
		&command{name: "reset", arity: 1, flags: flagNoAuth | flagStale | flagMultiCtl, fn: resetCommand},
		&command{name: "time", arity: 1, flags: flagStale, fn: timeCommand},
	)
}

// clientReplyCommand switches c's replies off (OFF), off for the next
// command only (SKIP, ignored while OFF) or back on (ON, the only one that
// answers), as Redis's CLIENT REPLY.
func clientReplyCommand(n *Node, c *client, args [][]byte) {
	switch {
	case equalFold(args[2], "on"):
		c.replyOff, c.replySkip = false, false
		c.addOK()
	case equalFold(args[2], "off"):
		c.replyOff = true
	case equalFold(args[2], "skip"):
		if !c.replyOff && !n.bug(BugClientReplySkipIgnored) {
			c.replySkipNext = true
		}
	default:
		c.addError(errSyntax)
	}
}

// afterCommand ends one command's processing for c, as Redis's
// resetClient: a SKIP applies to the command after the CLIENT REPLY SKIP
// only.
func (c *client) afterCommand() {
	c.replySkip = false
	if c.replySkipNext {
		c.replySkip, c.replySkipNext = true, false
	}
}

// resetCommand is RESET: the connection back to its state after connect
// (db 0, no transaction or WATCH, default authentication, no name, replies
// on, not a monitor), as Redis's clearClientConnectionState.
func resetCommand(n *Node, c *client, args [][]byte) {
	if c.isMasterLink || c.isReplica() {
		c.addError("ERR can only reset normal client connections")
		return
	}
	n.stopMonitor(c)
	c.db = 0
	c.authed = n.cfg.RequirePass == ""
	c.discardTransaction()
	c.name = ""
	c.replyOff, c.replySkipNext = false, false
	c.addSimple("RESET")
}

// timeCommand answers the node's clock as seconds and microseconds.
func timeCommand(n *Node, c *client, args [][]byte) {
	us := n.env.Now() / 1000
	c.addArrayLen(2)
	c.addBulk(strconv.FormatInt(us/1e6, 10))
	c.addBulk(strconv.FormatInt(us%1e6, 10))
}
