package node

import "strings"

type cmdFlags uint16

const (
	flagWrite    cmdFlags = 1 << iota
	flagReadOnly          // reads the keyspace
	flagAdmin
	flagNoAuth   // allowed before AUTH
	flagStale    // allowed while the master link is down and replica-serve-stale-data is no
	flagNoMulti  // not allowed inside MULTI
	flagMultiCtl // MULTI/EXEC/DISCARD/WATCH/QUIT/RESET: run even inside MULTI
	flagDenyOOM
)

type cmdFunc func(n *Node, c *client, args [][]byte)

// command is one entry of the command table. Arity follows Redis: N means
// exactly N arguments (name included), -N at least N.
type command struct {
	name  string
	arity int
	flags cmdFlags
	fn    cmdFunc
	// subs lists a container command's subcommands (CLIENT SETNAME);
	// execute checks their names and arities like top-level commands.
	subs []subcommand
}

var commandTable = map[string]*command{}

func register(cmds ...*command) {
	for _, c := range cmds {
		commandTable[c.name] = c
	}
}

func lookupCommand(name []byte) *command {
	var buf [32]byte
	if len(name) > len(buf) {
		return commandTable[strings.ToLower(string(name))]
	}
	for i, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		buf[i] = ch
	}
	return commandTable[string(buf[:len(name)])]
}

// CommandCount is the number of commands the node implements.
func CommandCount() int { return len(commandTable) }

// execute runs one command for c, enforcing Redis's checks in Redis's order.
// EXEC is checked with the flags of the commands it queued, as Redis's
// processCommand does: an EXEC whose transaction would write on a read-only
// replica, or read while the master link is down and stale reads are off,
// is refused and the transaction discarded.
func (n *Node) execute(c *client, args [][]byte) {
	n.stats.commandsProcessed++
	defer n.afterExecute(c, args, n.statsBeginExecute())
	cmd := lookupCommand(args[0])
	if cmd == nil {
		c.reject(errUnknownCommand(string(args[0]), args[1:]))
		return
	}
	if (cmd.arity > 0 && len(args) != cmd.arity) || len(args) < -cmd.arity {
		n.rejectCommand(c, cmd, errWrongArgs(cmd.name))
		return
	}
	if cmd.name == "debug" && !allowProtected(n.cfg.EnableDebugCommand, c) {
		n.rejectCommand(c, cmd, errDebugNotAllowed)
		return
	}
	if msg := subcommandError(cmd, args); msg != "" {
		c.reject(msg)
		return
	}
	if !c.authed && cmd.flags&flagNoAuth == 0 {
		n.rejectCommand(c, cmd, errNoAuth)
		return
	}
	if c.inMulti && cmd.flags&flagNoMulti != 0 {
		c.reject("ERR Command not allowed inside a transaction")
		return
	}
	isExec := cmd.name == "exec" && c.inMulti
	isWrite := cmd.flags&flagWrite != 0 || isExec && c.multiFlags&flagWrite != 0
	denyStale := cmd.flags&flagStale == 0 || isExec && c.multiInvFlags&flagStale != 0
	if n.denyOOM(c, cmd) {
		return
	}
	if msg := n.diskErrorDenies(c, cmd, isWrite); msg != "" {
		n.rejectCommand(c, cmd, msg)
		return
	}
	if isWrite && !n.enoughGoodReplicas() {
		n.rejectCommand(c, cmd, errNoReplicas)
		return
	}
	if isWrite && n.repl.isReplica() && n.readOnly() && !c.isMasterLink && !n.bug(BugReplicaAcceptsWrites) {
		n.rejectCommand(c, cmd, errReadOnly)
		return
	}
	if n.repl.isReplica() && !n.cfg.ReplicaServeStaleData && !n.repl.linkUp() && denyStale && !n.bug(BugServeStaleIgnored) {
		n.rejectCommand(c, cmd, errMasterDown)
		return
	}
	if c.inMulti && cmd.flags&flagMultiCtl == 0 {
		c.queueMulti(cmd, args)
		c.addSimple("QUEUED")
		return
	}
	n.call(c, cmd, args)
	c.woff = n.repl.offset
	if len(n.blk.ready) > 0 {
		n.handleReadyKeys()
	}
}

// rejectCommand answers a command refused before it ran, as Redis's
// rejectCommand: inside MULTI that dooms the transaction, and a refused
// EXEC discards it with EXECABORT naming the reason (a plain ERR reason
// loses its code there, as in Redis's execCommandAbort).
func (n *Node) rejectCommand(c *client, cmd *command, msg string) {
	if cmd.name == "exec" && c.inMulti {
		c.discardTransaction()
		c.addError("EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR "))
		n.feedMonitorsLine(c, c.argv) // the EXEC closes the MULTI monitors saw
		return
	}
	c.reject(msg)
}

// call runs cmd and propagates what it wrote.
func (n *Node) call(c *client, cmd *command, args [][]byte) {
	n.prop.begin(c, n)
	c.lastCmd = cmd.name
	track, writing := n.replExp.on, n.writing
	n.replExp.on = n.trackReplicaExpires(c)
	n.writing = cmd.flags&flagWrite != 0
	dirty := n.dirty
	start := n.statsStart()
	cmd.fn(n, c, args)
	n.statsEnd(c, cmd, args, start)
	n.feedMonitors(c, cmd, args)
	n.touchWrittenKey(c, cmd, args, dirty)
	n.refreshWrittenColls(c, cmd, args, dirty)
	n.replExp.on, n.writing = track, writing
	n.prop.end(n)
}

func copyArgs(args [][]byte) [][]byte {
	size := 0
	for _, a := range args {
		size += len(a)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(args))
	for i, a := range args {
		buf = append(buf, a...)
		out[i] = buf[len(buf)-len(a):]
	}
	return out
}
