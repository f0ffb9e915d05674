package node

func init() {
	debugSubcommands["aof-flush-sleep"] = debugAOFFlushSleep
}

// debugAOFFlushSleep is DEBUG AOF-FLUSH-SLEEP <microseconds>: from now on
// the node blocks that long before each write of a non-empty AOF buffer,
// as Redis's flushAppendOnlyFile sleeps (0 turns it off; what is not a
// number is 0, as atoi). The replies waiting for that write wait too.
func debugAOFFlushSleep(n *Node, c *client, args [][]byte) {
	if len(args) != 3 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	us, _ := parseInt(args[2])
	n.busyS.aofFlushSleepUs = max(us, 0)
	c.addOK()
}

// aofFlushSleep makes the node busy before an AOF write when
// aof-flush-sleep is set, and reports whether it did: the flush then
// waits for the end of the busy spell.
func (n *Node) aofFlushSleep() bool {
	us := n.busyS.aofFlushSleepUs
	if us <= 0 || n.busyS.aofSlept || !n.cfg.AppendOnly || len(n.ps.aof.buf) == 0 {
		n.busyS.aofSlept = false
		return false
	}
	n.busyS.aofSlept = true
	n.beBusy(nil, (us+999)/1000)
	return true
}
