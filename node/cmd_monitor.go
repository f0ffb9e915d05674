package node

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// MONITOR: a monitor client receives every command the node runs, after
// it ran, as one status line in Redis's format:
//
//	+1339518083.107412 [0 127.0.0.1:60866] "set" "foo" "bar"
//
// Administrative commands (and the others Redis marks skip_monitor) are
// not shown; arguments that carry passwords read "(redacted)". Commands of
// a transaction appear when EXEC runs them, between MULTI and EXEC.

func init() {
	register(&command{name: "monitor", arity: 1, flags: flagAdmin | flagStale, fn: monitorCommand})
}

func monitorCommand(n *Node, c *client, args [][]byte) {
	if c.monitor || c.isReplica() || c.isMasterLink {
		return // already a monitor or a replica: ignored, as in Redis
	}
	c.monitor = true
	n.monitors = append(n.monitors, c)
	c.addOK()
}

// stopMonitor takes c off the monitors (RESET, disconnect).
func (n *Node) stopMonitor(c *client) {
	if !c.monitor {
		return
	}
	c.monitor = false
	for i, m := range n.monitors {
		if m == c {
			n.monitors = append(n.monitors[:i:i], n.monitors[i+1:]...)
			break
		}
	}
}

// feedMonitors shows a command c ran to the monitors, unless Redis hides
// it (admin or skip_monitor commands, and everything while loading).
func (n *Node) feedMonitors(c *client, cmd *command, args [][]byte) {
	if len(n.monitors) == 0 || n.ps.loading || cmd.flags&flagAdmin != 0 {
		return
	}
	if m := metaFor(cmd); m != nil && (m.hasFlag("skip_monitor") || m.hasFlag("admin")) {
		return
	}
	n.feedMonitorsLine(c, args)
}

// feedMonitorsLine sends the monitor line of args run by c.
func (n *Node) feedMonitorsLine(c *client, args [][]byte) {
	if len(n.monitors) == 0 || n.ps.loading {
		return
	}
	us := n.env.Now() / 1000
	var b strings.Builder
	b.WriteString(strconv.FormatInt(us/1e6, 10))
	b.WriteByte('.')
	b.WriteString(padUsec(us % 1e6))
	b.WriteString(" [" + strconv.Itoa(c.db) + " " + c.addr + "]")
	redact := redactedArgs(args)
	for i, a := range args {
		b.WriteByte(' ')
		if redact[i] {
			b.WriteString(`"(redacted)"`)
		} else {
			b.WriteString(resp.Repr(string(a)))
		}
	}
	line := b.String()
	for _, m := range n.monitors {
		if !m.dead {
			m.addSimpleRaw(line)
		}
	}
}

// addSimpleRaw writes a status reply whose text may hold any byte (the
// monitor line's arguments are quoted already).
func (c *client) addSimpleRaw(s string) {
	if c.silent() {
		return
	}
	c.out = append(append(append(c.outBuf(), '+'), s...), '\r', '\n')
	c.markPending()
}

// redactedArgs marks the arguments Redis hides from monitors: AUTH's
// password (and user), HELLO's AUTH user and password, and the values of
// sensitive directives in CONFIG SET.
func redactedArgs(args [][]byte) map[int]bool {
	red := map[int]bool{}
	switch {
	case equalFold(args[0], "auth"):
		for i := 1; i < len(args) && i <= 2; i++ {
			red[i] = true
		}
	case equalFold(args[0], "hello"):
		for j := 2; j < len(args); j++ {
			if equalFold(args[j], "auth") && len(args)-1-j >= 2 {
				red[j+1], red[j+2] = true, true
				j += 2
			}
		}
	case equalFold(args[0], "config") && len(args) > 2 && equalFold(args[1], "set"):
		for i := 2; i+1 < len(args); i += 2 {
			if sensitiveConfig(string(args[i])) {
				red[i+1] = true
			}
		}
	}
	return red
}

// sensitiveConfig reports whether a directive's value is a secret.
func sensitiveConfig(name string) bool {
	switch strings.ToLower(name) {
	case "requirepass", "masterauth", "masteruser":
		return true
	}
	return false
}
