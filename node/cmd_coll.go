package node

// What the collection types' commands share: a length reply and the
// destination of a STORE variant.

func hlenCommand(n *Node, c *client, args [][]byte)  { collLenCommand(n, c, args[1], kindHash) }
func scardCommand(n *Node, c *client, args [][]byte) { collLenCommand(n, c, args[1], kindSet) }
func zcardCommand(n *Node, c *client, args [][]byte) { collLenCommand(n, c, args[1], kindZset) }
func llenCommand(n *Node, c *client, args [][]byte)  { collLenCommand(n, c, args[1], kindList) }

// collLenCommand replies with the length of the collection of the given
// kind under key: 0 when there is none, WRONGTYPE for another kind.
func collLenCommand(n *Node, c *client, key []byte, kind valueKind) {
	e, ok := n.lookupKind(c, key, kind)
	switch {
	case !ok:
	case e == nil:
		c.addInt(0)
	default:
		c.addInt(int64(e.obj.(interface{ len() int }).len()))
	}
}

// storeColl is setKey for the STORE variants: dst gets obj, of size
// elements (or is deleted when size is 0), the reply is size, and the
// command propagates when the dataset changed.
func (n *Node) storeColl(c *client, args [][]byte, dst []byte, obj value, size int) {
	if size > 0 {
		n.lookup(c, dst) // expire a dead destination first, as setKey does
		n.dbs[c.db].put(string(dst), "", obj, 0)
		c.addInt(int64(size))
		n.dirty++
		n.propagate(args...)
		return
	}
	c.addInt(0)
	if n.dbs[c.db].remove(string(dst)) {
		n.dirty++
		n.propagate(args...)
	}
}
