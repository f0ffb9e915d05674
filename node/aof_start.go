package node

// aofStartAppendOnly is startAppendOnly (CONFIG SET appendonly yes, and a replica's
// restart of the AOF after a full sync): the AOF waits for a background
// rewrite (AOF_WAIT_REWRITE), started now, or scheduled when another child
// runs or inside EXEC; it is on once that rewrite succeeds. The errors of
// the AOF that was on before are forgotten, and said so. It reports false
// when the rewrite could not start: the AOF is off again.
func (n *Node) aofStartAppendOnly() bool {
	p := n.persist()
	a := &p.aof
	a.waitRewrite = true
	switch {
	case p.child != childNone && p.child != childAOF:
		a.rewriteScheduled = true
		n.logWarning("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.")
	case n.inExec():
		a.rewriteScheduled = true
		n.logWarning("AOF was enabled during a transaction. An AOF background was scheduled to start when possible.")
	default:
		if p.child == childAOF {
			n.logWarning("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.")
			n.killChild()
		}
		if !n.aofRewriteBackground() {
			a.waitRewrite = false
			n.logWarning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
			return false
		}
	}
	a.lastFsync = n.nowSec()
	if a.fsyncErr != nil {
		n.logWarning("AOF reopen, just ignore the AOF fsync error in bio job")
	}
	if a.writeErr != nil {
		n.logWarning("AOF reopen, just ignore the last error.")
	}
	a.writeErr, a.fsyncErr = nil, nil
	return true
}

// aofRestartTries is restartAOFAfterSYNC's max_tries.
const aofRestartTries = 10

// aofAfterFullSync is restartAOFAfterSYNC, after a replica loaded its
// master's RDB (the AOF was stopped before the load): startAppendOnly,
// tried again a second later (the node blocked in sleep(1)) while it
// fails, ten times in all, then the process exits.
func (n *Node) aofAfterFullSync() {
	if !n.cfg.AppendOnly {
		return
	}
	n.aofRestartTry(1)
}

func (n *Node) aofRestartTry(try int) {
	if n.aofStartAppendOnly() {
		return
	}
	n.logWarning("Failed enabling the AOF after successful master synchronization! Trying it again in one second.")
	n.beBusyThen(1000, func() {
		if try < aofRestartTries {
			n.aofRestartTry(try + 1)
			return
		}
		n.logWarning("FATAL: this replica instance finished the synchronization with its master, but the AOF can't be turned on. Exiting now.")
		n.exitNow(false)
	})
}
