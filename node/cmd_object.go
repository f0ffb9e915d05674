package node

func init() {
	register(&command{name: "object", arity: -2, flags: flagReadOnly, fn: dispatchSub, subs: objectSubcommands})
}

// OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ and HELP. IDLETIME needs an
// LRU (non-LFU) maxmemory-policy, FREQ an LFU one, as in Redis. OBJECT's
// lookups do not count as an access.
var objectSubcommands = []subcommand{
	{"encoding", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addBulk(e.encoding())
		}
	}},
	{"refcount", 3, func(n *Node, c *client, args [][]byte) {
		if e := objectLookup(n, c, args[2]); e != nil {
			c.addInt(n.objectRefcount(e))
		}
	}},
	{"idletime", 3, func(n *Node, c *client, args [][]byte) {
		e := objectLookup(n, c, args[2])
		if e == nil {
			return
		}
		if policyLFU(n.cfg.MaxMemoryPolicy) {
			c.addError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
			return
		}
		c.addInt(n.idleSeconds(e))
	}},
	{"freq", 3, func(n *Node, c *client, args [][]byte) {
		e := objectLookup(n, c, args[2])
		if e == nil {
			return
		}
		if !policyLFU(n.cfg.MaxMemoryPolicy) {
			c.addError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
			return
		}
		c.addInt(int64(n.lfuDecayed(e.lru)))
	}},
	{"help", 2, func(n *Node, c *client, args [][]byte) {
		c.addArrayLen(len(objectHelp))
		for _, h := range objectHelp {
			c.addSimple(h)
		}
	}},
}

var objectHelp = []string{
	"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
	"HELP",
	"    Prints this help.",
}

// objectLookup finds key for OBJECT without touching it, replying null
// when it is missing.
func objectLookup(n *Node, c *client, key []byte) *entry {
	e := n.lookupNoTouch(c, key)
	if e == nil {
		c.addNull()
	}
	return e
}

// idleSeconds is estimateObjectIdleTime in seconds: the LRU clock's
// distance from e's last access, across the clock's wrap.
func (n *Node) idleSeconds(e *entry) int64 {
	now := n.lruClock()
	if now >= e.lru {
		return int64(now - e.lru)
	}
	return int64(now + (lruClockMax - e.lru))
}

// objectRefcount is 2147483647 (OBJ_SHARED_REFCOUNT) for the shared
// integers 0..9999 Redis keeps as int-encoded strings, else 1. With a
// maxmemory limit and an LRU or LFU policy Redis shares no integers (each
// key needs its own access data).
func (n *Node) objectRefcount(e *entry) int64 {
	p := n.cfg.MaxMemoryPolicy
	if n.cfg.MaxMemory != 0 && (policyLRU(p) || policyLFU(p)) {
		return 1
	}
	if e.obj == nil && e.encoding() == "int" {
		if v, _ := parseInt([]byte(e.val)); v >= 0 && v < 10000 {
			return 2147483647
		}
	}
	return 1
}
