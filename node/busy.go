package node

// A busy node is one that Redis would have blocked in a long call (DEBUG
// SLEEP): for that time it serves nobody, runs no serverCron, sends
// nothing and notices nothing. The node is sans-IO and cannot sleep, so it
// marks itself busy until a time of its monotonic clock (Redis sleeps in
// nanosleep and usleep, which a wall clock set back or forward neither
// stretches nor cuts short) and holds every event that arrives meanwhile
// (input, accepts, closes, dials, finished jobs), in arrival order. The
// first Tick or event at or after that time ends the busy spell: the
// output produced before it goes out, the client that went busy continues
// with its pipelined input (as Redis continues the same client's query
// buffer), then the held events run in order, then the tick does its
// periodic work.
type busyState struct {
	// until is the end of the busy spell on the monotonic clock
	// (Node.monoMs), ms; 0 when not busy.
	until int64
	// client is the client whose command made the node busy.
	client *client
	// then continues the call that went busy (a retry after sleep(1)):
	// it runs first when the spell ends.
	then func()
	held []func()
	// aofFlushSleepUs is DEBUG AOF-FLUSH-SLEEP; aofSlept marks the flush
	// whose sleep is over (aof_flush_sleep.go).
	aofFlushSleepUs int64
	aofSlept        bool
	// draining is set while the held events run: flush waits for the
	// end of them (wakeIfDue).
	draining bool
}

// Busy reports whether the node is inside a busy spell (DEBUG SLEEP, an
// AOF flush sleep): it runs nothing, an operator's command included, until
// a Tick at or after its end.
func (n *Node) Busy() bool { return n.busy() }

// busy reports whether the node is inside a busy spell.
func (n *Node) busy() bool { return n.busyS.until != 0 }

// beBusy starts a busy spell of ms milliseconds caused by c's command.
func (n *Node) beBusy(c *client, ms int64) {
	if ms <= 0 {
		return
	}
	n.busyS.until = max(n.monoMs()+ms, 1)
	n.busyS.client = c
}

// beBusyThen starts a busy spell of ms milliseconds inside a call that
// continues with then when it ends (Redis sleeping in the middle of it).
func (n *Node) beBusyThen(ms int64, then func()) {
	n.beBusy(nil, ms)
	n.busyS.then = then
}

// holdEvent keeps f to run when the busy spell ends. It reports whether
// it did (the node is busy).
func (n *Node) holdEvent(f func()) bool {
	if !n.busy() {
		return false
	}
	n.busyS.held = append(n.busyS.held, f)
	return true
}

// wakeIfDue ends the busy spell when its time has come, and reports
// whether the node is (still) busy.
func (n *Node) wakeIfDue() bool {
	if !n.busy() {
		return false
	}
	if n.monoMs() < n.busyS.until {
		return true
	}
	c := n.busyS.client
	n.busyS.until, n.busyS.client = 0, nil
	if then := n.busyS.then; then != nil {
		n.busyS.then = nil
		then()
		if n.down {
			n.busyS.held = nil
			return true // the process exited: nothing more runs
		}
		if n.busy() {
			return true
		}
	}
	n.flush()
	if c != nil && !c.dead && !n.down && c.hasInput() {
		n.processInput(c)
		n.flush()
	}
	held := n.busyS.held
	n.busyS.held = nil
	// The held events are what Redis finds ready when it wakes: one turn
	// of its event loop processes them all, and beforeSleep then writes
	// the AOF (sleeping aof-flush-sleep once) and the replies. So their
	// own flushes wait for one flush after the last of them; flushing,
	// and sleeping, after each one drained a backlog one AOF flush sleep
	// per event, each ended only by the next event or tick.
	n.busyS.draining = true
	for i, f := range held {
		if n.busy() {
			// An event held earlier made the node busy again: keep the
			// rest for the next spell, ahead of anything newer.
			n.busyS.held = append(held[i:len(held):len(held)], n.busyS.held...)
			break
		}
		f()
	}
	n.busyS.draining = false
	n.flush()
	return n.busy()
}
