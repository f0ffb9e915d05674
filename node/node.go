// Package node is a Redis 7.0-compatible server core as a pure, event-driven
// state machine (sans-IO). Everything outside it arrives through its entry
// points (OnAccept, OnData, OnClosed, OnDialed, OnJobDone, Tick) and leaves
// through Env. The same code runs inside the simulator and behind the real
// TCP driver in cmd/replsim.
package node

import (
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/vfs"
)

// Node is one Redis-compatible server.
type Node struct {
	cfg     Config
	env     Env
	dbs     []*keyspace
	clients map[ConnID]*client
	// outq lists clients with output waiting for flush, in the order they
	// first got output, so sends happen in a deterministic order.
	outq   []*client
	limits resp.Limits
	// stalePass is the requirepass the last CONFIG SET replaced, kept only
	// for the planted bug stale-password-accepted.
	stalePass string

	nextClientID int64
	// monitors are the clients in MONITOR mode (cmd_monitor.go).
	monitors  []*client
	startTime int64 // Unix ms
	cronCount int64

	// dirty counts changes since the last successful save.
	dirty int64
	stats stats
	// statResets counts the CONFIG RESETSTATs this process ran.
	statResets int
	repl       replication
	jobs       map[uint64]func(err error)
	jobID      uint64
	down       bool // after SHUTDOWN
	// blk holds the clients blocked on keys (blocking.go).
	blk blockState
	// listPacked is DEBUG QUICKLIST-PACKED-THRESHOLD (0: the default);
	// every list points to it (list.go).
	listPacked int64
	// waiters are clients blocked in WAIT.
	waiters       []*waiter
	getackPending bool
	// activeExpireOff is DEBUG SET-ACTIVE-EXPIRE 0: only lazy expiry.
	activeExpireOff bool
	// noTouch is set while lookupNoTouch runs (LOOKUP_NOTOUCH).
	noTouch bool
	// staleVals holds previous values for the stale-read planted bug.
	staleVals map[string]string
	// prop collects the commands the current call propagates.
	prop propagation
	ps   persistState // RDB and AOF (persist.go, aof.go)
	// replExp remembers keys given a TTL on a writable replica.
	replExp replicaExpires
	// writing is set while a write command runs: its lookups delete
	// expired keys even on a replica (Redis's LOOKUP_WRITE).
	writing bool
	// sched is env when its driver can call the node back for input left
	// over (input.go); pendingIn lists those clients in order.
	sched     InputScheduler
	pendingIn []*client
	// mono is env when it has a monotonic clock (env.go).
	mono    MonotonicClock
	evict   evictState
	memPeak int64
	// boot is the configuration the node started with, for the planted
	// bugs that ignore runtime changes (settings.go).
	boot Config
	// busyS holds the node's events during DEBUG SLEEP (busy.go).
	busyS busyState
	// delayed are save jobs waiting out rdb-key-save-delay (job_delay.go).
	delayed []delayedJob
	// shut is a SHUTDOWN waiting for replicas, or a signal's (shutdown_wait.go).
	shut shutdownState
	// adminLate holds the replies an operator's client (Admin) got after
	// its command returned: a SHUTDOWN that blocked and was then cancelled.
	adminLate []byte
}

type stats struct {
	connectionsReceived int64
	commandsProcessed   int64
	expiredKeys         int64
	syncFull            int64
	syncPartialOK       int64
	syncPartialErr      int64
	rejectedConns       int64
	evictedKeys         int64
	// unexpectedErrors counts error replies to the master, a replica or
	// the AOF-loading client (INFO unexpected_error_replies).
	unexpectedErrors int64
	// cmd holds INFO commandstats, errorstats and latencystats
	// (stats_cmd.go).
	cmd cmdStats
}

// New returns a node with config cfg talking to the world through env.
func New(cfg Config, env Env) *Node {
	if cfg.Databases <= 0 {
		cfg.Databases = 16
	}
	if cfg.Hz <= 0 {
		cfg.Hz = 10
	}
	n := &Node{
		cfg:     cfg,
		env:     env,
		clients: make(map[ConnID]*client),
		limits:  resp.DefaultLimits,
		jobs:    make(map[uint64]func(error)),
	}
	n.sched, _ = env.(InputScheduler)
	n.mono, _ = env.(MonotonicClock)
	if cfg.ProtoMaxBulkLen > 0 {
		n.limits.MaxBulkLen = cfg.ProtoMaxBulkLen
	}
	n.boot = cfg
	n.dbs = make([]*keyspace, cfg.Databases)
	for i := range n.dbs {
		n.dbs[i] = newKeyspace()
		db := i
		n.dbs[i].onAdd = func(key string, obj value) { n.keyAdded(db, key, obj.kind()) }
		n.dbs[i].lruFor = n.lruFor
	}
	n.initReplicaExpires()
	n.startTime = n.nowMs()
	n.repl.init(n)
	if cfg.ReplicaOfHost != "" {
		n.setMaster(cfg.ReplicaOfHost, cfg.ReplicaOfPort, false)
	}
	return n
}

// Config returns the node's current configuration.
func (n *Node) Config() Config { return n.cfg }

func (n *Node) nowMs() int64 { return n.env.Now() / 1e6 }

// monoNs is the monotonic clock in ns (MonotonicClock), the wall clock
// without one.
func (n *Node) monoNs() int64 {
	if n.mono != nil {
		return n.mono.Monotonic()
	}
	return n.env.Now()
}

// monoMs is the monotonic clock in ms (MonotonicClock), the wall clock
// without one.
func (n *Node) monoMs() int64 { return n.monoNs() / 1e6 }

func (n *Node) bug(name string) bool { return n.cfg.Bugs != nil && n.cfg.Bugs[name] }

// OnAccept registers a new client connection from remoteAddr ("host:port").
func (n *Node) OnAccept(id ConnID, remoteAddr string) {
	if n.wakeIfDue() {
		n.holdEvent(func() { n.OnAccept(id, remoteAddr) })
		return
	}
	if n.down {
		n.env.Close(id)
		return
	}
	if !n.admit(id) {
		return
	}
	n.stats.connectionsReceived++
	c := n.addClient(id)
	c.addr = remoteAddr
}

func (n *Node) addClient(id ConnID) *client {
	n.nextClientID++
	c := &client{n: n, conn: id, id: n.nextClientID, authed: n.cfg.RequirePass == "", created: n.nowMs()}
	c.lastInteraction = c.created
	n.clients[id] = c
	return c
}

// OnData feeds bytes that arrived on connection id. The node copies what
// it keeps: the caller may reuse p once OnData returns.
func (n *Node) OnData(id ConnID, p []byte) {
	if n.wakeIfDue() && !n.bug(BugBusyServesClients) {
		q := append([]byte(nil), p...)
		n.holdEvent(func() { n.OnData(id, q) })
		return
	}
	c := n.clients[id]
	if c == nil || c.closing {
		return
	}
	c.lastInteraction = n.nowMs()
	if c.isMasterLink {
		n.masterLinkData(c, p)
	} else {
		c.in = append(c.in, p...)
		n.processInput(c)
		if !c.dead {
			n.closeOverQueryLimit(c)
		}
	}
	n.flush()
}

// OnClosed tells the node that connection id ended: err is nil when the
// peer closed it cleanly, else how it ended in strerror's words (the node
// logs them as Redis logs errno's).
func (n *Node) OnClosed(id ConnID, err error) {
	if n.wakeIfDue() {
		n.holdEvent(func() { n.OnClosed(id, err) })
		return
	}
	c := n.clients[id]
	if c == nil {
		return
	}
	if c == n.repl.link {
		n.repl.peerClosed, n.repl.closeErr = true, err
		defer func() { n.repl.peerClosed, n.repl.closeErr = false, nil }()
	}
	n.freeClient(c, false)
	n.flush()
}

// Tick runs the periodic work (serverCron); the environment calls it Hz
// times per second of the node's clock.
func (n *Node) Tick() {
	if n.down || n.wakeIfDue() {
		return
	}
	n.cronCount++
	if len(n.delayed) > 0 {
		n.startDueJobs()
	}
	if n.shut.asap || n.shut.deadline != 0 {
		n.shutdownCron()
		if n.down {
			return
		}
	}
	if len(n.shut.resume) > 0 {
		n.resumeUnblocked()
	}
	n.aofAlwaysLateFsync()
	if n.down {
		return
	}
	n.activeExpire()
	if len(n.waiters) > 0 {
		n.wakeWaiters()
	}
	n.persistCron()
	// replicationCron runs on the first tick and once a second after, as
	// Redis's run_with_period(1000) from its first serverCron.
	if (n.cronCount-1)%int64(n.cfg.Hz) == 0 {
		n.replicationCron()
	}
	n.flush()
}

// OnJobDone reports the end of a Background job.
func (n *Node) OnJobDone(id uint64, err error) {
	if n.wakeIfDue() {
		n.holdEvent(func() { n.OnJobDone(id, err) })
		return
	}
	done := n.jobs[id]
	if done == nil {
		return
	}
	delete(n.jobs, id)
	if !n.down {
		done(err)
	}
	n.flush()
}

func (n *Node) startJob(run func(fs vfs.FS) error, done func(err error)) {
	n.jobID++
	n.jobs[n.jobID] = done
	n.env.Background(n.jobID, run)
}

// flush hands every pending output buffer to the environment.
func (n *Node) flush() {
	if n.busy() || n.busyS.draining {
		return
	}
	n.blockedEventEnd()
	if len(n.shut.resume) > 0 && !n.down {
		// beforeSleep's processUnblockedClients: a client a cancelled
		// SHUTDOWN answered runs the input it had pipelined now.
		n.resumeUnblocked()
	}
	if n.aofFlushSleep() {
		return
	}
	n.requestAcks()
	n.flushAOF()
	for i, c := range n.outq {
		n.outq[i] = nil
		c.queued = false
		if n.closeOverLimit(c) {
			continue
		}
		if c.discard {
			c.out = nil
			continue
		}
		if c.keep {
			continue
		}
		if c.operator {
			// A blocked operator's command answered later (Admin
			// returned without a reply): kept for TakeAdminReplies.
			n.adminLate = append(n.adminLate, c.out...)
			c.out = nil
			continue
		}
		if len(c.out) > 0 && !c.dead {
			c.noteSent()
			n.env.Send(c.conn, c.out)
			c.out = nil
		}
		if c.closeAfter && !c.dead {
			n.freeClient(c, true)
		}
	}
	n.outq = n.outq[:0]
}

// freeClient forgets c; close says whether the node closes the connection
// (rather than reacting to the peer closing it).
func (n *Node) freeClient(c *client, close bool) {
	if c.dead {
		return
	}
	c.dead = true
	n.forgetBlocked(c)
	if n.clients[c.conn] == c {
		delete(n.clients, c.conn) // an internal session has no connection (AdminSession)
	}
	c.unwatchAll()
	n.stopMonitor(c)
	c.releaseBuffers()
	if close {
		n.env.Close(c.conn)
	}
	n.clientGone(c)
}
