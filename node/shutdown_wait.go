package node

import (
	"errors"
	"strings"
)

// SHUTDOWN (and SIGTERM/SIGINT) in Redis 7.0 wait up to shutdown-timeout
// seconds for lagging replicas before exiting, unless NOW is given or the
// timeout is 0: the master asks its replicas for an ACK, the SHUTDOWN
// clients stay blocked, INFO shows shutdown_in_milliseconds, and the
// cron finishes the shutdown as soon as every replica acknowledged the
// master's offset, or at the deadline. SHUTDOWN ABORT cancels it (the
// blocked clients get an error), and so does a failure to finish (a
// failed save, the first AOF still being written).
//
// Not done: Redis also pauses writes while it waits (CLIENT PAUSE WRITE),
// and refuses to exit while the first AOF of a CONFIG SET appendonly yes
// is being written (the node writes that AOF at once).

// shutdownState is Redis's shutdown_asap / shutdown_mstime / shutdown_flags.
type shutdownState struct {
	// deadline is when the shutdown finishes at the latest, Unix ms; 0 when
	// no shutdown is in progress.
	deadline int64
	flags    int
	// asap is Redis's shutdown_asap: set by a signal, the next tick
	// starts the shutdown with the flags of shutdown-on-sigterm /
	// shutdown-on-sigint. It stays set while that shutdown waits for the
	// replicas (prepareForShutdown leaves it), until cancelShutdown or
	// abortShutdown clears it; a SHUTDOWN command never sets it.
	asap   bool
	sigint bool
	// blocked are the clients waiting in SHUTDOWN.
	blocked []*client
	// resume are clients unblocked with input left, to process at the
	// next tick (not from inside another client's command).
	resume []*client
}

// errShutdownFailed is the reply of a SHUTDOWN that could not finish.
const errShutdownFailed = "ERR Errors trying to SHUTDOWN. Check logs."

// ShutdownSignal is SIGTERM (sigint false) or SIGINT arriving: the node
// shuts down from its next tick, as Redis's serverCron does after its
// signal handler set shutdown_asap. The driver logs the signal.
func (n *Node) ShutdownSignal(sigint bool) {
	n.shut.asap, n.shut.sigint = true, sigint
}

// ShutdownPending is Redis's shutdown_asap: a signal requested a shutdown
// that was neither cancelled nor aborted since (it may wait for the
// replicas). A SIGINT then exits at once (sigShutdownHandler: "You
// insist... exiting now."); a SHUTDOWN command's wait alone does not set
// it.
func (n *Node) ShutdownPending() bool { return n.shut.asap }

// ShutdownWaiting reports whether a shutdown waits for replicas: a
// SHUTDOWN now joins it, under the deadline it already has.
func (n *Node) ShutdownWaiting() bool { return n.shutdownInProgress() }

// shutdownInProgress is Redis's isShutdownInitiated.
func (n *Node) shutdownInProgress() bool { return n.shut.deadline != 0 }

// replicasInSync is isReadyToShutdown: every replica acknowledged the
// master's offset.
func (n *Node) replicasInSync() bool {
	for _, c := range n.repl.replicas {
		if c.replica.ackOffset != n.repl.offset {
			return false
		}
	}
	return true
}

// prepareShutdown is prepareForShutdown: it either starts waiting for the
// replicas or finishes the shutdown at once. c, when not nil, is the
// SHUTDOWN client, which blocks until the end. A failure is answered to
// the blocked clients (cancelShutdown): no caller needs more.
func (n *Node) prepareShutdown(c *client, flags int) {
	if c != nil {
		c.blocked = true
		n.shut.blocked = append(n.shut.blocked, c)
	}
	if n.shutdownInProgress() {
		return
	}
	if n.ps.loading {
		flags = flags&^shutdownSave | shutdownNoSave
	}
	n.shut.flags = flags
	n.logWarning("User requested shutdown...")
	if flags&shutdownNow == 0 && n.cfg.ShutdownTimeoutSec != 0 && !n.replicasInSync() && !n.bug(BugShutdownSkipsReplicaWait) {
		n.shut.deadline = n.nowMs() + n.cfg.ShutdownTimeoutSec*1000
		if !n.repl.isReplica() {
			// A replica's stream is its master's: it asks nothing itself.
			n.feedStream(n.repl.selDB, encodeCommand("REPLCONF", "GETACK", "*"))
		}
		n.logNotice("Waiting for replicas before shutting down.")
		return
	}
	n.finishShutdown()
}

// finishShutdown is Redis's finishShutdown: log the lagging replicas and
// exit (shutdown), or cancel the shutdown when that fails.
func (n *Node) finishShutdown() {
	lagging := 0
	now := n.nowMs()
	for _, c := range n.repl.replicas {
		rs := c.replica
		if rs.ackOffset == n.repl.offset {
			continue
		}
		lagging++
		lag := int64(0)
		if rs.state == slaveOnline {
			lag = now/1000 - rs.ackTime/1000
		}
		n.logWarning("Lagging replica %s reported offset %d behind master, lag=%d, state=%s.",
			replicaName(c), n.repl.offset-rs.ackOffset, lag, rs.state)
	}
	if k := len(n.repl.replicas); k > 0 {
		n.logNotice("%d of %d replicas are in sync when shutting down.", k-lagging, k)
	}
	p := n.persist()
	killedRDB, socket := p.child == childRDB, p.childSocket
	if n.shutdown(n.shut.flags) != nil {
		n.shutdownFailed()
		if killedRDB {
			// The child shutdown killed is reaped: the node lives on.
			n.reapKilledRDB(socket)
		}
	}
}

// shutdownFailed is the error path of finishShutdown plus cancelShutdown.
func (n *Node) shutdownFailed() {
	n.logWarning("Errors trying to shut down the server. Check the logs for more information.")
	n.cancelShutdown()
}

// cancelShutdown forgets the shutdown and answers the blocked clients.
func (n *Node) cancelShutdown() {
	blocked, resume := n.shut.blocked, n.shut.resume
	n.shut = shutdownState{}
	for _, c := range blocked {
		if c.dead {
			continue
		}
		c.blocked = false
		c.addError(errShutdownFailed)
		if c.hasInput() {
			resume = append(resume, c)
		}
	}
	n.shut.resume = resume
}

// resumeUnblocked processes the input the unblocked SHUTDOWN clients had
// buffered.
func (n *Node) resumeUnblocked() {
	list := n.shut.resume
	n.shut.resume = nil
	for _, c := range list {
		if !c.dead && !c.blocked && !n.down {
			n.processInput(c)
		}
	}
}

// abortShutdown is SHUTDOWN ABORT; it reports whether there was anything
// to abort.
func (n *Node) abortShutdown() bool {
	switch {
	case n.shutdownInProgress() && n.bug(BugShutdownAbortKeepsWaiting):
	case n.shutdownInProgress():
		n.cancelShutdown()
	case n.shut.asap:
		n.shut.asap = false
	default:
		return false
	}
	n.logNotice("Shutdown manually aborted.")
	return true
}

// shutdownCron is serverCron's part: start a signal's shutdown, or finish
// one whose replicas caught up or whose time is up. Like Redis's
// serverCron it leaves shutdown_asap set (a failure's cancelShutdown
// clears it) and logs nothing more when the shutdown fails
// (finishShutdown did; the "SIGTERM received but errors trying to shut
// down the server" line is whileBlockedCron's, during a load).
func (n *Node) shutdownCron() {
	switch {
	case n.shut.asap && !n.shutdownInProgress():
		flags := n.cfg.ShutdownOnSigterm
		if n.shut.sigint {
			flags = n.cfg.ShutdownOnSigint
		}
		n.prepareShutdown(nil, flags)
	case n.shutdownInProgress():
		if n.nowMs() >= n.shut.deadline || n.replicasInSync() {
			n.finishShutdown()
		}
	}
}

// shutdownGone drops a closed client from the blocked list.
func (n *Node) shutdownGone(c *client) {
	for i, b := range n.shut.blocked {
		if b == c {
			n.shut.blocked = append(n.shut.blocked[:i], n.shut.blocked[i+1:]...)
			return
		}
	}
}

// shutdownOnSigNames are the values of shutdown-on-sigterm/-sigint, in
// Redis's order, with their flags.
var shutdownOnSigNames = []struct {
	name string
	flag int
}{{"default", 0}, {"save", shutdownSave}, {"nosave", shutdownNoSave}, {"now", shutdownNow}, {"force", shutdownForce}}

func shutdownOnSigConf(name string, field func(*Config) *int) {
	defineConf(name, "", confMultiArg, func(s *confSetter, args []string) error {
		if len(args) == 0 {
			return errors.New("argument(s) must be one of the following: default, save, nosave, now, force")
		}
		v := 0
		for _, a := range args {
			found := false
			for _, e := range shutdownOnSigNames {
				if strings.EqualFold(a, e.name) {
					v |= e.flag
					found = true
				}
			}
			if !found {
				return errors.New("argument(s) must be one of the following: default, save, nosave, now, force")
			}
		}
		if v&shutdownSave != 0 && v&shutdownNoSave != 0 {
			return errors.New("shutdown options SAVE and NOSAVE can't be used simultaneously")
		}
		*field(s.cfg) = v
		return nil
	}, func(c *Config) string {
		v := *field(c)
		var names []string
		for _, e := range shutdownOnSigNames {
			if v == e.flag {
				return e.name
			}
			if e.flag != 0 && v&e.flag == e.flag {
				names = append(names, e.name)
			}
		}
		return strings.Join(names, " ")
	})
}

func init() {
	shutdownOnSigConf("shutdown-on-sigint", func(c *Config) *int { return &c.ShutdownOnSigint })
	shutdownOnSigConf("shutdown-on-sigterm", func(c *Config) *int { return &c.ShutdownOnSigterm })
}
