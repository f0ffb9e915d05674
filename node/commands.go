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
func (n *Node) execute(c *client, args [][]byte) {
	n.stats.commandsProcessed++
	cmd := lookupCommand(args[0])
	if cmd == nil {
		c.reject(errUnknownCommand(string(args[0]), args[1:]))
		return
	}
	if (cmd.arity > 0 && len(args) != cmd.arity) || len(args) < -cmd.arity {
		c.reject(errWrongArgs(cmd.name))
		return
	}
	if msg := subcommandError(cmd, args); msg != "" {
		c.reject(msg)
		return
	}
	if !c.authed && cmd.flags&flagNoAuth == 0 {
		c.reject(errNoAuth)
		return
	}
	if c.inMulti && cmd.flags&flagNoMulti != 0 {
		c.reject("ERR Command not allowed inside a transaction")
		return
	}
	if n.denyOOM(c, cmd) {
		return
	}
	if n.diskErrorDenies(c, cmd) {
		return
	}
	isWrite := cmd.flags&flagWrite != 0
	if isWrite && n.repl.isReplica() && n.cfg.ReplicaReadOnly && !c.isMasterLink && !n.bug(BugReplicaAcceptsWrites) {
		c.reject(errReadOnly)
		return
	}
	if n.repl.isReplica() && !n.cfg.ReplicaServeStaleData && !n.repl.linkUp() && cmd.flags&flagStale == 0 {
		c.reject(errMasterDown)
		return
	}
	if c.inMulti && cmd.flags&flagMultiCtl == 0 {
		c.multiCmds = append(c.multiCmds, copyArgs(args))
		c.addSimple("QUEUED")
		return
	}
	n.call(c, cmd, args)
}

// call runs cmd and propagates what it wrote.
func (n *Node) call(c *client, cmd *command, args [][]byte) {
	n.prop.begin(c, n)
	c.lastCmd = cmd.name
	cmd.fn(n, c, args)
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
