package node

import (
	"math"
	"slices"
)

func init() {
	register(
		&command{name: "zunion", arity: -3, flags: flagReadOnly, fn: zunionCommand},
		&command{name: "zinter", arity: -3, flags: flagReadOnly, fn: zinterCommand},
		&command{name: "zdiff", arity: -3, flags: flagReadOnly, fn: zdiffCommand},
		&command{name: "zunionstore", arity: -4, flags: flagWrite | flagDenyOOM, fn: zunionstoreCommand},
		&command{name: "zinterstore", arity: -4, flags: flagWrite | flagDenyOOM, fn: zinterstoreCommand},
		&command{name: "zdiffstore", arity: -4, flags: flagWrite | flagDenyOOM, fn: zdiffstoreCommand},
		&command{name: "zintercard", arity: -3, flags: flagReadOnly, fn: zintercardCommand},
	)
}

type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zaggregate is REDIS_AGGR_SUM, MIN or MAX.
type zaggregate uint8

const (
	aggrSum zaggregate = iota
	aggrMin
	aggrMax
)

// zopSrc is a zsetopsrc: a sorted set, a set (every score 1), or nothing.
type zopSrc struct {
	z      *zsetValue
	s      *setValue
	weight float64
}

func (o *zopSrc) len() int {
	switch {
	case o.z != nil:
		return o.z.len()
	case o.s != nil:
		return o.s.len()
	}
	return 0
}

func (o *zopSrc) same(p *zopSrc) bool {
	return (o.z != nil && o.z == p.z) || (o.s != nil && o.s == p.s)
}

// each is zuiNext over the source.
func (o *zopSrc) each(fn func(m string, score float64) bool) {
	switch {
	case o.z != nil:
		o.z.walk(0, false, fn)
	case o.s != nil:
		o.s.each(func(m string) bool { return fn(m, 1) })
	}
}

// find is zuiFind.
func (o *zopSrc) find(m string) (float64, bool) {
	switch {
	case o.z != nil:
		return o.z.score(m)
	case o.s != nil:
		return 1, o.s.has(m)
	}
	return 0, false
}

// zaggr is zunionInterAggregate.
func zaggr(target *float64, val float64, a zaggregate) {
	switch a {
	case aggrSum:
		*target += val
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggrMin:
		if val < *target {
			*target = val
		}
	case aggrMax:
		if val > *target {
			*target = val
		}
	}
}

func zunionCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, nil, 1, zopUnion, false)
}
func zinterCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, nil, 1, zopInter, false)
}
func zdiffCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, nil, 1, zopDiff, false)
}
func zunionstoreCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, args[1], 2, zopUnion, false)
}
func zinterstoreCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, args[1], 2, zopInter, false)
}
func zdiffstoreCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, args[1], 2, zopDiff, false)
}
func zintercardCommand(n *Node, c *client, args [][]byte) {
	zsetOpGeneric(n, c, args, nil, 1, zopInter, true)
}

// zsetOpGeneric is zunionInterDiffGenericCommand. The STORE forms
// propagate as they are when they changed the dataset.
func zsetOpGeneric(n *Node, c *client, args [][]byte, dst []byte, numkeysIdx int, op zsetOp, cardOnly bool) {
	setnum, ok := parseLongOrReply(c, args[numkeysIdx])
	if !ok {
		return
	}
	if setnum < 1 {
		c.addError("ERR at least 1 input key is needed for '" + string(lowerASCII(args[0])) + "' command")
		return
	}
	if setnum > int64(len(args)-(numkeysIdx+1)) {
		c.addError(errSyntax)
		return
	}
	src := make([]zopSrc, setnum)
	j := numkeysIdx + 1
	for i := range src {
		e := n.lookupRead(c, args[j])
		j++
		src[i].weight = 1
		if e == nil {
			continue
		}
		switch v := e.obj.(type) {
		case *zsetValue:
			src[i].z = v
		case *setValue:
			src[i].s = v
		default:
			c.addError(errWrongType)
			return
		}
	}
	aggr := aggrSum
	withScores := false
	var limit int64
	for j < len(args) {
		remaining := len(args) - j
		switch a := args[j]; {
		case op != zopDiff && !cardOnly && remaining >= len(src)+1 && equalFold(a, "weights"):
			j++
			for i := range src {
				w, ok := parseScore(args[j])
				if !ok {
					c.addError("ERR weight value is not a float")
					return
				}
				src[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && equalFold(a, "aggregate"):
			switch b := args[j+1]; {
			case equalFold(b, "sum"):
				aggr = aggrSum
			case equalFold(b, "min"):
				aggr = aggrMin
			case equalFold(b, "max"):
				aggr = aggrMax
			default:
				c.addError(errSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && equalFold(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && equalFold(a, "limit"):
			v, ok := parseInt(args[j+1])
			if !ok || v < 0 {
				c.addError("ERR LIMIT can't be negative")
				return
			}
			limit = v
			j += 2
		default:
			c.addError(errSyntax)
			return
		}
	}
	if op != zopDiff {
		slices.SortStableFunc(src, func(a, b zopSrc) int { return a.len() - b.len() })
	}
	out := newZsetSkiplist()
	maxlen := 0
	var card int64
	switch op {
	case zopInter:
		if src[0].len() == 0 {
			break
		}
		src[0].each(func(m string, s0 float64) bool {
			score := src[0].weight * s0
			if math.IsNaN(score) {
				score = 0
			}
			for k := 1; k < len(src); k++ {
				var v float64
				if src[k].same(&src[0]) {
					v = s0
				} else if sv, ok := src[k].find(m); ok {
					v = sv
				} else {
					return true
				}
				zaggr(&score, v*src[k].weight, aggr)
			}
			if cardOnly {
				card++
				return limit == 0 || card < limit
			}
			out.insertNew(score, m)
			maxlen = max(maxlen, len(m))
			return true
		})
	case zopUnion:
		acc := make(map[string]float64)
		var order []string
		for i := range src {
			src[i].each(func(m string, s float64) bool {
				score := src[i].weight * s
				if math.IsNaN(score) {
					score = 0
				}
				if cur, ok := acc[m]; ok {
					zaggr(&cur, score, aggr)
					acc[m] = cur
				} else {
					acc[m] = score
					order = append(order, m)
					maxlen = max(maxlen, len(m))
				}
				return true
			})
		}
		for _, m := range order {
			out.insertNew(acc[m], m)
		}
	case zopDiff:
		maxlen = zdiff(src, out)
	}
	switch {
	case dst != nil:
		if out.len() > 0 {
			out.convertToListpackIfNeeded(n, maxlen)
		}
		n.storeColl(c, args, dst, out, out.len())
	case cardOnly:
		c.addInt(card)
	default:
		if withScores {
			c.addArrayLen(2 * out.len())
		} else {
			c.addArrayLen(out.len())
		}
		out.walk(0, false, func(m string, s float64) bool {
			c.addBulk(m)
			if withScores {
				c.addScore(s)
			}
			return true
		})
	}
}

// zdiff is Redis's zdiff with its choice of algorithm, which shows in the
// result's encoding: the second algorithm does not track member lengths,
// so its result may become a listpack with long members. It returns the
// longest member length as Redis tracks it.
func zdiff(src []zopSrc, out *zsetValue) int {
	if src[0].len() == 0 {
		return 0
	}
	var one, two int64
	for j := range src {
		if j > 0 && src[j].same(&src[0]) {
			return 0
		}
		one += int64(src[0].len())
		two += int64(src[j].len())
	}
	one /= 2
	maxlen := 0
	if one <= two {
		rest := slices.Clone(src[1:])
		slices.SortStableFunc(rest, func(a, b zopSrc) int { return b.len() - a.len() })
		src[0].each(func(m string, s float64) bool {
			for k := range rest {
				if _, ok := rest[k].find(m); ok {
					return true
				}
			}
			out.insertNew(s, m)
			maxlen = max(maxlen, len(m))
			return true
		})
		return maxlen
	}
	card := 0
	for j := range src {
		if src[j].len() == 0 {
			continue
		}
		src[j].each(func(m string, s float64) bool {
			if j == 0 {
				out.insertNew(s, m)
				card++
			} else if out.remove(m) {
				card--
			}
			return card != 0
		})
		if card == 0 {
			break
		}
	}
	return 0
}
