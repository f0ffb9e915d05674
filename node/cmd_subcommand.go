package node

import "strings"

// subcommand is one subcommand of a container command (CLIENT SETNAME).
// Arity counts the container's name, as Redis's does.
type subcommand struct {
	name  string
	arity int
	fn    cmdFunc
}

// findSub returns the subcommand of cmd named by args[1], or nil.
func findSub(cmd *command, args [][]byte) *subcommand {
	for i := range cmd.subs {
		if equalFold(args[1], cmd.subs[i].name) {
			return &cmd.subs[i]
		}
	}
	return nil
}

// subcommandError is the error for a container command whose subcommand
// is unknown or has the wrong number of arguments ("" when fine). Redis
// reports both before anything else, even inside MULTI.
func subcommandError(cmd *command, args [][]byte) string {
	if cmd.subs == nil || len(args) < 2 {
		return ""
	}
	s := findSub(cmd, args)
	if s == nil {
		return noNewlines("ERR unknown subcommand '" + truncate(cString(args[1]), 128) +
			"'. Try " + strings.ToUpper(cString(args[0])) + " HELP.")
	}
	if (s.arity > 0 && len(args) != s.arity) || len(args) < -s.arity {
		return errWrongArgs(cmd.name + "|" + s.name)
	}
	return ""
}

// dispatchSub runs the subcommand named by args[1] (execute has checked it).
func dispatchSub(n *Node, c *client, args [][]byte) {
	cmd := lookupCommand(args[0])
	if msg := subcommandError(cmd, args); msg != "" {
		c.addError(msg)
		return
	}
	s := findSub(cmd, args)
	c.lastCmd = cmd.name + "|" + s.name
	s.fn(n, c, args)
}

// errSubcommandSyntax is addReplySubcommandSyntaxError's text.
func errSubcommandSyntax(args [][]byte) string {
	return noNewlines("ERR unknown subcommand or wrong number of arguments for '" +
		truncate(cString(args[1]), 128) + "'. Try " + strings.ToUpper(cString(args[0])) + " HELP.")
}
