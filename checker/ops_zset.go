package checker

import (
	"math"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The sorted set commands' models (ranges in zset_range.go, the pops in
// ops_zset_pop.go, the algebra in ops_zset_algebra.go). Replies are
// judged exactly where Redis's reply is deterministic; a lex range over
// members of different scores is not (Redis walks its skiplist assuming
// lex order), so it is judged only when every score is equal.

func init() {
	z := tap.TypeZset
	registerCommands(
		&command{name: "ZADD", args: zaddArgs, err: zaddErr, arity: -4, typ: z, write: true, step: zaddStep, apply: zaddApply},
		&command{name: "ZINCRBY", args: zincrbyArgs, err: zaddErr, arity: 4, typ: z, write: true, step: zaddStep, apply: zaddApply},
		&command{name: "ZREM", args: noArgErrors, arity: -3, typ: z, write: true, step: zremStep, apply: zremApply},
		&command{name: "ZREMRANGEBYRANK", args: intArgs(2, 3), arity: 4, typ: z, write: true, step: zremrangeStep, apply: zremrangeApply},
		&command{name: "ZREMRANGEBYSCORE", args: zcountArgs, arity: 4, typ: z, write: true, step: zremrangeStep, apply: zremrangeApply},
		&command{name: "ZREMRANGEBYLEX", args: zlexcountArgs, arity: 4, typ: z, write: true, step: zremrangeStep, apply: zremrangeApply},
		&command{name: "ZCARD", args: noArgErrors, arity: 2, typ: z, step: zreadInt(func(z map[string]float64, _ []string) (int64, bool) { return int64(len(z)), true })},
		&command{name: "ZSCORE", args: noArgErrors, arity: 3, typ: z, step: zscoreStep},
		&command{name: "ZMSCORE", args: noArgErrors, arity: -3, typ: z, step: zmscoreStep},
		&command{name: "ZRANK", args: noArgErrors, arity: 3, typ: z, step: zrankStep},
		&command{name: "ZREVRANK", args: noArgErrors, arity: 3, typ: z, step: zrankStep},
		&command{name: "ZCOUNT", args: zcountArgs, arity: 4, typ: z, step: zreadInt(zcount)},
		&command{name: "ZLEXCOUNT", args: zlexcountArgs, arity: 4, typ: z, step: zreadInt(zcount)},
		&command{name: "ZRANGE", args: zrangeArgs(zrangeForm{at: 1}), arity: -4, typ: z, step: zrangeStep, reveal: zrangeReveal},
		&command{name: "ZREVRANGE", args: zrangeArgs(zrangeForm{at: 1, by: byRank, fixed: true}), arity: -4, typ: z, step: zrangeStep},
		&command{name: "ZRANGEBYSCORE", args: zrangeArgs(zrangeForm{at: 1, by: byScore, fixed: true}), arity: -4, typ: z, step: zrangeStep},
		&command{name: "ZREVRANGEBYSCORE", args: zrangeArgs(zrangeForm{at: 1, by: byScore, fixed: true}), arity: -4, typ: z, step: zrangeStep},
		&command{name: "ZRANGEBYLEX", args: zrangeArgs(zrangeForm{at: 1, by: byLex, fixed: true}), arity: -4, typ: z, step: zrangeStep},
		&command{name: "ZREVRANGEBYLEX", args: zrangeArgs(zrangeForm{at: 1, by: byLex, fixed: true}), arity: -4, typ: z, step: zrangeStep},
		&command{name: "ZRANGESTORE", args: zrangeArgs(zrangeForm{at: 2, store: true}), arity: -5, typ: z, write: true, keys: func([]string) []int { return []int{1, 2} },
			untyped: isPart0, writes: isPart0, step: zrangestoreStep, apply: zrangestoreApply},
		&command{name: "ZRANDMEMBER", args: randCountArgs("WITHSCORES"), arity: -2, typ: z, step: zrandmemberStep},
		&command{name: "ZSCAN", args: scanArgs, arity: -3, typ: z, step: zscanStep},
	)
}

// zaddOpts are ZADD's flags; pairs its score, member arguments.
type zaddOpts struct {
	nx, xx, gt, lt, ch, incr bool
	pairs                    []string
}

// parseZadd parses ZADD's (or ZINCRBY's, as ZADD INCR) arguments: ok
// false when Redis refuses them.
func parseZadd(args []string) (zaddOpts, bool) {
	o := zaddOpts{}
	if strings.ToUpper(args[0]) == "ZINCRBY" {
		o.incr, o.pairs = true, args[2:]
	} else {
		i := 2
	flags:
		for ; i < len(args); i++ {
			switch strings.ToUpper(args[i]) {
			case "NX":
				o.nx = true
			case "XX":
				o.xx = true
			case "GT":
				o.gt = true
			case "LT":
				o.lt = true
			case "CH":
				o.ch = true
			case "INCR":
				o.incr = true
			default:
				break flags
			}
		}
		o.pairs = args[i:]
	}
	switch {
	case len(o.pairs) == 0 || len(o.pairs)%2 != 0:
		return o, false
	case o.nx && o.xx, (o.gt && o.nx) || (o.lt && o.nx) || (o.gt && o.lt):
		return o, false
	case o.incr && len(o.pairs) > 2:
		return o, false
	}
	for i := 0; i < len(o.pairs); i += 2 {
		if _, ok := parseScore(o.pairs[i]); !ok {
			return o, false
		}
	}
	return o, true
}

// zadd applies o to z: the number of members added and changed, the
// INCR result (ok false when INCR did nothing), and nan when the INCR
// would make a NaN (an error: nothing changes).
func zadd(z map[string]float64, o zaddOpts) (added, changed int64, result float64, ok, nan bool) {
	for i := 0; i < len(o.pairs); i += 2 {
		s, _ := parseScore(o.pairs[i])
		m := o.pairs[i+1]
		cur, had := z[m]
		switch {
		case had && o.nx, !had && o.xx:
			continue
		case had:
			if o.incr {
				s += cur
				if math.IsNaN(s) {
					return 0, 0, 0, false, true
				}
			}
			if (o.lt && s >= cur) || (o.gt && s <= cur) {
				continue
			}
			result, ok = s, true
			if s != cur {
				z[m] = s
				changed++
			}
		default:
			z[m] = s
			result, ok = s, true
			added++
		}
	}
	return added, changed, result, ok, false
}

// zaddStep judges ZADD and ZINCRBY: the count of members added (and
// changed, with CH), or with INCR the new score (nil if it did nothing).
func zaddStep(v Value, op *Op) (bool, Value) {
	o, valid := parseZadd(op.Args)
	if !valid {
		return op.Unknown, v // it fails
	}
	z := zsetOf(v)
	added, changed, result, ok, nan := zadd(z, o)
	switch {
	case nan:
		return op.Unknown, v
	case op.Unknown:
		return true, zsetValue(z)
	case o.incr && !ok:
		return isNilReply(op), v
	case o.incr:
		return op.Exists && scoreIs(op.Result, result), zsetValue(z)
	case o.ch:
		return op.Int == added+changed, zsetValue(z)
	}
	return op.Int == added, zsetValue(z)
}

// zaddErr judges ZADD's and ZINCRBY's one error of the value: an
// increment that makes a NaN (inf plus -inf).
func zaddErr(v Value, op *Op) bool {
	o, valid := parseZadd(op.Args)
	if !valid || op.Err != "ERR resulting score is not a number (NaN)" {
		return false
	}
	_, _, _, _, nan := zadd(zsetOf(v), o)
	return nan
}

// zsetApply applies f to the sorted set at key in a replayed dataset.
func zsetApply(d replayDB, key string, f func(map[string]float64) string) string {
	v := d.get(key)
	if v.Exists && v.Type != tap.TypeZset {
		return "a sorted set command on a " + typeName(v.Type)
	}
	z := zsetOf(v)
	if why := f(z); why != "" {
		return why
	}
	d.put(key, zsetValue(z))
	return ""
}

func zaddApply(args []string, d replayDB) string {
	if len(args) < 4 {
		return "bad arguments"
	}
	o, ok := parseZadd(args)
	if !ok {
		return "bad arguments"
	}
	return zsetApply(d, args[1], func(z map[string]float64) string {
		if _, _, _, _, nan := zadd(z, o); nan {
			return "an increment that makes a NaN (Redis refuses it)"
		}
		return ""
	})
}

func zrem(z map[string]float64, members []string) int64 { return removeAll(z, members) }

func zremStep(v Value, op *Op) (bool, Value) {
	z := zsetOf(v)
	n := zrem(z, op.Args[2:])
	return op.Unknown || op.Int == n, zsetValue(z)
}

func zremApply(args []string, d replayDB) string {
	if len(args) < 3 {
		return "bad arguments"
	}
	return zsetApply(d, args[1], func(z map[string]float64) string { zrem(z, args[2:]); return "" })
}

// zremrangeSpec parses a ZREMRANGEBY* range as a zrange.
func zremrangeSpec(args []string) (zrange, bool) {
	r := zrange{limit: -1}
	switch strings.ToUpper(args[0]) {
	case "ZREMRANGEBYSCORE":
		r.by = "SCORE"
	case "ZREMRANGEBYLEX":
		r.by = "LEX"
	}
	return r, r.parseEnds(args[2], args[3])
}

// zremrange removes r's members from z and returns them; exact false for
// a lex range over different scores.
func zremrange(z map[string]float64, r zrange) (removed []zelem, exact bool) {
	sorted := zsorted(z)
	if r.by == "LEX" && !sameScores(sorted) {
		return nil, false
	}
	removed = r.apply(sorted)
	for _, e := range removed {
		delete(z, e.m)
	}
	return removed, true
}

func zremrangeStep(v Value, op *Op) (bool, Value) {
	r, ok := zremrangeSpec(op.Args)
	if !ok {
		return op.Unknown, v
	}
	z := zsetOf(v)
	removed, exact := zremrange(z, r)
	switch {
	case !exact && (op.Unknown || op.Int > 0):
		return true, Value{Any: true}
	case !exact:
		return true, v
	}
	return op.Unknown || op.Int == int64(len(removed)), zsetValue(z)
}

func zremrangeApply(args []string, d replayDB) string {
	if len(args) != 4 {
		return "bad arguments"
	}
	r, ok := zremrangeSpec(args)
	if !ok {
		return "bad arguments"
	}
	return zsetApply(d, args[1], func(z map[string]float64) string {
		if _, exact := zremrange(z, r); !exact {
			return "a lex range over members of different scores (its effect depends on the node's skiplist)"
		}
		return ""
	})
}

// zreadInt is a read whose integer reply f computes (ok false: f cannot
// say, any reply goes).
func zreadInt(f func(z map[string]float64, args []string) (int64, bool)) func(Value, *Op) (bool, Value) {
	return func(v Value, op *Op) (bool, Value) {
		if op.Unknown {
			return true, v
		}
		n, ok := f(zsetOf(v), op.Args)
		return !ok || op.Int == n, v
	}
}

// zcount is ZCOUNT's and ZLEXCOUNT's count.
func zcount(z map[string]float64, args []string) (int64, bool) {
	r := zrange{by: "SCORE", limit: -1}
	if strings.ToUpper(args[0]) == "ZLEXCOUNT" {
		r.by = "LEX"
	}
	if !r.parseEnds(args[2], args[3]) {
		return -1, true // it fails
	}
	sorted := zsorted(z)
	if r.by == "LEX" && !sameScores(sorted) {
		return 0, false
	}
	return int64(len(r.apply(sorted))), true
}

func zscoreStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	s, ok := zsetOf(v)[op.Args[2]]
	return op.Exists == ok && (!ok || scoreIs(op.Result, s)), v
}

func zmscoreStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	z := zsetOf(v)
	if len(op.Items) != len(op.Args)-2 {
		return false, v
	}
	for i, m := range op.Args[2:] {
		s, ok := z[m]
		if op.Items[i].Nil == ok || (ok && !scoreIs(op.Items[i].Str, s)) {
			return false, v
		}
	}
	return true, v
}

func zrankStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	sorted := zsorted(zsetOf(v))
	for i, e := range sorted {
		if e.m == op.Args[2] {
			if strings.ToUpper(op.Args[0]) == "ZREVRANK" {
				i = len(sorted) - 1 - i
			}
			return !isNilReply(op) && op.Int == int64(i), v
		}
	}
	return isNilReply(op), v
}

// isNilReply reports whether op's reply was a nil (bulk or array), as
// the client records it.
func isNilReply(op *Op) bool { return op.Reply == "(nil)" }

// zrangeStep judges every ZRANGE form: exactly, except a lex range over
// different scores (any members of the set, distinct).
func zrangeStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	r, ok := parseZrange(op.Args, 1)
	if !ok {
		return false, v // it fails
	}
	z := zsetOf(v)
	sorted := zsorted(z)
	got := itemStrs(op)
	if r.by == "LEX" && !sameScores(sorted) {
		for _, m := range got {
			if _, in := z[m]; !in {
				return false, v
			}
		}
		return distinct(got), v
	}
	return zreplyIs(r.apply(sorted), r.withScores, got), v
}

// zrangeReveal: ZRANGE key 0 -1 WITHSCORES shows the whole set.
func zrangeReveal(op *Op) (Value, bool) {
	a := op.Args
	if len(a) != 5 || a[2] != "0" || a[3] != "-1" || !strings.EqualFold(a[4], "WITHSCORES") {
		return Value{}, false
	}
	items := itemStrs(op)
	if len(items)%2 != 0 || !distinctEvery(items, 2) {
		return Value{}, false
	}
	z := map[string]float64{}
	for i := 0; i < len(items); i += 2 {
		s, ok := parseScore(items[i+1])
		if !ok {
			return Value{}, false
		}
		z[items[i]] = s
	}
	return zsetValue(z), true
}

// zrangestoreStep judges ZRANGESTORE dst src ... on its destination
// (part 0: a new sorted set of Int members, or deleted when there are
// none) or on its source (the count is the range's).
func zrangestoreStep(v Value, op *Op) (bool, Value) {
	if op.Part == 0 {
		return storeDestStep(op)
	}
	if op.Unknown {
		return true, v
	}
	r, ok := parseZrange(op.Args, 2)
	if !ok {
		return false, v
	}
	sorted := zsorted(zsetOf(v))
	if r.by == "LEX" && !sameScores(sorted) {
		return op.Int >= 0 && op.Int <= int64(len(sorted)), v
	}
	return op.Int == int64(len(r.apply(sorted))), v
}

func zrangestoreApply(args []string, d replayDB) string {
	r, ok := parseZrange(args, 2)
	if !ok {
		return "bad arguments"
	}
	src := d.get(args[2])
	if src.Exists && src.Type != tap.TypeZset {
		return "ZRANGESTORE from a " + typeName(src.Type)
	}
	sorted := zsorted(zsetOf(src))
	if r.by == "LEX" && !sameScores(sorted) {
		return "a lex range over members of different scores (its effect depends on the node's skiplist)"
	}
	out := map[string]float64{}
	for _, e := range r.apply(sorted) {
		out[e.m] = e.s
	}
	nv := zsetValue(out)
	nv.Fresh = true
	d.put(args[1], nv)
	return ""
}

// zrandmemberStep: ZRANDMEMBER key [count [WITHSCORES]] returns members
// (with their scores) as many as the count says.
func zrandmemberStep(v Value, op *Op) (bool, Value) {
	if op.Unknown {
		return true, v
	}
	z := zsetOf(v)
	in := func(m string) bool { _, ok := z[m]; return ok }
	return randomPickStep(op, len(z), in, func(items []string) bool { return scorePairsMatch(z, items) }), v
}

// scorePairsMatch reports whether items, member score pairs, are all in
// z (scores compared as numbers: ZSCAN and ZRANDMEMBER may render a score
// as the node stores it rather than as "%.17g").
func scorePairsMatch(z map[string]float64, items []string) bool {
	if len(items)%2 != 0 {
		return false
	}
	for i := 0; i < len(items); i += 2 {
		s, ok := z[items[i]]
		if !ok {
			return false
		}
		got, ok := parseScore(items[i+1])
		if !ok || (got != s && math.Abs(got-s) > 1e-12*math.Max(1, math.Abs(s))) {
			return false
		}
	}
	return true
}

// zscanStep: ZSCAN key 0 [COUNT n] returns member, score pairs of the
// set; a cursor of 0 back says the one call covered it all.
func zscanStep(v Value, op *Op) (bool, Value) {
	z := zsetOf(v)
	return scanPairsStep(op, len(z), func(pairs []string) bool { return scorePairsMatch(z, pairs) }), v
}
