package node

import (
	_ "embed" // DEBUG HELP's text
	"strings"
)

// DEBUG HELP and DEBUG PROTOCOL (the RESP2 forms Redis 7.0.15 answers).

//go:embed cmdmeta/debug-help.txt
var debugHelpText string

func init() {
	debugSubcommands["help"] = debugHelpCommand
	debugSubcommands["protocol"] = debugProtocolCommand
}

func debugHelpCommand(n *Node, c *client, args [][]byte) {
	if len(args) != 2 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	lines := strings.Split(strings.TrimSuffix(debugHelpText, "\n"), "\n")
	c.addArrayLen(len(lines))
	for _, l := range lines {
		c.addSimple(l)
	}
}

func debugProtocolCommand(n *Node, c *client, args [][]byte) {
	if len(args) != 3 {
		c.addError(errSubcommandSyntax(args))
		return
	}
	switch strings.ToLower(string(args[2])) {
	case "string":
		c.addBulk("Hello World")
	case "integer":
		c.addInt(12345)
	case "double":
		c.addBulk("3.141")
	case "bignum":
		c.addBulk("1234567999999999999999999999999999999")
	case "null":
		c.addNull()
	case "array", "set":
		c.addArrayLen(3)
		for i := range 3 {
			c.addInt(int64(i))
		}
	case "map":
		c.addArrayLen(6)
		for i := range 3 {
			c.addInt(int64(i))
			if i == 1 { // Redis's boolean j == 1
				c.addInt(1)
			} else {
				c.addInt(0)
			}
		}
	case "attrib":
		c.addBulk("Some real reply following the attribute")
	case "push":
		c.addError("ERR RESP2 is not supported by this command")
	case "verbatim":
		c.addBulk("This is a verbatim\nstring")
	case "true":
		c.addInt(1)
	case "false":
		c.addInt(0)
	default:
		c.addError("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}
