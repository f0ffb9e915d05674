package cluster

import (
	"errors"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
)

const (
	opTimeout      = 2 * sim.Second
	reconnectDelay = 50 * sim.Millisecond
	maxThink       = 2 * sim.Millisecond
)

// simClient is one simulated Redis client: it issues one command at a time
// against its target node and records each operation with its outcome.
type simClient struct {
	h      *Cluster
	id     int
	name   string
	target *simNode
	// replicaReads marks a client that only reads from a replica.
	replicaReads bool
	// rng draws think times; opsRng the operations (a separate stream,
	// so think times are the same whether operations are drawn or
	// replayed).
	rng     *sim.Rand
	opsRng  *sim.Rand
	opsLeft int
	// replay, if not nil, holds the operations the client sends instead of
	// drawing them (from Options.Replay).
	replay []ClientOp

	conn      netsim.ConnID
	connected bool
	dialing   bool
	// authing is set while the AUTH sent on connecting awaits its reply.
	authing bool
	// nextEv and timeoutEv are the client's reusable events; deadline is
	// when the request in flight times out.
	nextEv    *clientNext
	timeoutEv *clientTimeout
	deadline  sim.Time
	scratch   []byte // reused to render replies for the trace
	// db is the database this client works in; its keys are named
	// "d<db>:k<n>" so every key lives in exactly one db.
	db int
	in []byte
	// pending is the index in its history of the operation in flight, -1 if none.
	pending int
	sentAt  sim.Time
	opSeq   int
	skip    int // replies to pass over before the one that decides the op (MULTI)
	// parts are the requests still to send, one per reply passed over (a
	// transaction sent one command per round trip).
	parts [][]byte
	// bad, if set, makes this a client that authenticates badly on
	// purpose (clients_auth.go).
	bad *badAuth
	// closeWait is set once a request got a protocol error: the node
	// must close the connection and answer nothing more; closeOp is that
	// operation's index in its history (workload_protocol.go).
	closeWait bool
	closeOp   int
	// lastDone is the history index of the operation whose reply came
	// last on this connection, -1 once the next request went out.
	lastDone int
	// connGen is the incarnation of the target as the connection was
	// dialed: the one it reached, or an earlier one;
	// replied is set once a reply to a part of the request in flight
	// (SELECT, MULTI, a queued command) came.
	connGen int
	replied bool
	// closing is set once a reply on the connection was one the node
	// closes the connection after (closesAfter).
	closing bool
}

// errUnblockedRole is the error Redis 7.0.15 answers a blocked client
// with when its node turns replica (disconnectAllBlockedClients); it
// closes the connection after it.
const errUnblockedRole = "UNBLOCKED force unblock from blocking operation, instance state changed"

// closesAfter reports whether err is a reply Redis closes the connection
// after (CLIENT_CLOSE_AFTER_REPLY): a protocol error, or a blocked
// client's unblocking on a role change.
func closesAfter(err string) bool {
	return strings.HasPrefix(err, checker.ProtocolError) || strings.HasPrefix(err, errUnblockedRole)
}

func (h *Cluster) addClient(name string, target *simNode, ops int, replicaReads bool) *simClient {
	c := &simClient{h: h, id: len(h.clients), name: name, target: target, opsLeft: ops,
		replicaReads: replicaReads, rng: h.w.Rand("client/" + name), opsRng: h.w.Rand("client/" + name + "/ops"), pending: -1, lastDone: -1}
	if h.opts.Replay != nil {
		for _, o := range h.opts.Replay.Ops {
			if o.Client == name {
				c.replay = append(c.replay, o)
			}
		}
		c.opsLeft = len(c.replay)
		if c.replay == nil {
			c.replay = []ClientOp{}
		}
	}
	c.nextEv, c.timeoutEv = &clientNext{c}, &clientTimeout{c}
	h.net.AddHost(name, c)
	h.clients = append(h.clients, c)
	h.w.After(sim.Time(c.rng.Int64N(int64(maxThink))), c.nextEv)
	return c
}

func (c *simClient) done() bool { return c.opsLeft == 0 && c.pending < 0 }

// busy reports whether the client waits for a reply.
func (c *simClient) busy() bool { return c.pending >= 0 || c.authing || c.closeWait }

func (c *simClient) history() *[]checker.Op {
	if c.replicaReads {
		return &c.h.replicaOps
	}
	return &c.h.masterOps
}

// next issues the next operation, connecting first if needed.
func (c *simClient) next() {
	if c.opsLeft == 0 || c.busy() {
		return
	}
	if !c.connected {
		if !c.dialing {
			c.dialing = true
			if c.bad != nil {
				c.bad.dialing(c.h.w.Now())
			}
			c.conn = c.h.net.Dial(c.name, c.target.addr())
			// The process the dial reaches started no later than now
			// (its handshake may complete long after, across a
			// partition, when that process has gone).
			c.connGen = c.target.gen
		}
		return
	}
	if c.replay != nil {
		if at := c.replay[0].At; at > c.h.w.Now() {
			c.h.w.After(at-c.h.w.Now(), c.nextEv)
			return
		}
	}
	var op checker.Op
	if c.bad != nil {
		op = c.badNext()
	} else {
		op = c.h.workload.next(c)
	}
	c.opsLeft--
	wire := c.resolveUnblock(&op) // CLIENT UNBLOCK's target (workload_list.go)
	hist := c.history()
	if *hist == nil {
		*hist = make([]checker.Op, 0, c.h.opts.Ops+c.h.opts.Ops/4)
	}
	op.ID = len(*hist)
	op.Client = c.id
	op.Node = c.target.name
	fillGivenReply(&op, c.target) // workload_admin.go
	op.Epoch = c.h.epoch
	op.DB = c.db
	op.Call = c.h.w.Now()
	if c.bad != nil {
		op.Auth = c.bad.conn
	}
	*hist = append(*hist, op)
	c.pending = op.ID
	c.lastDone = -1
	c.replied = false
	c.opSeq++
	c.sentAt = op.Call
	var req []byte
	if c.db != 0 {
		// Select the db on every request (the connection may be new);
		// its +OK is not an operation's reply.
		req = resp.AppendCommandStrings(req, "SELECT", strconv.Itoa(c.db))
	}
	opReq, skip := encodeOp(&wire)
	c.parts = nil
	if op.Kind == checker.OpTx && op.Mode == "RT" {
		parts := txRoundTrips(&op)
		opReq, c.parts = parts[0], parts[1:]
	}
	if isWatch(&op) {
		parts := watchRoundTrips(&op)
		opReq, c.parts, skip = parts[0], parts[1:], len(parts)-1
	}
	if op.Quiet != "" {
		opReq = quietRequest(&op, opReq)
	}
	req = append(req, opReq...)
	c.skip = skip
	if c.db != 0 {
		c.skip++
	}
	c.h.w.Log().S(c.name).S(" -> ").S(c.target.name).S(" ").S(opName(&op)).S(" ").S(op.Key).S(" ").S(op.Value).End()
	c.h.net.Send(c.conn, req)
	// A blocking command's reply may take its timeout and more: the
	// client does not take a blocked call for a lost connection.
	wait := opTimeout + blockFor(&op)
	c.deadline = c.h.w.Now() + wait
	c.h.w.After(wait, c.timeoutEv)
}

// retarget points a master client at the current master; the connection
// to the old one is closed (an operation in flight has an unknown outcome).
func (c *simClient) retarget() {
	if c.replicaReads || c.target == c.h.master {
		return
	}
	c.target = c.h.master
	if c.connected || c.dialing {
		c.h.net.Close(c.conn)
		c.lost()
	}
}

// clientNext runs the client's next step; clientTimeout gives up on the
// request in flight once its deadline has passed. Each client owns one of
// each, scheduled again and again, so a request costs no allocation; an
// older timeout still queued finds the deadline moved on and does nothing.
type clientNext struct{ c *simClient }
type clientTimeout struct{ c *simClient }

func (e *clientNext) Fire(*sim.World) { e.c.next() }

func (e *clientTimeout) Fire(w *sim.World) {
	if w.Now() >= e.c.deadline {
		e.c.timeout()
	}
}

func (c *simClient) timeout() {
	if !c.busy() {
		return
	}
	switch {
	case c.closeWait:
		// Not judged: the network may have lost the close.
		c.h.w.Log().S(c.name).S(" timeout waiting for the close after a protocol error").End()
	case c.authing:
		c.h.w.Log().S(c.name).S(" timeout auth").End()
	default:
		c.h.w.Log().S(c.name).S(" timeout op ").I(int64(c.pending)).End()
		if c.pending >= 0 && c.unanswered() {
			(*c.history())[c.pending].Unanswered = true
			c.h.w.Log().S(c.name).S(" op ").I(int64(c.pending)).S(" unanswered: ").S(c.target.name).S(" owes it nothing").End()
		}
	}
	c.h.net.Close(c.conn)
	c.lost()
}

// lost marks the operation in flight as having an unknown outcome and
// schedules a reconnect.
func (c *simClient) lost() {
	if c.pending >= 0 {
		op := &(*c.history())[c.pending]
		op.Unknown = true
		op.Return = c.h.w.Now()
		c.pending = -1
	}
	c.connected = false
	c.dialing = false
	c.lastDone = -1
	c.closing = false
	c.skip = 0
	c.parts = nil
	c.authing = false
	c.closeWait = false
	c.in = c.in[:0]
	c.h.w.After(reconnectDelay, c.nextEv)
}

// OnAccept implements netsim.Handler; clients do not listen.
func (c *simClient) OnAccept(port int, conn netsim.ConnID) {}

// OnDialed implements netsim.Handler.
func (c *simClient) OnDialed(conn netsim.ConnID, err error) {
	if conn != c.conn {
		return
	}
	c.dialing = false
	if err != nil {
		c.h.w.After(reconnectDelay, c.nextEv)
		return
	}
	c.connected = true
	if c.bad != nil {
		c.badDialed()
		c.next()
		return
	}
	if c.h.pass != "" {
		c.auth(c.h.pass)
		return
	}
	c.next()
}

// auth sends AUTH on a new connection; operations wait for its reply.
func (c *simClient) auth(pass string) {
	c.authing = true
	c.opSeq++
	c.h.w.Log().S(c.name).S(" -> ").S(c.target.name).S(" AUTH").End()
	c.h.net.Send(c.conn, resp.AppendCommandStrings(nil, "AUTH", pass))
	c.deadline = c.h.w.Now() + opTimeout
	c.h.w.After(opTimeout, c.timeoutEv)
}

// OnData implements netsim.Handler.
func (c *simClient) OnData(conn netsim.ConnID, p []byte) {
	if conn != c.conn {
		return
	}
	c.in = append(c.in, p...)
	for c.busy() {
		v, n, err := resp.ParseValue(c.in)
		if err != nil {
			c.h.w.Log().S(c.name).S(" bad reply: ").S(err.Error()).End()
			c.h.net.Close(c.conn)
			c.lost()
			return
		}
		if n == 0 {
			return
		}
		if c.closeWait {
			// A reply after a protocol error or QUIT: the node read on.
			op := &(*c.history())[c.closeOp]
			op.AfterError = string(appendReplyLine(nil, v))
			c.h.w.Log().S(c.name).S(" <- ").S(c.target.name).S(" after a protocol error: ").S(op.AfterError).End()
			c.h.net.Close(c.conn)
			c.lost()
			return
		}
		if c.skip > 0 {
			c.skip--
			c.replied = true
			c.in = c.in[:copy(c.in, c.in[n:])]
			if len(c.parts) > 0 && (c.db == 0 || c.skip < len(c.parts)) {
				// The reply to MULTI or to a queued command: send the next.
				c.watchPassedOver(v)
				next := c.parts[0]
				c.parts = c.parts[1:]
				if len(c.parts) == 0 && c.pending >= 0 {
					(*c.history())[c.pending].LastSent = c.h.w.Now()
				}
				c.h.net.Send(c.conn, next)
			}
			continue
		}
		if c.authing {
			c.authing = false
			c.h.w.Log().S(c.name).S(" <- ").S(c.target.name).S(" AUTH ").S(v.String()).End()
			c.h.w.After(0, c.nextEv)
		} else {
			c.complete(v)
			if !c.connected {
				return // closed on a reply out of place (completeQuiet)
			}
		}
		c.in = c.in[:copy(c.in, c.in[n:])]
	}
	c.extraReply()
}

// extraReply records a whole reply that came while no request was in
// flight, after the one that answered the last operation, and closes the
// connection so it cannot pass for the next operation's.
func (c *simClient) extraReply() {
	if !c.connected || c.busy() || c.closeWait || c.lastDone < 0 || len(c.in) == 0 {
		return
	}
	v, n, err := resp.ParseValue(c.in)
	if err != nil || n == 0 {
		return
	}
	op := &(*c.history())[c.lastDone]
	op.Extra = string(appendReplyLine(nil, v))
	c.h.w.Log().S(c.name).S(" <- ").S(c.target.name).S(" a second reply to op ").I(int64(op.ID)).S(": ").S(op.Extra).End()
	c.h.net.Close(c.conn)
	c.lost()
}

// complete records the reply to the operation in flight.
func (c *simClient) complete(v resp.Value) {
	op := &(*c.history())[c.pending]
	op.Return = c.h.w.Now()
	c.scratch = appendReplyLine(c.scratch[:0], v)
	c.h.w.Log().S(c.name).S(" <- ").S(c.target.name).S(" ").B(c.scratch).End()
	if op.Quiet != "" {
		c.completeQuiet(op, v)
		if !c.connected {
			return // lost() schedules the reconnect
		}
		c.h.w.After(sim.Time(c.rng.Int64N(int64(maxThink))), c.nextEv)
		return
	}
	recordReply(op, v)
	if closesAfter(op.Err) {
		c.closing = true
	}
	c.pending = -1
	c.lastDone = op.ID
	if c.bad != nil {
		c.badCompleted(op)
	}
	if op.Mode == "PROTOX" && protoCloses(op) {
		c.closeWait, c.closeOp = true, op.ID
		return // OnClosed connects again
	}
	c.h.w.After(sim.Time(c.rng.Int64N(int64(maxThink))), c.nextEv)
}

// OnClosed implements netsim.Handler.
func (c *simClient) OnClosed(conn netsim.ConnID, err error) {
	if conn != c.conn {
		return
	}
	c.h.w.Log().S(c.name).S(" connection closed: ").S(err.Error()).End()
	// A process's exit closes its connections too (the kernel does):
	// only a close by the process the client connected to, still
	// running, is the node's choice.
	t := c.target
	if errors.Is(err, netsim.ErrEOF) && c.pending >= 0 && !c.authing && !c.closeWait && t.up && !t.exiting && t.gen == c.connGen &&
		!c.replied && len(c.in) == 0 && !c.closing {
		(*c.history())[c.pending].ClosedByNode = true
	}
	c.lost()
}

// opName names op's command for the trace.
func opName(op *checker.Op) string {
	if op.Kind == checker.OpCmd {
		return op.Args[0]
	}
	if op.Mode == "PROTOX" {
		return strings.Join(op.Args, " ") // workload_protocol.go
	}
	return op.Kind.String()
}
