package node

import "strings"

// subcommand is one subcommand of a container command (CLIENT SETNAME).
// Arity counts the container's name, as Redis's does.
type subcommand struct {
	name  string
	arity int
	fn    cmdFunc
}

// dispatchSub runs the subcommand named by args[1], with Redis 7.0's
// errors for an unknown subcommand and for a wrong argument count.
func dispatchSub(n *Node, c *client, args [][]byte, container string, subs []subcommand) {
	for _, s := range subs {
		if !equalFold(args[1], s.name) {
			continue
		}
		if (s.arity > 0 && len(args) != s.arity) || len(args) < -s.arity {
			c.addError(errWrongArgs(container + "|" + s.name))
			return
		}
		c.lastCmd = container + "|" + s.name
		s.fn(n, c, args)
		return
	}
	c.addError(noNewlines("ERR unknown subcommand '" + truncate(cString(args[1]), 128) +
		"'. Try " + strings.ToUpper(cString(args[0])) + " HELP."))
}

// errSubcommandSyntax is addReplySubcommandSyntaxError's text.
func errSubcommandSyntax(args [][]byte) string {
	return noNewlines("ERR unknown subcommand or wrong number of arguments for '" +
		truncate(cString(args[1]), 128) + "'. Try " + strings.ToUpper(cString(args[0])) + " HELP.")
}
