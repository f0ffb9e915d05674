package node

func init() {
	register(
		&command{name: "zcount", arity: 4, flags: flagReadOnly, fn: zcountCommand},
		&command{name: "zlexcount", arity: 4, flags: flagReadOnly, fn: zlexcountCommand},
		&command{name: "zrange", arity: -4, flags: flagReadOnly, fn: zrangeCommand},
		&command{name: "zrangestore", arity: -5, flags: flagWrite | flagDenyOOM, fn: zrangestoreCommand},
		&command{name: "zrevrange", arity: -4, flags: flagReadOnly, fn: zrevrangeCommand},
		&command{name: "zrangebyscore", arity: -4, flags: flagReadOnly, fn: zrangebyscoreCommand},
		&command{name: "zrevrangebyscore", arity: -4, flags: flagReadOnly, fn: zrevrangebyscoreCommand},
		&command{name: "zrangebylex", arity: -4, flags: flagReadOnly, fn: zrangebylexCommand},
		&command{name: "zrevrangebylex", arity: -4, flags: flagReadOnly, fn: zrevrangebylexCommand},
		&command{name: "zremrangebyrank", arity: 4, flags: flagWrite, fn: zremrangebyrankCommand},
		&command{name: "zremrangebyscore", arity: 4, flags: flagWrite, fn: zremrangebyscoreCommand},
		&command{name: "zremrangebylex", arity: 4, flags: flagWrite, fn: zremrangebylexCommand},
	)
}

// zrangeType is zrange_type.
type zrangeType uint8

const (
	zrangeAuto zrangeType = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// parseScoreRange is zslParseRange.
func parseScoreRange(minArg, maxArg []byte) (scoreRange, bool) {
	var r scoreRange
	var ok bool
	if r.min, r.minex, ok = parseRangeBound(minArg); !ok {
		return r, false
	}
	if r.max, r.maxex, ok = parseRangeBound(maxArg); !ok {
		return r, false
	}
	return r, true
}

func parseRangeBound(b []byte) (float64, bool, bool) {
	if len(b) > 0 && b[0] == '(' {
		f, ok := parseRangeDouble(b[1:])
		return f, true, ok
	}
	f, ok := parseRangeDouble(b)
	return f, false, ok
}

// parseLexRange is zslParseLexRange.
func parseLexRange(minArg, maxArg []byte) (lexRange, bool) {
	lo, ok1 := parseLexItem(minArg)
	hi, ok2 := parseLexItem(maxArg)
	return lexRange{lo, hi}, ok1 && ok2
}

// parseLexItem is zslParseLexRangeItem (the argument as a C string for
// "+" and "-").
func parseLexItem(b []byte) (lexBound, bool) {
	if len(b) == 0 {
		return lexBound{}, false
	}
	switch b[0] {
	case '+':
		return lexBound{pos: true, ex: true}, len(b) == 1 || b[1] == 0
	case '-':
		return lexBound{neg: true, ex: true}, len(b) == 1 || b[1] == 0
	case '(':
		return lexBound{s: string(b[1:]), ex: true}, true
	case '[':
		return lexBound{s: string(b[1:])}, true
	}
	return lexBound{}, false
}

func zcountCommand(n *Node, c *client, args [][]byte)    { zcountGeneric(n, c, args, zrangeScore) }
func zlexcountCommand(n *Node, c *client, args [][]byte) { zcountGeneric(n, c, args, zrangeLex) }

// zcountGeneric is ZCOUNT (rtype zrangeScore) and ZLEXCOUNT (zrangeLex):
// the number of elements between args[2] and args[3].
func zcountGeneric(n *Node, c *client, args [][]byte, rtype zrangeType) {
	var bounds func(z *zsetValue) (int, int)
	if rtype == zrangeScore {
		r, ok := parseScoreRange(args[2], args[3])
		if !ok {
			c.addError(errMinMaxFloat)
			return
		}
		bounds = func(z *zsetValue) (int, int) { return z.scoreBounds(r) }
	} else {
		r, ok := parseLexRange(args[2], args[3])
		if !ok {
			c.addError(errMinMaxLex)
			return
		}
		bounds = func(z *zsetValue) (int, int) { return z.lexBounds(r) }
	}
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.addInt(0)
		return
	}
	lo, hi := bounds(z)
	c.addInt(int64(hi - lo))
}

func zrangeCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeAuto, false, false)
}

func zrangestoreCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 2, true, zrangeAuto, false, false)
}

func zrevrangeCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeRank, true, true)
}

func zrangebyscoreCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeScore, false, true)
}

func zrevrangebyscoreCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeScore, true, true)
}

func zrangebylexCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeLex, false, true)
}

func zrevrangebylexCommand(n *Node, c *client, args [][]byte) {
	zrangeGeneric(n, c, args, 1, false, zrangeLex, true, true)
}

// zrangeGeneric is zrangeGenericCommand: keyIdx is the source key's
// argument, store says ZRANGESTORE (destination args[1]); rtype and rev
// are fixed by the command (dirFixed) or chosen by BYSCORE, BYLEX, REV.
func zrangeGeneric(n *Node, c *client, args [][]byte, keyIdx int, store bool, rtype zrangeType, rev, dirFixed bool) {
	minIdx, maxIdx := keyIdx+1, keyIdx+2
	withScores := false
	var offset, limit int64 = 0, -1
	for j := keyIdx + 3; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case !store && equalFold(a, "withscores"):
			withScores = true
		case equalFold(a, "limit") && left >= 2:
			var ok bool
			if offset, ok = parseLongOrReply(c, args[j+1]); !ok {
				return
			}
			if limit, ok = parseLongOrReply(c, args[j+2]); !ok {
				return
			}
			j += 2
		case !dirFixed && !rev && equalFold(a, "rev"):
			rev = true
		case rtype == zrangeAuto && equalFold(a, "bylex"):
			rtype = zrangeLex
		case rtype == zrangeAuto && equalFold(a, "byscore"):
			rtype = zrangeScore
		default:
			c.addError(errSyntax)
			return
		}
	}
	if rtype == zrangeAuto {
		rtype = zrangeRank
	}
	if limit != -1 && rtype == zrangeRank {
		c.addError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
		return
	}
	if withScores && rtype == zrangeLex {
		c.addError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
		return
	}
	if rev && rtype != zrangeRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var sr scoreRange
	var lr lexRange
	switch rtype {
	case zrangeRank:
		var ok bool
		if start, ok = parseLongOrReply(c, args[minIdx]); !ok {
			return
		}
		if end, ok = parseLongOrReply(c, args[maxIdx]); !ok {
			return
		}
	case zrangeScore:
		var ok bool
		if sr, ok = parseScoreRange(args[minIdx], args[maxIdx]); !ok {
			c.addError(errMinMaxFloat)
			return
		}
	case zrangeLex:
		var ok bool
		if lr, ok = parseLexRange(args[minIdx], args[maxIdx]); !ok {
			c.addError(errMinMaxLex)
			return
		}
	}
	e := n.lookupRead(c, args[keyIdx])
	if e == nil {
		if store {
			n.zrangeStore(c, args, rtype, nil, nil)
		} else {
			c.addArrayLen(0)
		}
		return
	}
	if e.kind() != kindZset {
		c.addError(errWrongType)
		return
	}
	z := e.obj.(*zsetValue)
	var members []string
	var scores []float64
	emit := func(m string, s float64) {
		members = append(members, m)
		scores = append(scores, s)
	}
	switch rtype {
	case zrangeRank:
		llen := int64(z.len())
		if start < 0 {
			start += llen
		}
		if end < 0 {
			end += llen
		}
		start = max(start, 0)
		if start <= end && start < llen {
			end = min(end, llen-1)
			k := end - start + 1
			from := int(start)
			if rev {
				from = int(llen - 1 - start)
			}
			z.walk(from, rev, func(m string, s float64) bool {
				emit(m, s)
				k--
				return k > 0
			})
		}
	case zrangeScore, zrangeLex:
		var lo, hi int
		if rtype == zrangeScore {
			lo, hi = z.scoreBounds(sr)
		} else {
			lo, hi = z.lexBounds(lr)
		}
		if offset < 0 || (offset > 0 && offset >= int64(z.len())) || int64(hi-lo) <= offset {
			break
		}
		from := lo + int(offset)
		if rev {
			from = hi - 1 - int(offset)
		}
		left := int64(hi-lo) - offset
		z.walk(from, rev, func(m string, s float64) bool {
			if limit == 0 {
				return false
			}
			emit(m, s)
			limit--
			left--
			return left > 0
		})
	}
	if store {
		n.zrangeStore(c, args, rtype, members, scores)
		return
	}
	if withScores {
		c.addArrayLen(2 * len(members))
	} else {
		c.addArrayLen(len(members))
	}
	for i, m := range members {
		c.addBulk(m)
		if withScores {
			c.addScore(scores[i])
		}
	}
}

// zrangeStore is ZRANGESTORE's result handler: the destination gets the
// elements in a new set (a skiplist up front for a big rank range, as
// zrangeResultBeginStore), or is deleted when there are none.
func (n *Node) zrangeStore(c *client, args [][]byte, rtype zrangeType, members []string, scores []float64) {
	var z *zsetValue
	if rtype == zrangeRank && int64(len(members)) > n.cfg.ZsetMaxListpackEntries {
		z = newZsetSkiplist()
	} else {
		z = newZsetListpack()
	}
	for i, m := range members {
		z.add(n, scores[i], m, zaddFlags{})
	}
	n.storeColl(c, args, args[1], z, z.len())
}

func zremrangebyrankCommand(n *Node, c *client, args [][]byte) {
	zremrangeGeneric(n, c, args, zrangeRank)
}

func zremrangebyscoreCommand(n *Node, c *client, args [][]byte) {
	zremrangeGeneric(n, c, args, zrangeScore)
}

func zremrangebylexCommand(n *Node, c *client, args [][]byte) {
	zremrangeGeneric(n, c, args, zrangeLex)
}

// zremrangeGeneric is zremrangeGenericCommand; it propagates as it is
// when it removed something.
func zremrangeGeneric(n *Node, c *client, args [][]byte, rtype zrangeType) {
	var start, end int64
	var sr scoreRange
	var lr lexRange
	var ok bool
	switch rtype {
	case zrangeRank:
		if start, ok = parseLongOrReply(c, args[2]); !ok {
			return
		}
		if end, ok = parseLongOrReply(c, args[3]); !ok {
			return
		}
	case zrangeScore:
		if sr, ok = parseScoreRange(args[2], args[3]); !ok {
			c.addError(errMinMaxFloat)
			return
		}
	case zrangeLex:
		if lr, ok = parseLexRange(args[2], args[3]); !ok {
			c.addError(errMinMaxLex)
			return
		}
	}
	z, ok := n.lookupZset(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.addInt(0)
		return
	}
	var lo, hi int
	switch rtype {
	case zrangeRank:
		llen := int64(z.len())
		if start < 0 {
			start += llen
		}
		if end < 0 {
			end += llen
		}
		start = max(start, 0)
		if start > end || start >= llen {
			c.addInt(0)
			return
		}
		lo, hi = int(start), int(min(end, llen-1))+1
	case zrangeScore:
		lo, hi = z.scoreBounds(sr)
	case zrangeLex:
		lo, hi = z.lexBounds(lr)
	}
	z.removeRanks(lo, hi)
	deleted := hi - lo
	n.deleteIfEmpty(c, args[1], z.len())
	if deleted > 0 {
		n.dirty += int64(deleted)
		n.propagate(args...)
	}
	c.addInt(int64(deleted))
}
