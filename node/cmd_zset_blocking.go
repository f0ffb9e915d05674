package node

// BZPOPMIN, BZPOPMAX and BZMPOP: the blocking sorted-set pops, on the
// blocking infrastructure of blocking.go (Redis 7.0's
// blockingGenericZpopCommand and serveClientsBlockedOnSortedSetKey).
// Served at once or later, they propagate as ZPOPMIN/ZPOPMAX of the key
// that served them: without a count for BZPOPMIN/BZPOPMAX, with the number
// of members popped for BZMPOP.

func init() {
	register(
		&command{name: "bzpopmin", arity: -3, flags: flagWrite, fn: bzpopminCommand},
		&command{name: "bzpopmax", arity: -3, flags: flagWrite, fn: bzpopmaxCommand},
		&command{name: "bzmpop", arity: -5, flags: flagWrite, fn: bzmpopCommand},
	)
}

func bzpopminCommand(n *Node, c *client, args [][]byte) {
	blockingZpop(n, c, args[1:len(args)-1], false, args[len(args)-1], -1, zpopKeyFlat)
}

func bzpopmaxCommand(n *Node, c *client, args [][]byte) {
	blockingZpop(n, c, args[1:len(args)-1], true, args[len(args)-1], -1, zpopKeyFlat)
}

// bzmpopCommand is BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT n]:
// its arguments are checked before its timeout, as zmpopGenericCommand.
func bzmpopCommand(n *Node, c *client, args [][]byte) {
	keys, max, count, ok := parseZmpop(c, args, 2)
	if !ok {
		return
	}
	blockingZpop(n, c, keys, max, args[1], count, zpopKeyNested)
}

// blockingZpop is blockingGenericZpopCommand: pop from the first of keys
// holding a sorted set at once, or block until one is added. count is -1
// for BZPOPMIN/BZPOPMAX. Where the client may not block (inside EXEC, the
// master link) it answers as a timeout: a null array.
func blockingZpop(n *Node, c *client, keys [][]byte, max bool, timeoutArg []byte, count int64, shape zpopReply) {
	deadline, ok := n.parseTimeout(c, timeoutArg)
	if !ok {
		return
	}
	for _, key := range keys {
		z, ok := n.lookupZset(c, key)
		if !ok {
			return
		}
		if z == nil || z.len() == 0 {
			continue
		}
		n.serveZpop(c, key, max, count, shape)
		return
	}
	if n.denyBlocking(c) {
		c.addNullArray()
		return
	}
	spec := blockSpec{kind: kindZset, keys: keyStrings(keys), deadline: deadline}
	spec.serve = func(n *Node, c *client, key string) {
		n.serveZpop(c, []byte(key), max, count, shape)
	}
	if n.bug(BugBzpopLaterBlocking) {
		sent := make([][]byte, len(c.argv))
		for i, a := range c.argv {
			sent[i] = []byte(string(a))
		}
		spec.serve = func(n *Node, c *client, key string) {
			if _, popped := n.zpop(c, [][]byte{[]byte(key)}, max, count, shape, shape == zpopKeyNested); popped > 0 {
				n.propagate(sent...)
			}
		}
	}
	n.blockForKeys(c, spec)
}

// serveZpop pops from key, which holds a non-empty sorted set, and
// propagates the pop as ZPOPMIN/ZPOPMAX key [popped].
func (n *Node) serveZpop(c *client, key []byte, max bool, count int64, shape zpopReply) {
	k, popped := n.zpop(c, [][]byte{key}, max, count, shape, shape == zpopKeyNested)
	if popped == 0 {
		return
	}
	if count == -1 {
		name := "ZPOPMIN"
		if max {
			name = "ZPOPMAX"
		}
		n.propagate([]byte(name), k)
		return
	}
	n.propagate(n.zpopPropagation(max, k, popped)...)
}
