package node

import "sort"

func init() {
	register(&command{name: "command", arity: -1, flags: flagStale, fn: commandCommand, subs: commandSubcommands})
}

// keyPos is a command's legacy key specification: first key, last key
// (negative counts from the end) and step; all 0 for keyless commands.
type keyPos struct{ first, last, step int }

var commandKeys = map[string]keyPos{
	"get": {1, 1, 1}, "set": {1, 1, 1}, "setnx": {1, 1, 1}, "setex": {1, 1, 1},
	"psetex": {1, 1, 1}, "getset": {1, 1, 1}, "getdel": {1, 1, 1}, "getex": {1, 1, 1},
	"mget": {1, -1, 1}, "mset": {1, -1, 2}, "msetnx": {1, -1, 2}, "append": {1, 1, 1},
	"strlen": {1, 1, 1}, "incr": {1, 1, 1}, "decr": {1, 1, 1}, "incrby": {1, 1, 1},
	"decrby": {1, 1, 1}, "incrbyfloat": {1, 1, 1}, "getrange": {1, 1, 1}, "setrange": {1, 1, 1},
	"del": {1, -1, 1}, "unlink": {1, -1, 1}, "exists": {1, -1, 1}, "type": {1, 1, 1},
	"rename": {1, 2, 1}, "renamenx": {1, 2, 1}, "expire": {1, 1, 1}, "pexpire": {1, 1, 1},
	"expireat": {1, 1, 1}, "pexpireat": {1, 1, 1}, "ttl": {1, 1, 1}, "pttl": {1, 1, 1},
	"expiretime": {1, 1, 1}, "pexpiretime": {1, 1, 1}, "persist": {1, 1, 1},
}

// commandFlagNames lists our flags in the order COMMAND INFO prints them.
var commandFlagNames = []struct {
	flag cmdFlags
	name string
}{
	{flagWrite, "write"}, {flagReadOnly, "readonly"}, {flagDenyOOM, "denyoom"},
	{flagAdmin, "admin"}, {flagStale, "stale"}, {flagNoAuth, "no_auth"}, {flagNoMulti, "no_multi"},
}

func sortedCommandNames() []string {
	names := make([]string, 0, len(commandTable))
	for name := range commandTable {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

var commandSubcommands = []subcommand{
	{"count", 2, func(n *Node, c *client, args [][]byte) { c.addInt(int64(CommandCount())) }},
	// DOCS answers an empty array: redis-cli 7 then starts without hints.
	{"docs", -2, func(n *Node, c *client, args [][]byte) { c.addArrayLen(0) }},
	{"info", -2, func(n *Node, c *client, args [][]byte) {
		if len(args) == 2 {
			addCommandInfos(c, sortedCommandNames())
			return
		}
		c.addArrayLen(len(args) - 2)
		for _, a := range args[2:] {
			if cmd := lookupCommand(a); cmd != nil {
				addCommandInfo(c, cmd)
			} else {
				c.addNullArray()
			}
		}
	}},
	{"list", -2, func(n *Node, c *client, args [][]byte) {
		if len(args) != 2 {
			c.addError(errSyntax)
			return
		}
		names := sortedCommandNames()
		c.addArrayLen(len(names))
		for _, name := range names {
			c.addBulk(name)
		}
	}},
}

func commandCommand(n *Node, c *client, args [][]byte) {
	if len(args) == 1 {
		addCommandInfos(c, sortedCommandNames())
		return
	}
	dispatchSub(n, c, args)
}

func addCommandInfos(c *client, names []string) {
	c.addArrayLen(len(names))
	for _, name := range names {
		addCommandInfo(c, commandTable[name])
	}
}

// addCommandInfo writes one COMMAND INFO entry in Redis 7.0's ten-field
// shape; ACL categories, tips, key specs and subcommands are left empty.
func addCommandInfo(c *client, cmd *command) {
	c.addArrayLen(10)
	c.addBulk(cmd.name)
	c.addInt(int64(cmd.arity))
	var flags []string
	for _, f := range commandFlagNames {
		if cmd.flags&f.flag != 0 {
			flags = append(flags, f.name)
		}
	}
	c.addArrayLen(len(flags))
	for _, f := range flags {
		c.addSimple(f)
	}
	kp := commandKeys[cmd.name]
	c.addInt(int64(kp.first))
	c.addInt(int64(kp.last))
	c.addInt(int64(kp.step))
	for range 4 {
		c.addArrayLen(0)
	}
}
