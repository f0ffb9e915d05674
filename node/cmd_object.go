package node

func init() {
	register(&command{name: "object", arity: -2, flags: flagReadOnly, fn: dispatchSub, subs: objectSubcommands})
}

// OBJECT ENCODING, REFCOUNT, IDLETIME and FREQ. This node keeps no access
// times: IDLETIME is always 0, and FREQ fails as without an LFU policy.
var objectSubcommands = []subcommand{
	{"encoding", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addBulk(e.encoding())
		}
	}},
	{"refcount", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addInt(objectRefcount(e))
		}
	}},
	{"idletime", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addInt(0)
		}
	}},
	{"freq", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		}
	}},
}

// objectLookup finds key for OBJECT, replying null when it is missing.
func objectLookup(n *Node, c *client, key []byte) *entry {
	e := n.lookup(c, key)
	if e == nil {
		c.addNull()
	}
	return e
}

// objectRefcount is 2147483647 (OBJ_SHARED_REFCOUNT) for the shared
// integers 0..9999 Redis keeps as int-encoded strings, else 1.
func objectRefcount(e *entry) int64 {
	if e.obj == nil && e.encoding() == "int" {
		if v, _ := parseInt([]byte(e.val)); v >= 0 && v < 10000 {
			return 2147483647
		}
	}
	return 1
}
