package node

import "errors"

func init() {
	register(
		&command{name: "save", arity: 1, flags: flagAdmin | flagNoMulti, fn: saveCommand},
		&command{name: "bgsave", arity: -1, flags: flagAdmin, fn: bgsaveCommand},
		&command{name: "lastsave", arity: 1, flags: flagStale, fn: lastsaveCommand},
		&command{name: "shutdown", arity: -1, flags: flagAdmin | flagStale | flagNoMulti, fn: shutdownCommand},
		&command{name: "bgrewriteaof", arity: 1, flags: flagAdmin, fn: bgrewriteaofCommand},
	)
}

// inExec reports whether the current command runs inside EXEC.
func (n *Node) inExec() bool { return n.prop.depth > 1 }

func saveCommand(n *Node, c *client, args [][]byte) {
	if n.persist().child == childRDB {
		c.addError("ERR Background save already in progress")
		return
	}
	n.persist().rdbSaves++
	if err := n.rdbSave(); err != nil {
		c.addError("ERR")
		return
	}
	c.addOK()
}

func bgsaveCommand(n *Node, c *client, args [][]byte) {
	schedule := false
	if len(args) > 1 {
		if len(args) != 2 || !equalFold(args[1], "schedule") {
			c.addError(errSyntax)
			return
		}
		schedule = true
	}
	p := n.persist()
	switch {
	case p.child == childRDB:
		c.addError("ERR Background save already in progress")
	case p.child != childNone || n.inExec():
		if schedule || n.inExec() {
			p.bgsaveScheduled = true
			c.addSimple("Background saving scheduled")
			return
		}
		c.addError("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
	default:
		// With no child running the save starts: the simulation has no
		// failing fork(), Redis's only other reason to answer "-ERR".
		n.bgsave()
		c.addSimple("Background saving started")
	}
}

func lastsaveCommand(n *Node, c *client, args [][]byte) { c.addInt(n.persist().lastSave) }

func bgrewriteaofCommand(n *Node, c *client, args [][]byte) {
	p := n.persist()
	switch {
	case !n.cfg.AppendOnly:
		c.addError("ERR BGREWRITEAOF is only supported with appendonly yes in replsim")
	case p.child == childAOF:
		c.addError("ERR Background append only file rewriting already in progress")
	case p.child != childNone || n.inExec():
		p.aof.rewriteScheduled = true
		// A manual rewrite is not held back by aofRewriteLimited.
		p.aof.rwFailures = 0
		c.addSimple("Background append only file rewriting scheduled")
	case n.aofRewriteBackground():
		c.addSimple("Background append only file rewriting started")
	default:
		c.addError("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")
	}
}

// Shutdown flags.
const (
	shutdownNoSave = 1 << iota
	shutdownSave
	shutdownNow
	shutdownForce
)

// shutdownCommand is SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]; the
// client blocks while the node waits for lagging replicas
// (shutdown_wait.go).
func shutdownCommand(n *Node, c *client, args [][]byte) {
	flags, abort := 0, false
	for _, a := range args[1:] {
		switch {
		case equalFold(a, "nosave"):
			flags |= shutdownNoSave
		case equalFold(a, "save"):
			flags |= shutdownSave
		case equalFold(a, "now"):
			flags |= shutdownNow
		case equalFold(a, "force"):
			flags |= shutdownForce
		case equalFold(a, "abort"):
			abort = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if (abort && flags != 0) || (flags&shutdownNoSave != 0 && flags&shutdownSave != 0) {
		c.addError(errSyntax)
		return
	}
	if abort {
		if n.abortShutdown() {
			c.addOK()
		} else {
			c.addError("ERR No shutdown in progress.")
		}
		return
	}
	n.prepareShutdown(c, flags)
}

// shutdown is finishShutdown: kill a running child, flush and fsync the
// AOF, save if save rules exist (or SAVE was given, unless NOSAVE), then
// exit: the node goes down and every connection closes with no reply. A
// failed save keeps the node up unless FORCE is given.
func (n *Node) shutdown(flags int) error {
	p := n.persist()
	if p.child == childRDB {
		n.logWarning("There is a child saving an .rdb. Killing it!")
		n.killChild()
	}
	if p.child == childAOF {
		// The rewrite that is to turn the AOF on holds the only copy of
		// the dataset the AOF will have.
		if p.aof.waitRewrite {
			if flags&shutdownForce == 0 {
				n.logWarning("Writing initial AOF, can't exit.")
				return errors.New("writing the initial AOF")
			}
			n.logWarning("Writing initial AOF. Exit anyway.")
		}
		n.logWarning("There is a child rewriting the AOF. Killing it!")
		n.killChild()
	}
	if n.cfg.AppendOnly && p.aof.enabled() {
		n.logNotice("Calling fsync() on the AOF file.")
		n.aofFlushAndSync(true)
		if n.down {
			return nil
		}
	}
	if (len(n.cfg.Save) > 0 && flags&shutdownNoSave == 0) || flags&shutdownSave != 0 {
		n.logNotice("Saving the final RDB snapshot before exiting.")
		if err := n.rdbSave(); err != nil {
			if flags&shutdownForce == 0 {
				n.logWarning("Error trying to save the DB, can't exit.")
				return err
			}
			n.logWarning("Error trying to save the DB. Exit anyway.")
		}
	}
	n.logWarning("Redis is now ready to exit, bye bye...")
	n.exitNow(true)
	return nil
}
