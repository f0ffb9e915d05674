package node

import "bytes"

// inputBudget bounds the bytes of one client's input the node looks at in
// one event when the driver can call it back (InputScheduler). Redis reads
// at most 16 KB per readable client per event-loop turn (PROTO_IOBUF_LEN)
// and processes what it read; the node gets its input in chunks of any
// size, so it bounds the work itself. 64 KB is PROTO_INLINE_MAX_SIZE: a
// window never makes a "too big" protocol error fire earlier than Redis's
// 16 KB reads would.
const inputBudget = 64 * 1024

// InputScheduler is implemented by an Env whose driver can come back to
// the node later in the same instant. When one client's buffered input
// holds more than the node processes in one event, the node calls
// InputPending, and the driver must call Node.ProcessPendingInput after
// giving its other ready events their turn, so that one huge request or
// pipeline cannot starve the other clients. Without it the node processes
// every buffered byte before returning (which is what the simulator's
// drivers rely on).
type InputScheduler interface {
	InputPending()
}

// ProcessPendingInput continues, one budget each, with every client whose
// input an earlier event left unprocessed.
func (n *Node) ProcessPendingInput() {
	if n.wakeIfDue() {
		return // the list waits for the end of the busy spell (busy.go)
	}
	list := n.pendingIn
	n.pendingIn = nil
	for _, c := range list {
		c.inPending = false
		if c.dead || n.down {
			continue
		}
		if c.isMasterLink {
			n.masterLinkData(c, nil)
		} else {
			n.processInput(c)
		}
	}
	n.flush()
}

// HasPendingInput reports whether ProcessPendingInput has work.
func (n *Node) HasPendingInput() bool { return len(n.pendingIn) > 0 && !n.busy() }

// inputEnd is how far into c.in one event may look, starting from what the
// parser has already seen.
func (n *Node) inputEnd(c *client) int {
	if n.sched == nil {
		return len(c.in)
	}
	return min(len(c.in), c.qpos+c.parser.Progress()+inputBudget)
}

// inputLeft records that c still has input beyond end to process later.
func (n *Node) inputLeft(c *client, end int) {
	if end >= len(c.in) || c.inPending || c.dead || c.closing || c.blocked {
		return
	}
	c.inPending = true
	n.pendingIn = append(n.pendingIn, c)
	n.sched.InputPending()
}

// processInput executes the complete commands buffered for c, within one
// event's budget.
func (n *Node) processInput(c *client) {
	end := n.inputEnd(c)
	for c.qpos < end && !c.closing && !c.blocked && !c.dead && !n.busy() {
		args, k, err := c.parser.Parse(c.in[c.qpos:end], c.argv[:0], &n.limits, !c.authed)
		if err != nil {
			c.addError("ERR " + err.Error())
			if n.bug(BugProtocolErrorKeepsConn) {
				if nl := bytes.IndexByte(c.in[c.qpos:end], '\n'); nl >= 0 {
					c.qpos += nl + 1
					c.parser.Reset()
					continue
				}
			}
			c.closeAfterReply()
			break
		}
		if k == 0 {
			break
		}
		c.qpos += k
		c.argv = args
		if len(args) == 0 {
			continue
		}
		n.execute(c, args)
		c.releaseArgv()
	}
	if c.dead {
		return
	}
	n.inputLeft(c, end)
	c.compactInput(c.qpos)
}

// hasInput reports whether c has buffered bytes not yet taken by a request.
func (c *client) hasInput() bool { return c.qpos < len(c.in) }

// compactInput drops c.in[:k] (k <= c.qpos) once that is cheap, and
// returns how many bytes it dropped (k or 0): when
// nothing follows, or when the dropped part is at least as long as what
// has to move, so the copying stays linear in the bytes received. A large
// buffer left empty is released (Redis frees a query buffer that outgrew
// PROTO_RESIZE_THRESHOLD once it is idle).
func (c *client) compactInput(k int) (dropped int) {
	rest := len(c.in) - k
	switch {
	case k == 0:
		return 0
	case rest == 0:
		if cap(c.in) > maxIdleInput {
			c.in = nil
		} else {
			c.in = c.in[:0]
		}
	case k >= rest:
		copy(c.in, c.in[k:])
		c.in = c.in[:rest]
	default:
		return 0
	}
	c.qpos -= k
	return k
}

// releaseArgv drops an argument table grown by a huge request.
func (c *client) releaseArgv() {
	if cap(c.argv) > maxKeptArgv {
		c.argv = nil
	}
}

const (
	// maxIdleInput is PROTO_RESIZE_THRESHOLD: an empty input buffer with
	// more capacity than this is released.
	maxIdleInput = 32 * 1024
	// maxKeptArgv bounds the argument table a client keeps between
	// commands.
	maxKeptArgv = 1024
)
