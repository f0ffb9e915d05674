package node

import (
	"sort"
	"strings"
)

func init() {
	clientSubcommands = append(clientSubcommands, subcommand{"kill", -3, clientKillCommand})
}

// clientKillFilter is the new-style CLIENT KILL filter list.
type clientKillFilter struct {
	id     int64
	typ    string
	addr   string
	skipMe bool
}

func (f *clientKillFilter) matches(n *Node, self, cl *client) bool {
	switch {
	case f.skipMe && cl == self:
		return false
	case f.id != 0 && cl.id != f.id:
		return false
	case f.typ != "" && clientType(cl) != f.typ:
		return false
	case f.addr != "" && cl.addr != f.addr:
		return false
	}
	return true
}

// clientKillCommand is CLIENT KILL addr:port (old form, +OK) or CLIENT KILL
// <filter> <value> ... (new form, the number of clients killed), as Redis
// 7.0. Killing our master link makes the replica reconnect and PSYNC.
func clientKillCommand(n *Node, c *client, args [][]byte) {
	f := clientKillFilter{skipMe: true}
	oldForm := len(args) == 3
	if oldForm {
		f.addr = string(args[2])
		f.skipMe = false
	} else {
		if len(args)%2 != 0 {
			c.addError(errSyntax)
			return
		}
		for i := 2; i < len(args); i += 2 {
			val := args[i+1]
			switch strings.ToLower(string(args[i])) {
			case "id":
				id, ok := parseInt(val)
				if !ok || id <= 0 {
					c.addError("ERR client-id should be greater than 0")
					return
				}
				f.id = id
			case "type":
				t := strings.ToLower(string(val))
				if t == "slave" {
					t = "replica"
				}
				if t != "normal" && t != "replica" && t != "master" && t != "pubsub" {
					c.addError(noNewlines("ERR Unknown client type '" + string(val) + "'"))
					return
				}
				f.typ = t
			case "addr":
				f.addr = string(val)
			case "skipme":
				switch {
				case equalFold(val, "yes"):
					f.skipMe = true
				case equalFold(val, "no"):
					f.skipMe = false
				default:
					c.addError(errSyntax)
					return
				}
			default:
				c.addError(errSyntax)
				return
			}
		}
	}
	var victims []*client
	for _, cl := range n.clients {
		if f.matches(n, c, cl) {
			victims = append(victims, cl)
		}
	}
	sort.Slice(victims, func(i, j int) bool { return victims[i].id < victims[j].id })
	killedSelf := false
	for _, cl := range victims {
		if cl == c {
			killedSelf = true
			continue
		}
		n.freeClient(cl, true)
	}
	if oldForm {
		if len(victims) == 0 {
			c.addError("ERR No such client")
			return
		}
		c.addOK()
	} else {
		c.addInt(int64(len(victims)))
	}
	if killedSelf {
		c.closeAfterReply()
	}
}
