package node

import "slices"

func init() {
	register(
		&command{name: "sadd", arity: -3, flags: flagWrite | flagDenyOOM, fn: saddCommand},
		&command{name: "srem", arity: -3, flags: flagWrite, fn: sremCommand},
		&command{name: "scard", arity: 2, flags: flagReadOnly, fn: scardCommand},
		&command{name: "sismember", arity: 3, flags: flagReadOnly, fn: sismemberCommand},
		&command{name: "smismember", arity: -3, flags: flagReadOnly, fn: smismemberCommand},
		&command{name: "smembers", arity: 2, flags: flagReadOnly, fn: sinterCommand},
		&command{name: "spop", arity: -2, flags: flagWrite, fn: spopCommand},
		&command{name: "srandmember", arity: -2, flags: flagReadOnly, fn: srandmemberCommand},
		&command{name: "smove", arity: 4, flags: flagWrite, fn: smoveCommand},
		&command{name: "sinter", arity: -2, flags: flagReadOnly, fn: sinterCommand},
		&command{name: "sintercard", arity: -3, flags: flagReadOnly, fn: sintercardCommand},
		&command{name: "sinterstore", arity: -3, flags: flagWrite | flagDenyOOM, fn: sinterstoreCommand},
		&command{name: "sunion", arity: -2, flags: flagReadOnly, fn: sunionCommand},
		&command{name: "sunionstore", arity: -3, flags: flagWrite | flagDenyOOM, fn: sunionstoreCommand},
		&command{name: "sdiff", arity: -2, flags: flagReadOnly, fn: sdiffCommand},
		&command{name: "sdiffstore", arity: -3, flags: flagWrite | flagDenyOOM, fn: sdiffstoreCommand},
		&command{name: "sscan", arity: -3, flags: flagReadOnly, fn: sscanCommand},
	)
}

// lookupSet returns key's set (nil when missing); false after a WRONGTYPE
// reply.
func (n *Node) lookupSet(c *client, key []byte) (*setValue, bool) {
	e, ok := n.lookupKind(c, key, kindSet)
	if e == nil {
		return nil, ok
	}
	return e.obj.(*setValue), true
}

func saddCommand(n *Node, c *client, args [][]byte) {
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil {
		s = newSetFor(string(args[2]))
		n.dbs[c.db].put(string(args[1]), "", s, 0)
	}
	added := 0
	for _, m := range args[2:] {
		if s.add(n, string(m)) {
			added++
		}
	}
	if added > 0 {
		n.dirty += int64(added)
		n.propagate(args...)
	}
	c.addInt(int64(added))
}

func sremCommand(n *Node, c *client, args [][]byte) {
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil {
		c.addInt(0)
		return
	}
	deleted, emptied := 0, false
	for _, m := range args[2:] {
		if s.remove(string(m)) {
			deleted++
			if n.deleteIfEmpty(c, args[1], s.len()) {
				emptied = true
				break
			}
		}
	}
	if deleted > 0 && !(emptied && n.bug(BugSremLastNotPropagated)) {
		n.dirty += int64(deleted)
		n.propagate(args...)
	}
	c.addInt(int64(deleted))
}

func sismemberCommand(n *Node, c *client, args [][]byte) {
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s != nil && s.has(string(args[2])) {
		c.addInt(1)
		return
	}
	c.addInt(0)
}

func smismemberCommand(n *Node, c *client, args [][]byte) {
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	c.addArrayLen(len(args) - 2)
	for _, m := range args[2:] {
		if s != nil && s.has(string(m)) {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	}
}

func smoveCommand(n *Node, c *client, args [][]byte) {
	src := n.lookup(c, args[1])
	dst := n.lookup(c, args[2])
	if src == nil {
		c.addInt(0)
		return
	}
	src = n.dbs[c.db].lookup(string(args[1])) // dst's expiry may have moved it
	if src.kind() != kindSet || (dst != nil && dst.kind() != kindSet) {
		c.addError(errWrongType)
		return
	}
	ss := src.obj.(*setValue)
	m := string(args[3])
	if string(args[1]) == string(args[2]) {
		if ss.has(m) {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
		return
	}
	if !ss.remove(m) {
		c.addInt(0)
		return
	}
	n.deleteIfEmpty(c, args[1], ss.len())
	var ds *setValue
	if e := n.dbs[c.db].lookup(string(args[2])); e != nil {
		ds = e.obj.(*setValue)
	} else {
		ds = newSetFor(m)
		n.dbs[c.db].put(string(args[2]), "", ds, 0)
	}
	n.dirty++
	if ds.add(n, m) {
		n.dirty++
		// dst changed in place; a member it held already leaves it
		// unchanged, and its watchers undisturbed (as Redis's smove).
		n.dbs[c.db].touchWatched(string(args[2]))
	}
	n.propagate(args...)
	c.addInt(1)
}

// spopCommand pops random members. Replicas and the AOF get SREM of each
// member popped (MULTI/EXEC around several), or DEL when the whole set
// goes, as Redis propagates it.
func spopCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		c.addError(errSyntax)
		return
	}
	if len(args) == 3 {
		spopWithCount(n, c, args)
		return
	}
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil {
		c.addNull()
		return
	}
	m := s.at(int(n.env.Rand() % uint64(s.len())))
	s.remove(m)
	if n.bug(BugSpopVerbatim) {
		n.propagate(args...)
	} else {
		n.propagateStrings("SREM", string(args[1]), m)
	}
	c.addBulk(m)
	n.deleteIfEmpty(c, args[1], s.len())
	n.dirty++
}

// spopMoveStrategyMul is SPOP_MOVE_STRATEGY_MUL.
const spopMoveStrategyMul = 5

func spopWithCount(n *Node, c *client, args [][]byte) {
	l, ok := parseInt(args[2])
	if !ok {
		c.addError("ERR value is out of range, must be positive")
		return
	}
	if l < 0 {
		c.addError("ERR value is out of range, must be positive")
		return
	}
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil || l == 0 {
		c.addArrayLen(0)
		return
	}
	size := s.len()
	count := int(min(l, int64(size)))
	n.dirty += int64(count)
	key := string(args[1])
	if l >= int64(size) {
		c.addArrayLen(size)
		union := setUnion([]*setValue{s}, n)
		union.each(func(m string) bool {
			c.addBulk(m)
			return true
		})
		n.dbs[c.db].remove(key)
		n.propagateStrings("DEL", key)
		return
	}
	c.addArrayLen(count)
	n.prop.wrap = true
	remaining := size - count
	if remaining*spopMoveStrategyMul > count {
		for i := 0; i < count; i++ {
			m := s.at(int(n.env.Rand() % uint64(s.len())))
			c.addBulk(m)
			s.remove(m)
			n.propagateStrings("SREM", key, m)
		}
		return
	}
	// Keep `remaining` random members in a new set; pop the rest in the
	// old set's order.
	var kept *setValue
	for i := 0; i < remaining; i++ {
		m := s.at(int(n.env.Rand() % uint64(s.len())))
		if kept == nil {
			kept = newSetFor(m)
		}
		kept.add(n, m)
		s.remove(m)
	}
	s.each(func(m string) bool {
		c.addBulk(m)
		n.propagateStrings("SREM", key, m)
		return true
	})
	n.dbs[c.db].lookup(key).obj = kept
}

func srandmemberCommand(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		c.addError(errSyntax)
		return
	}
	if len(args) == 3 {
		srandmemberWithCount(n, c, args)
		return
	}
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil {
		c.addNull()
		return
	}
	c.addBulk(s.at(int(n.env.Rand() % uint64(s.len()))))
}

func srandmemberWithCount(n *Node, c *client, args [][]byte) {
	l, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if l < -maxInt64 {
		c.addError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
		return
	}
	s, ok := n.lookupSet(c, args[1])
	if !ok {
		return
	}
	if s == nil || l == 0 {
		c.addArrayLen(0)
		return
	}
	size := s.len()
	if l < 0 || l == 1 {
		count := l
		if count < 0 {
			count = -count
		}
		if count > maxRandomReply {
			c.addError(errRandomTooBig)
			return
		}
		c.addArrayLen(int(count))
		for ; count > 0; count-- {
			c.addBulk(s.at(int(n.env.Rand() % uint64(size))))
		}
		return
	}
	pick := randomSubset(n, size, l)
	c.addArrayLen(len(pick))
	for _, i := range pick {
		c.addBulk(s.at(i))
	}
}

// setSources looks up keys as sets for the multi-key commands: nil for a
// missing key; false after a WRONGTYPE reply.
func (n *Node) setSources(c *client, keys [][]byte) ([]*setValue, bool) {
	defer n.reading()()
	sets := make([]*setValue, len(keys))
	for i, k := range keys {
		s, ok := n.lookupSet(c, k)
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

func sinterCommand(n *Node, c *client, args [][]byte) {
	sinterGeneric(n, c, args, args[1:], nil, false, 0)
}

func sinterstoreCommand(n *Node, c *client, args [][]byte) {
	sinterGeneric(n, c, args, args[2:], args[1], false, 0)
}

func sintercardCommand(n *Node, c *client, args [][]byte) {
	numkeys, ok := parseInt(args[1])
	if !ok || numkeys < 1 {
		c.addError("ERR numkeys should be greater than 0")
		return
	}
	if numkeys > int64(len(args)-2) {
		c.addError("ERR Number of keys can't be greater than number of args")
		return
	}
	var limit int64
	for j := 2 + int(numkeys); j < len(args); j++ {
		if equalFold(args[j], "limit") && j+1 < len(args) {
			j++
			v, ok := parseInt(args[j])
			if !ok || v < 0 {
				c.addError("ERR LIMIT can't be negative")
				return
			}
			limit = v
		} else {
			c.addError(errSyntax)
			return
		}
	}
	sinterGeneric(n, c, args, args[2:2+numkeys], nil, true, limit)
}

// sinterGeneric is SINTER, SMEMBERS, SINTERSTORE and SINTERCARD.
func sinterGeneric(n *Node, c *client, args, keys [][]byte, dst []byte, cardOnly bool, limit int64) {
	sets, ok := n.setSources(c, keys)
	if !ok {
		return
	}
	if slices.Contains(sets, nil) {
		switch {
		case dst != nil:
			n.storeColl(c, args, dst, nil, 0)
		case cardOnly:
			c.addInt(0)
		default:
			c.addArrayLen(0)
		}
		return
	}
	slices.SortStableFunc(sets, func(a, b *setValue) int { return a.len() - b.len() })
	var out []string
	var card int64
	var result *setValue
	if dst != nil {
		result = newIntSet()
	}
	sets[0].each(func(m string) bool {
		for _, o := range sets[1:] {
			if o != sets[0] && !o.has(m) {
				return true
			}
		}
		switch {
		case cardOnly:
			card++
			if limit > 0 && card >= limit {
				return false
			}
		case dst != nil:
			result.add(n, m)
		default:
			out = append(out, m)
		}
		return true
	})
	switch {
	case cardOnly:
		c.addInt(card)
	case dst != nil:
		n.storeColl(c, args, dst, result, result.len())
	default:
		c.addArrayLen(len(out))
		for _, m := range out {
			c.addBulk(m)
		}
	}
}

// setUnion is the union of sets (nil ones are empty), built as Redis
// builds it: an intset that converts as members come.
func setUnion(sets []*setValue, n *Node) *setValue {
	out := newIntSet()
	for _, s := range sets {
		if s != nil {
			s.each(func(m string) bool {
				out.add(n, m)
				return true
			})
		}
	}
	return out
}

// setDiff is sets[0] minus the others, with Redis's choice between its
// two algorithms (which decides the result's encoding).
func setDiff(sets []*setValue, n *Node) *setValue {
	out := newIntSet()
	if sets[0] == nil {
		return out
	}
	for _, s := range sets[1:] {
		if s == sets[0] {
			return out
		}
	}
	var one, two int64
	for _, s := range sets {
		if s != nil {
			one += int64(sets[0].len())
			two += int64(s.len())
		}
	}
	one /= 2
	if one <= two {
		rest := slices.Clone(sets[1:])
		slices.SortStableFunc(rest, func(a, b *setValue) int { return setLen(b) - setLen(a) })
		sets[0].each(func(m string) bool {
			for _, s := range rest {
				if s != nil && s.has(m) {
					return true
				}
			}
			out.add(n, m)
			return true
		})
		return out
	}
	card := 0
	for j, s := range sets {
		if s == nil {
			continue
		}
		s.each(func(m string) bool {
			if j == 0 {
				if out.add(n, m) {
					card++
				}
			} else if out.remove(m) {
				card--
			}
			return true
		})
		if card == 0 {
			break
		}
	}
	return out
}

func setLen(s *setValue) int {
	if s == nil {
		return 0
	}
	return s.len()
}

func sunionCommand(n *Node, c *client, args [][]byte) { sunionDiff(n, c, args, args[1:], nil, false) }
func sunionstoreCommand(n *Node, c *client, args [][]byte) {
	sunionDiff(n, c, args, args[2:], args[1], false)
}
func sdiffCommand(n *Node, c *client, args [][]byte) { sunionDiff(n, c, args, args[1:], nil, true) }
func sdiffstoreCommand(n *Node, c *client, args [][]byte) {
	sunionDiff(n, c, args, args[2:], args[1], true)
}

func sunionDiff(n *Node, c *client, args, keys [][]byte, dst []byte, diff bool) {
	sets, ok := n.setSources(c, keys)
	if !ok {
		return
	}
	var out *setValue
	if diff {
		out = setDiff(sets, n)
	} else {
		out = setUnion(sets, n)
	}
	if dst != nil {
		n.storeColl(c, args, dst, out, out.len())
		return
	}
	c.addArrayLen(out.len())
	out.each(func(m string) bool {
		c.addBulk(m)
		return true
	})
}
