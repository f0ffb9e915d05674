package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// drawZset draws a sorted set command on op.Key (and, for the commands of
// several keys, other keys of its namespace): members from a small set so
// commands meet, scores mostly small integers so members tie and their
// order falls to the member bytes, sometimes fractions (0.1 among them,
// whose sums print with 17 digits), inf or -inf; members sometimes long
// enough to change the encoding; rarely a big ZADD past the listpack
// limits. A third of the commands go to key 0 of the namespace, so the
// blocking pops, which wait a little, often get served by a ZADD there.
// A lex range is defined only over members of one score: lex commands
// work on keys of their own (key+":lex") where every score is 0.
func drawZset(r *sim.Rand, op *checker.Op, keys int) {
	if r.Chance(0.35) {
		op.Key = op.Key[:1] + "0" // a hot key, so blocked pops get served
	}
	k := op.Key
	others := siblingKeys(r, k, keys, 2)
	member := func() string {
		if r.Chance(0.03) {
			return strings.Repeat("m", 65+r.IntN(20)) // over zset-max-listpack-value
		}
		return []string{"a", "b", "c", "d", "e", "f", "g", "10", "9"}[r.IntN(9)]
	}
	score := func() string {
		switch x := r.IntN(100); {
		case x < 70:
			return itoa(r.IntN(7) - 2)
		case x < 88:
			return []string{"0.5", "-1.5", "2.25", "1e2", "0.1"}[r.IntN(5)]
		case x < 94:
			return "inf"
		}
		return "-inf"
	}
	count := func() string { return itoa(r.IntN(5) - 1) }
	switch x := r.IntN(100); {
	case x < 14:
		drawZadd(r, op, k, score, member)
	case x < 21:
		// Often on members the set has (ZADD draws them too), finite
		// (an infinite score absorbs any increment).
		cmd(op, "ZINCRBY", k, []string{"1", "-2", "0.5", "3", "0.1"}[r.IntN(5)], []string{"a", "b", "c"}[r.IntN(3)])
	case x < 24:
		cmdOneOrTwo(r, op, "ZREM", k, member)
	case x < 25:
		cmd(op, "ZCARD", k)
	case x < 28:
		cmd(op, "ZSCORE", k, member())
	case x < 29:
		cmd(op, "ZMSCORE", k, member(), member())
	case x < 31:
		cmd(op, []string{"ZRANK", "ZREVRANK"}[r.IntN(2)], k, member())
	case x < 33:
		lo, hi := scoreRange(r)
		cmd(op, "ZCOUNT", k, lo, hi)
	case x < 42:
		drawZrange(r, op, k)
	case x < 44:
		cmd(op, "ZREMRANGEBYRANK", k, itoa(r.IntN(5)-2), itoa(r.IntN(5)-2))
	case x < 46:
		lo, hi := scoreRange(r)
		cmd(op, "ZREMRANGEBYSCORE", k, lo, hi)
	case x < 50:
		cmd(op, []string{"ZPOPMIN", "ZPOPMAX"}[r.IntN(2)], k)
		if r.Chance(0.4) {
			op.Args = append(op.Args, itoa(r.IntN(4)))
		}
	case x < 55:
		cmd(op, "ZMPOP", itoa(1+len(others)), k)
		op.Args = append(op.Args, others...)
		op.Args = append(op.Args, []string{"MIN", "MAX"}[r.IntN(2)])
		if r.Chance(0.6) {
			op.Args = append(op.Args, "COUNT", itoa(1+r.IntN(3)))
		}
	case x < 57:
		cmd(op, "ZRANDMEMBER", k)
		switch r.IntN(3) {
		case 1:
			op.Args = append(op.Args, count())
		case 2:
			op.Args = append(op.Args, count(), "WITHSCORES")
		}
	case x < 58:
		cmd(op, "ZSCAN", k, "0", "COUNT", "100")
	case x < 68:
		if r.Chance(0.6) {
			k = k[:1] + "0"
		}
		drawZblocking(r, op, k, siblingKeys(r, k, keys, 1))
	case x < 76 && len(others) >= 1:
		drawZalgebra(r, op, k, others)
	case x < 78 && len(others) >= 1:
		cmd(op, "ZRANGESTORE", others[0], k, itoa(r.IntN(3)-1), itoa(r.IntN(4)-1))
		if r.Chance(0.5) {
			lo, hi := scoreRange(r)
			cmd(op, "ZRANGESTORE", others[0], k, lo, hi, "BYSCORE")
			if r.Chance(0.3) {
				op.Args[3], op.Args[4] = hi, lo
				op.Args = append(op.Args, "REV")
			}
		}
		if r.Chance(0.2) {
			op.Args = append(op.Args, "LIMIT", itoa(r.IntN(3)), itoa(r.IntN(4)-1))
		}
	case x < 88:
		drawZlex(r, op, k, others)
	case x < 90:
		drawZaddErrors(r, op, k)
	case x < 91 && r.IntN(3) == 0:
		args := []string{"ZADD", k}
		for i := 0; i < bigCount; i++ {
			args = append(args, itoa(i%7), "b"+itoa(i))
		}
		cmd(op, args...)
	default:
		drawKeyCommand(r, op)
	}
}

// drawZadd draws a valid ZADD: flags NX/XX, GT/LT, CH, INCR in the
// combinations Redis accepts, one to three pairs (one with INCR).
func drawZadd(r *sim.Rand, op *checker.Op, k string, score, member func() string) {
	cmd(op, "ZADD", k)
	incr := r.Chance(0.15)
	switch x := r.IntN(10); {
	case x < 1:
		op.Args = append(op.Args, "NX")
	case x < 2:
		op.Args = append(op.Args, "XX")
	case x < 3:
		op.Args = append(op.Args, []string{"GT", "LT"}[r.IntN(2)])
	case x < 4:
		op.Args = append(op.Args, "XX", []string{"GT", "LT"}[r.IntN(2)])
	}
	if r.Chance(0.25) {
		op.Args = append(op.Args, "CH")
	}
	if incr {
		op.Args = append(op.Args, "INCR", score(), member())
		return
	}
	for n := 1 + r.IntN(3); n > 0; n-- {
		op.Args = append(op.Args, score(), member())
	}
}

// drawZaddErrors draws a ZADD Redis refuses: flags that exclude each
// other, INCR with two pairs, a score that is no number.
func drawZaddErrors(r *sim.Rand, op *checker.Op, k string) {
	switch r.IntN(5) {
	case 0:
		cmd(op, "ZADD", k, "NX", "XX", "1", "a")
	case 1:
		cmd(op, "ZADD", k, "GT", "LT", "1", "a")
	case 2:
		cmd(op, "ZADD", k, "NX", "GT", "1", "a")
	case 3:
		cmd(op, "ZADD", k, "INCR", "1", "a", "2", "b")
	default:
		cmd(op, "ZADD", k, "x", "a")
	}
}

// scoreRange draws the ends of a score range: numbers, exclusive ends,
// -inf/+inf.
func scoreRange(r *sim.Rand) (string, string) {
	end := func() string {
		switch x := r.IntN(10); {
		case x < 5:
			return itoa(r.IntN(6) - 2)
		case x < 7:
			return "(" + itoa(r.IntN(6)-2)
		case x < 8:
			return "-inf"
		case x < 9:
			return "+inf"
		}
		return "0.5"
	}
	lo, hi := end(), end()
	if r.Chance(0.15) {
		lo, hi = "-inf", "+inf"
	}
	return lo, hi
}

// drawZrange draws one of the ZRANGE forms on k.
func drawZrange(r *sim.Rand, op *checker.Op, k string) {
	withScores := r.Chance(0.5)
	limit := func() {
		if r.Chance(0.3) {
			op.Args = append(op.Args, "LIMIT", itoa(r.IntN(4)-1), itoa(r.IntN(4)-1))
		}
	}
	switch r.IntN(7) {
	case 0:
		cmd(op, "ZRANGE", k, "0", "-1", "WITHSCORES") // reveals the whole set
		return
	case 1:
		cmd(op, "ZRANGE", k, itoa(r.IntN(5)-2), itoa(r.IntN(5)-1))
		if r.Chance(0.3) {
			op.Args = append(op.Args, "REV")
		}
	case 2:
		lo, hi := scoreRange(r)
		cmd(op, "ZRANGE", k, lo, hi, "BYSCORE")
		if r.Chance(0.4) {
			op.Args[2], op.Args[3] = hi, lo
			op.Args = append(op.Args, "REV")
		}
		limit()
	case 3:
		cmd(op, "ZREVRANGE", k, itoa(r.IntN(5)-2), itoa(r.IntN(5)-1))
	case 4:
		lo, hi := scoreRange(r)
		cmd(op, "ZRANGEBYSCORE", k, lo, hi)
		if withScores {
			op.Args = append(op.Args, "WITHSCORES")
		}
		limit()
		return
	case 5:
		lo, hi := scoreRange(r)
		cmd(op, "ZREVRANGEBYSCORE", k, hi, lo)
		limit()
	default:
		// Refused: LIMIT without BYSCORE or BYLEX.
		cmd(op, "ZRANGE", k, "0", "-1", "LIMIT", "0", "1")
		return
	}
	if withScores {
		op.Args = append(op.Args, "WITHSCORES")
	}
}

// drawZblocking draws a blocking pop on k (and sometimes another key
// first, often empty) with a short timeout: some time out, some are
// served by another client's ZADD meanwhile; rarely a negative timeout or
// COUNT 0, which Redis refuses.
func drawZblocking(r *sim.Rand, op *checker.Op, k string, others []string) {
	timeout := []string{"0.01", "0.1", "0.5", "1", "0.01", "0.1", "0.5", "1", "-1"}[r.IntN(9)]
	ks := []string{k}
	if len(others) > 0 && r.Chance(0.4) {
		ks = []string{others[0], k}
	}
	switch r.IntN(3) {
	case 0:
		cmd(op, append([]string{"BZPOPMIN"}, ks...)...)
		op.Args = append(op.Args, timeout)
	case 1:
		cmd(op, append([]string{"BZPOPMAX"}, ks...)...)
		op.Args = append(op.Args, timeout)
	default:
		cmd(op, "BZMPOP", timeout, itoa(len(ks)))
		op.Args = append(op.Args, ks...)
		op.Args = append(op.Args, []string{"MIN", "MAX"}[r.IntN(2)])
		if r.Chance(0.5) {
			op.Args = append(op.Args, "COUNT", itoa(r.IntN(4)))
		}
	}
}

// drawZalgebra draws ZUNION, ZINTER, ZDIFF (sometimes STORE), or
// ZINTERCARD over k and others.
func drawZalgebra(r *sim.Rand, op *checker.Op, k string, others []string) {
	srcs := []string{k, others[0]}
	store := r.Chance(0.4)
	if !store && len(others) > 1 && r.Chance(0.3) {
		srcs = append(srcs, others[1])
	}
	name := []string{"ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"}[r.IntN(4)]
	if name == "ZINTERCARD" {
		cmd(op, name, itoa(len(srcs)))
		op.Args = append(op.Args, srcs...)
		if r.Chance(0.4) {
			op.Args = append(op.Args, "LIMIT", itoa(r.IntN(3)))
		}
		return
	}
	if store {
		if len(others) < 2 {
			cmd(op, "ZCARD", k)
			return
		}
		cmd(op, name+"STORE", others[1], itoa(len(srcs)))
	} else {
		cmd(op, name, itoa(len(srcs)))
	}
	op.Args = append(op.Args, srcs...)
	if name != "ZDIFF" {
		if r.Chance(0.3) {
			op.Args = append(op.Args, "WEIGHTS")
			for range srcs {
				op.Args = append(op.Args, []string{"1", "2", "-1", "0.5"}[r.IntN(4)])
			}
		}
		if r.Chance(0.3) {
			op.Args = append(op.Args, "AGGREGATE", []string{"SUM", "MIN", "MAX"}[r.IntN(3)])
		}
	}
	if !store && r.Chance(0.5) {
		op.Args = append(op.Args, "WITHSCORES")
	}
}

// drawZlex draws a lex command on k's lex twin (every score 0).
func drawZlex(r *sim.Rand, op *checker.Op, k string, others []string) {
	lk := k + ":lex"
	m := func() string { return []string{"a", "b", "c", "d", "e", "aa", "B"}[r.IntN(7)] }
	bound := func() string {
		switch x := r.IntN(10); {
		case x < 4:
			return "[" + m()
		case x < 7:
			return "(" + m()
		case x < 8:
			return "-"
		case x < 9:
			return "+"
		}
		return m() // no bracket: refused
	}
	lo, hi := bound(), bound()
	if r.Chance(0.85) && !strings.ContainsAny(lo[:1], "[(-+") {
		lo = "[" + lo
	}
	if r.Chance(0.85) && !strings.ContainsAny(hi[:1], "[(-+") {
		hi = "(" + hi
	}
	switch x := r.IntN(10); {
	case x < 4:
		cmd(op, "ZADD", lk, "0", m())
		for n := r.IntN(3); n > 0; n-- {
			op.Args = append(op.Args, "0", m())
		}
	case x < 5:
		cmd(op, "ZREM", lk, m())
	case x < 6:
		cmd(op, "ZLEXCOUNT", lk, lo, hi)
	case x < 7:
		cmd(op, []string{"ZRANGEBYLEX", "ZREVRANGEBYLEX"}[r.IntN(2)], lk, lo, hi)
		if r.Chance(0.3) {
			op.Args = append(op.Args, "LIMIT", itoa(r.IntN(3)), itoa(r.IntN(4)-1))
		}
	case x < 8:
		cmd(op, "ZRANGE", lk, lo, hi, "BYLEX")
		if r.Chance(0.4) {
			op.Args = append(op.Args, "REV")
		}
		if r.Chance(0.1) {
			op.Args = append(op.Args, "WITHSCORES") // refused
		}
	case x < 9:
		cmd(op, "ZREMRANGEBYLEX", lk, lo, hi)
	case len(others) > 0:
		cmd(op, "ZRANGESTORE", others[0]+":lex", lk, lo, hi, "BYLEX")
	default:
		cmd(op, "ZCARD", lk)
	}
}
