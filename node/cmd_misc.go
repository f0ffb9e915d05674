package node

import (
	"sort"
	"strconv"
	"strings"
)

func init() {
	register(
		&command{name: "hello", arity: -1, flags: flagNoAuth | flagStale, fn: helloCommand},
		&command{name: "client", arity: -2, flags: flagStale, fn: dispatchSub, subs: clientSubcommands},
		&command{name: "function", arity: -2, fn: dispatchSub, subs: functionSubcommands},
		&command{name: "debug", arity: -2, flags: flagAdmin | flagStale, fn: debugCommand},
	)
}

const redisVersion = "7.0.15"

// helloCommand answers HELLO in RESP2 only: HELLO 3 gets NOPROTO (this
// node has no RESP3), so clients such as go-redis fall back to RESP2.
func helloCommand(n *Node, c *client, args [][]byte) {
	next := 1
	if len(args) >= 2 {
		ver, ok := parseInt(args[1])
		if !ok {
			c.addError("ERR Protocol version is not an integer or out of range")
			return
		}
		if ver != 2 {
			c.addError("NOPROTO unsupported protocol version")
			return
		}
		next = 2
	}
	for j := next; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case equalFold(args[j], "auth") && more >= 2:
			if !n.passwordOK(args[j+1], args[j+2]) {
				c.addError(errWrongPass)
				return
			}
			c.authed = true
			j += 2
		case equalFold(args[j], "setname") && more >= 1:
			if !setClientName(c, args[j+1]) {
				return
			}
			j++
		default:
			c.addError(noNewlines("ERR Syntax error in HELLO option '" + cString(args[j]) + "'"))
			return
		}
	}
	if !c.authed {
		c.addError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	role := "master"
	if n.repl.isReplica() {
		role = "replica"
	}
	c.addArrayLen(14)
	c.addBulk("server")
	c.addBulk("redis")
	c.addBulk("version")
	c.addBulk(redisVersion)
	c.addBulk("proto")
	c.addInt(2)
	c.addBulk("id")
	c.addInt(c.id)
	c.addBulk("mode")
	c.addBulk("standalone")
	c.addBulk("role")
	c.addBulk(role)
	c.addBulk("modules")
	c.addArrayLen(0)
}

// passwordOK checks a username and password against the only user, the
// default one (which takes any password when requirepass is unset).
func (n *Node) passwordOK(user, pass []byte) bool {
	return string(user) == "default" && (n.cfg.RequirePass == "" || string(pass) == n.cfg.RequirePass)
}

// setClientName sets c's name, replying an error for a name with spaces
// or special characters. An empty name clears it.
func setClientName(c *client, name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			c.addError("ERR Client names cannot contain spaces, newlines or special characters.")
			return false
		}
	}
	c.name = string(name)
	return true
}

var clientSubcommands = []subcommand{
	{"id", 2, func(n *Node, c *client, args [][]byte) { c.addInt(c.id) }},
	{"getname", 2, func(n *Node, c *client, args [][]byte) {
		if c.name == "" {
			c.addNull()
			return
		}
		c.addBulk(c.name)
	}},
	{"setname", 3, func(n *Node, c *client, args [][]byte) {
		if setClientName(c, args[2]) {
			c.addOK()
		}
	}},
	{"info", 2, func(n *Node, c *client, args [][]byte) { c.addBulk(n.clientInfo(c) + "\n") }},
	{"list", -2, clientListCommand},
	{"no-evict", 3, func(n *Node, c *client, args [][]byte) {
		if !equalFold(args[2], "on") && !equalFold(args[2], "off") {
			c.addError(errSyntax)
			return
		}
		c.addOK()
	}},
}

// clientType is the CLIENT LIST TYPE class of c.
func clientType(c *client) string {
	switch {
	case c.isMasterLink:
		return "master"
	case c.isReplica():
		return "replica"
	default:
		return "normal"
	}
}

func clientListCommand(n *Node, c *client, args [][]byte) {
	all := make([]*client, 0, len(n.clients))
	for _, cl := range n.clients {
		all = append(all, cl)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	var sb strings.Builder
	switch {
	case len(args) == 2:
		for _, cl := range all {
			sb.WriteString(n.clientInfo(cl) + "\n")
		}
	case len(args) == 4 && equalFold(args[2], "type"):
		want := strings.ToLower(string(args[3]))
		if want == "slave" {
			want = "replica"
		}
		if want != "normal" && want != "replica" && want != "master" && want != "pubsub" {
			c.addError(noNewlines("ERR Unknown client type '" + cString(args[3]) + "'"))
			return
		}
		for _, cl := range all {
			if clientType(cl) == want {
				sb.WriteString(n.clientInfo(cl) + "\n")
			}
		}
	case len(args) > 3 && equalFold(args[2], "id"):
		for _, a := range args[3:] {
			id, ok := parseInt(a)
			if !ok {
				c.addError("ERR Invalid client ID")
				return
			}
			for _, cl := range all {
				if cl.id == id {
					sb.WriteString(n.clientInfo(cl) + "\n")
				}
			}
		}
	default:
		c.addError(errSyntax)
		return
	}
	c.addBulk(sb.String())
}

// clientInfo is one CLIENT LIST line (without the newline) with Redis's
// fields; the memory and buffer figures this node does not track are 0.
func (n *Node) clientInfo(cl *client) string {
	now := n.nowMs()
	flags := ""
	switch clientType(cl) {
	case "replica":
		flags += "S"
	case "master":
		flags += "M"
	}
	if cl.monitor {
		flags += "O"
	}
	multi := -1
	if cl.inMulti {
		flags += "x"
		multi = len(cl.multiCmds)
	}
	if cl.blocked {
		flags += "b"
	}
	if cl.dirtyCAS {
		flags += "d"
	}
	if flags == "" {
		flags = "N"
	}
	cmd := cl.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	laddr := "127.0.0.1:" + strconv.Itoa(n.cfg.Port)
	if len(n.cfg.Bind) > 0 {
		laddr = n.cfg.Bind[0] + ":" + strconv.Itoa(n.cfg.Port)
	}
	f := []string{
		"id=" + itoa(cl.id),
		"addr=" + cl.addr,
		"laddr=" + laddr,
		"fd=" + strconv.FormatUint(uint64(cl.conn), 10),
		"name=" + cl.name,
		"age=" + itoa((now-cl.created)/1000),
		"idle=" + itoa((now-cl.lastInteraction)/1000),
		"flags=" + flags,
		"db=" + strconv.Itoa(cl.db),
		"sub=0", "psub=0", "ssub=0",
		"multi=" + strconv.Itoa(multi),
		"qbuf=" + strconv.Itoa(len(cl.in)), "qbuf-free=0", "argv-mem=0", "multi-mem=0",
		"rbs=0", "rbp=0", "obl=0", "oll=0",
		"omem=" + strconv.Itoa(len(cl.out)), "tot-mem=0",
		"events=r",
		"cmd=" + cmd,
		"user=default", "redir=-1", "resp=2",
	}
	return strings.Join(f, " ")
}

// FUNCTION knows only FLUSH: there are no functions to flush, but the
// command still replicates, as in Redis.
var functionSubcommands = []subcommand{{"flush", -2, functionFlushCommand}}

func functionFlushCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	if len(args) == 3 && !equalFold(args[2], "sync") && !equalFold(args[2], "async") {
		c.addError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	n.dirty++
	n.propagate(args...)
	c.addOK()
}

// debugCommand supports DEBUG DIGEST (the node's dataset digest) and
// DEBUG DIGEST-VALUE key... (a per-value digest, zeros for a missing key),
// both exactly Redis's.
func debugCommand(n *Node, c *client, args [][]byte) {
	switch {
	case equalFold(args[1], "digest") && len(args) == 2:
		c.addSimple(n.Digest())
	case equalFold(args[1], "digest-value") && len(args) >= 2:
		c.addArrayLen(len(args) - 2)
		for _, k := range args[2:] {
			// Like Redis, no lookup: logically expired keys count.
			var d digest
			if e := n.dbs[c.db].lookup(string(k)); e != nil {
				valueDigest(&d, e)
			}
			c.addSimple(d.hex())
		}
	case equalFold(args[1], "quicklist-packed-threshold") && len(args) == 3:
		n.setPackedThreshold(c, args[2])
	case equalFold(args[1], "set-active-expire") && len(args) == 3:
		// Redis takes atoi of the argument: anything but a number is 0.
		v, _ := parseInt(args[2])
		n.activeExpireOff = v == 0
		c.addOK()
	default:
		if f := debugSubcommands[string(lowerASCII(args[1]))]; f != nil {
			f(n, c, args)
			return
		}
		c.addError(errSubcommandSyntax(args))
	}
}
