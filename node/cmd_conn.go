package node

func init() {
	register(
		&command{name: "ping", arity: -1, fn: pingCommand},
		&command{name: "echo", arity: 2, flags: flagStale, fn: echoCommand},
		&command{name: "select", arity: 2, flags: flagStale, fn: selectCommand},
		&command{name: "auth", arity: -2, flags: flagNoAuth | flagStale, fn: authCommand},
		&command{name: "quit", arity: -1, flags: flagNoAuth | flagStale | flagMultiCtl, fn: quitCommand},
		&command{name: "multi", arity: 1, flags: flagStale | flagMultiCtl, fn: multiCommand},
		&command{name: "exec", arity: 1, flags: flagStale | flagMultiCtl, fn: execCommand},
		&command{name: "discard", arity: 1, flags: flagStale | flagMultiCtl, fn: discardCommand},
	)
}

func pingCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 2 {
		c.addError(errWrongArgs("ping"))
		return
	}
	if len(args) == 2 {
		c.addBulkBytes(args[1])
		return
	}
	c.addSimple("PONG")
}

func echoCommand(n *Node, c *client, args [][]byte) { c.addBulkBytes(args[1]) }

func selectCommand(n *Node, c *client, args [][]byte) {
	id, ok := parseDBIndex(n, c, args[1], errNotInteger)
	if !ok {
		return
	}
	c.db = id
	c.addOK()
}

func authCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		c.addError(errSyntax)
		return
	}
	pass := args[len(args)-1]
	if len(args) == 2 && n.cfg.RequirePass == "" {
		c.addError(errAuthNoPass)
		return
	}
	userOK := len(args) == 2 || string(args[1]) == "default"
	if userOK && (n.cfg.RequirePass == "" || string(pass) == n.cfg.RequirePass ||
		(n.stalePass != "" && string(pass) == n.stalePass)) {
		c.authed = true
		c.addOK()
		return
	}
	c.addError(errWrongPass)
}

func quitCommand(n *Node, c *client, args [][]byte) {
	if !n.bug(BugQuitClosesSilently) {
		c.addOK()
	}
	c.closeAfterReply()
}

func multiCommand(n *Node, c *client, args [][]byte) {
	if c.inMulti {
		c.addError(errMultiNested)
		return
	}
	// Every way out of MULTI resets the transaction (discardTransaction),
	// so nothing is left to reset here: Redis's multiCommand only sets the
	// flag.
	c.inMulti = true
	c.addOK()
}

func discardCommand(n *Node, c *client, args [][]byte) {
	if !c.inMulti {
		c.addError(errDiscardNoMult)
		return
	}
	c.discardTransaction()
	c.addOK()
}

// discardTransaction ends c's transaction and its WATCHes, as Redis's
// discardTransaction (after EXEC, DISCARD, or an aborted EXEC).
func (c *client) discardTransaction() {
	c.resetMulti()
	c.unwatchAll()
	c.dirtyCAS = false
}

func (c *client) resetMulti() {
	c.inMulti = false
	c.multiDirty = false
	c.multiCmds = nil
	c.multiFlags, c.multiInvFlags = 0, 0
}

// queueMulti adds a command to c's transaction.
func (c *client) queueMulti(cmd *command, args [][]byte) {
	c.multiCmds = append(c.multiCmds, copyArgs(args))
	c.multiFlags |= cmd.flags
	c.multiInvFlags |= ^cmd.flags
}

// execCommand runs the queued commands as one unit: their writes reach the
// replication stream wrapped in MULTI/EXEC when there is more than one.
func execCommand(n *Node, c *client, args [][]byte) {
	if !c.inMulti {
		c.addError(errExecNoMulti)
		return
	}
	if n.watchedKeyExpired(c) {
		c.dirtyCAS = true
	}
	if c.multiDirty || c.dirtyCAS {
		if c.multiDirty {
			c.addError(errExecAbort)
		} else {
			c.addNullArray()
		}
		c.discardTransaction()
		return
	}
	cmds := c.multiCmds
	c.discardTransaction()
	c.addArrayLen(len(cmds))
	for _, argv := range cmds {
		cmd := lookupCommand(argv[0])
		n.prop.depth++
		dirty := n.dirty
		start := n.statsStart()
		cmd.fn(n, c, argv)
		n.statsEnd(c, cmd, argv, start)
		if !n.bug(BugMonitorSkipsMulti) {
			n.feedMonitors(c, cmd, argv)
		}
		n.touchWrittenKey(c, cmd, argv, dirty)
		n.refreshWrittenColls(c, cmd, argv, dirty)
		n.prop.depth--
	}
	n.prop.wrap = true
}
