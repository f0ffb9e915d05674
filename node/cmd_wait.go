package node

func init() {
	register(&command{name: "wait", arity: 3, fn: waitCommand})
}

// waiter is a client blocked in WAIT.
type waiter struct {
	c        *client
	offset   int64
	want     int64
	timeout  int64 // ms, as the client gave it (0 = forever)
	deadline int64 // ms on the node's clock; 0 = forever
}

func waitCommand(n *Node, c *client, args [][]byte) {
	if n.repl.isReplica() {
		c.addError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.")
		if !n.bug(BugWaitOnReplicaAnswersTwice) {
			return
		}
	}
	want, ok := parseInt(args[1])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	timeout, ok := parseInt(args[2])
	if !ok {
		c.addError("ERR timeout is not an integer or out of range")
		return
	}
	if timeout < 0 {
		c.addError("ERR timeout is negative")
		return
	}
	off := c.woff
	acked := n.repl.ackedReplicas(off)
	if acked >= want || c.inMulti {
		n.tapWait(c, off, false)
		c.addInt(acked)
		return
	}
	w := &waiter{c: c, offset: off, want: want, timeout: timeout}
	if timeout > 0 {
		w.deadline = n.nowMs() + timeout
	}
	c.blocked = true
	n.addWaiter(w)
	n.getackPending = true
}

// ackedReplicas counts replicas that acknowledged offset off.
func (r *replication) ackedReplicas(off int64) int64 {
	var k int64
	for _, c := range r.replicas {
		if r.counts(c, off) {
			k++
		}
	}
	return k
}

// ackedBy lists the replicas WAIT counts for off (for the checkers' tap).
func (r *replication) ackedBy(off int64) []*client {
	var out []*client
	for _, c := range r.replicas {
		if r.counts(c, off) {
			out = append(out, c)
		}
	}
	return out
}

// counts reports whether WAIT counts replica c for off: online, and
// acknowledged at least that far.
func (r *replication) counts(c *client, off int64) bool {
	return c.replica.state == slaveOnline && (c.replica.ackOffset >= off || r.n.bug(BugWaitCountsLagging))
}

// wakeWaiters answers WAITs that are satisfied or timed out.
func (n *Node) wakeWaiters() {
	now := n.nowMs()
	kept := n.waiters[:0]
	for _, w := range n.waiters {
		if w.c.dead {
			continue
		}
		acked := n.repl.ackedReplicas(w.offset)
		if acked >= w.want || (w.deadline != 0 && now > w.deadline) {
			w.c.blocked = false
			n.statsUnblocked("wait", n.env.Now())
			n.tapWait(w.c, w.offset, false)
			w.c.addInt(acked)
			if w.c.hasInput() {
				n.processInput(w.c)
			}
			continue
		}
		kept = append(kept, w)
	}
	for i := len(kept); i < len(n.waiters); i++ {
		n.waiters[i] = nil
	}
	n.waiters = kept
}

func (n *Node) blockedCount() int {
	return len(n.waiters) + len(n.blk.clients) + len(n.shut.blocked)
}

// requestAcks asks every replica for an ACK (REPLCONF GETACK *), once per
// event, when a client blocked in WAIT during it: as beforeSleep's
// sendGetackToReplicas, whether that client still waits or not.
func (n *Node) requestAcks() {
	if !n.getackPending {
		return
	}
	n.getackPending = false
	n.feedStream(n.repl.selDB, encodeCommand("REPLCONF", "GETACK", "*"))
}
