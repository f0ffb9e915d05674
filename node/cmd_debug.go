package node

// debugSubcommands are DEBUG's subcommands beyond the ones debugCommand
// handles itself, by lower-case name. Each file that adds one registers
// it in an init function; a handler checks its own argument count and
// answers errSubcommandSyntax on a wrong one, as Redis does.
var debugSubcommands = map[string]func(n *Node, c *client, args [][]byte){}
