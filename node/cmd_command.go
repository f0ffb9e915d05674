package node

import (
	"sort"
	"strings"
)

func init() {
	register(&command{name: "command", arity: -1, flags: flagStale, fn: commandCommand, subs: commandSubcommands})
}

// keyPos is a command's legacy key specification: first key, last key
// (negative counts from the end) and step; all 0 for keyless commands. It
// is used for a command Redis's metadata (cmd_meta.go) does not know.
type keyPos struct{ first, last, step int }

var commandKeys = map[string]keyPos{
	"get": {1, 1, 1}, "set": {1, 1, 1}, "setnx": {1, 1, 1}, "setex": {1, 1, 1},
	"psetex": {1, 1, 1}, "getset": {1, 1, 1}, "getdel": {1, 1, 1}, "getex": {1, 1, 1},
	"mget": {1, -1, 1}, "mset": {1, -1, 2}, "msetnx": {1, -1, 2}, "append": {1, 1, 1},
	"strlen": {1, 1, 1}, "incr": {1, 1, 1}, "decr": {1, 1, 1}, "incrby": {1, 1, 1},
	"decrby": {1, 1, 1}, "incrbyfloat": {1, 1, 1}, "getrange": {1, 1, 1}, "setrange": {1, 1, 1}, "substr": {1, 1, 1},
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

var commandHelp = []string{
	"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
	"HELP",
	"    Prints this help.",
}

var commandSubcommands = []subcommand{
	{"count", 2, func(n *Node, c *client, args [][]byte) { c.addInt(int64(CommandCount())) }},
	{"docs", -2, commandDocsCommand},
	{"getkeys", -4, func(n *Node, c *client, args [][]byte) { getkeysCommand(n, c, args, false) }},
	{"getkeysandflags", -4, func(n *Node, c *client, args [][]byte) { getkeysCommand(n, c, args, true) }},
	{"help", 2, func(n *Node, c *client, args [][]byte) {
		c.addArrayLen(len(commandHelp))
		for _, h := range commandHelp {
			c.addSimple(h)
		}
	}},
	{"info", -2, func(n *Node, c *client, args [][]byte) {
		if len(args) == 2 {
			addCommandInfos(c, sortedCommandNames())
			return
		}
		c.addArrayLen(len(args) - 2)
		for _, a := range args[2:] {
			cmd, m := lookupFullName(string(a))
			switch {
			case cmd == nil:
				c.addNull()
			case m != nil:
				c.addValue(m.infoValue(cmd))
			default:
				addCommandInfo(c, cmd)
			}
		}
	}},
	{"list", -2, commandListCommand},
}

// lookupFullName finds an implemented command or subcommand by its full
// name ("get", "config|get") and its metadata. A subcommand's cmd is its
// container (whose subs it is among); it has no subcommands of its own.
func lookupFullName(name string) (*command, *cmdMeta) {
	base, sub, isSub := strings.Cut(strings.ToLower(name), "|")
	cmd := commandTable[base]
	if cmd == nil {
		return nil, nil
	}
	m := metaFor(cmd)
	if !isSub {
		return cmd, m
	}
	for _, s := range cmd.subs {
		if s.name == sub && m != nil && m.subs[sub] != nil {
			return &command{name: cmd.name + "|" + sub}, m.subs[sub]
		}
	}
	return nil, nil
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
		cmd := commandTable[name]
		if m := metaFor(cmd); m != nil {
			c.addValue(m.infoValue(cmd))
		} else {
			addCommandInfo(c, cmd)
		}
	}
}

// addCommandInfo writes a COMMAND INFO entry from our own table, for a
// command Redis's metadata lacks: ACL categories, tips, key specs and
// subcommands are left empty.
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

// commandDocsCommand is COMMAND DOCS: a map of name to docs for every
// implemented command, or for the ones named (unknown names are left out).
func commandDocsCommand(n *Node, c *client, args [][]byte) {
	type entry struct {
		name string
		cmd  *command
		m    *cmdMeta
	}
	var out []entry
	if len(args) == 2 {
		for _, name := range sortedCommandNames() {
			cmd := commandTable[name]
			if m := metaFor(cmd); m != nil && m.docs.Kind != 0 {
				out = append(out, entry{name, cmd, m})
			}
		}
	} else {
		for _, a := range args[2:] {
			cmd, m := lookupFullName(string(a))
			if cmd != nil && m != nil && m.docs.Kind != 0 {
				if strings.Contains(cmd.name, "|") {
					cmd = nil // a subcommand: no subcommands to filter
				}
				out = append(out, entry{m.fullname, cmd, m})
			}
		}
	}
	c.addArrayLen(2 * len(out))
	for _, e := range out {
		c.addBulk(e.name)
		c.addValue(e.m.docsValue(e.cmd))
	}
}

// aclCategories are Redis 7.0's ACL command categories (COMMAND LIST
// FILTERBY ACLCAT matches nothing for another name).
var aclCategories = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// commandListCommand is COMMAND LIST [FILTERBY MODULE|ACLCAT|PATTERN arg]:
// the full names of the implemented commands and subcommands.
func commandListCommand(n *Node, c *client, args [][]byte) {
	var keep func(name string, m *cmdMeta) bool
	for i := 2; i < len(args); i++ {
		if !equalFold(args[i], "filterby") || len(args)-1-i != 2 {
			c.addError(errSyntax)
			return
		}
		arg := string(args[i+2])
		switch {
		case equalFold(args[i+1], "module"):
			keep = func(string, *cmdMeta) bool { return false } // no modules
		case equalFold(args[i+1], "aclcat"):
			cat := ""
			for _, a := range aclCategories {
				if strings.EqualFold(a, arg) {
					cat = a
				}
			}
			keep = func(_ string, m *cmdMeta) bool {
				if cat == "" || m == nil {
					return false
				}
				for _, x := range m.aclCats {
					if x == cat {
						return true
					}
				}
				return false
			}
		case equalFold(args[i+1], "pattern"):
			pat := []byte(strings.ToLower(arg)) // nocase, as Redis matches here
			keep = func(name string, _ *cmdMeta) bool { return globMatch(pat, []byte(name)) }
		default:
			c.addError(errSyntax)
			return
		}
		i += 2
	}
	var names []string
	add := func(name string, m *cmdMeta) {
		if keep == nil || keep(name, m) {
			names = append(names, name)
		}
	}
	for _, name := range sortedCommandNames() {
		cmd := commandTable[name]
		m := metaFor(cmd)
		add(name, m)
		for _, s := range cmd.subs {
			var sm *cmdMeta
			if m != nil {
				sm = m.subs[s.name]
			}
			add(name+"|"+s.name, sm)
		}
	}
	c.addArrayLen(len(names))
	for _, name := range names {
		c.addBulk(name)
	}
}
