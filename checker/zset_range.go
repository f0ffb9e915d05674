package checker

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The sorted set as the models see it, and the ranges its commands take
// (by index, score or lex), parsed and walked as Redis 7.0 does.

// zsetOf decodes a sorted set value (empty for an absent key); a set, as
// the algebra commands read one, has every member at score 1.
func zsetOf(v Value) map[string]float64 {
	z := map[string]float64{}
	if !v.Exists {
		return z
	}
	elems, _ := tap.DecodeElems(v.Val)
	if v.Type == tap.TypeSet {
		for _, m := range elems {
			z[m] = 1
		}
		return z
	}
	for i := 0; i+1 < len(elems); i += 2 {
		f, _ := parseScore(elems[i+1])
		z[elems[i]] = f
	}
	return z
}

// zsetValue encodes z (an empty sorted set is no key).
func zsetValue(z map[string]float64) Value {
	if len(z) == 0 {
		return Value{}
	}
	ms := make([]tap.ZsetMember, 0, len(z))
	for m, s := range z {
		if s == 0 {
			// -0 as 0: a listpack (the small sorted sets the workload
			// mostly has) keeps d2string's "-0" as the integer 0, so
			// Redis answers ZADD z -0 m; ZSCORE z m with 0 (a skiplist
			// would keep -0: the model knows no encoding).
			s = 0
		}
		ms = append(ms, tap.ZsetMember{Member: m, Score: s})
	}
	return Value{Exists: true, Type: tap.TypeZset, Val: tap.EncodeZset(ms)}
}

// zelem is one member with its score.
type zelem struct {
	m string
	s float64
}

// zsorted lists z in Redis's order: by score, ties by member bytes.
func zsorted(z map[string]float64) []zelem {
	out := make([]zelem, 0, len(z))
	for m, s := range z {
		out = append(out, zelem{m, s})
	}
	slices.SortFunc(out, func(a, b zelem) int {
		switch {
		case a.s < b.s:
			return -1
		case a.s > b.s:
			return 1
		}
		return strings.Compare(a.m, b.m)
	})
	return out
}

// fmtScore formats a score as Redis 7.0 replies one (addReplyDouble):
// "%.17g", or inf and -inf.
func fmtScore(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}

// scoreIs reports whether a reply renders the score s: as fmtScore does,
// and a zero as "0" or "-0" (Redis keeps the sign of a zero in a skiplist
// and in a ZINCRBY's reply, not in a listpack; the model does not know the
// encoding).
func scoreIs(reply string, s float64) bool {
	if s == 0 {
		return reply == "0" || reply == "-0"
	}
	return reply == fmtScore(s)
}

// parseScore parses a score as strtod does for Redis (no NaN, no
// surrounding space).
func parseScore(s string) (float64, bool) {
	if s == "" || strings.TrimSpace(s) != s {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // strtod's HUGE_VAL
		}
		return 0, false
	}
	return f, !math.IsNaN(f)
}

// scoreBound is one end of a score range: "(" makes it exclusive.
type scoreBound struct {
	v  float64
	ex bool
}

func parseScoreBound(s string) (scoreBound, bool) {
	b := scoreBound{}
	if strings.HasPrefix(s, "(") {
		b.ex, s = true, s[1:]
	}
	var ok bool
	b.v, ok = parseScore(s)
	return b, ok
}

// lexBound is one end of a lex range: "-" (inf -1), "+" (inf 1), or a
// string, "[" inclusive or "(" exclusive.
type lexBound struct {
	inf int
	s   string
	ex  bool
}

func parseLexBound(s string) (lexBound, bool) {
	switch {
	case s == "+":
		return lexBound{inf: 1}, true
	case s == "-":
		return lexBound{inf: -1}, true
	case strings.HasPrefix(s, "["):
		return lexBound{s: s[1:]}, true
	case strings.HasPrefix(s, "("):
		return lexBound{s: s[1:], ex: true}, true
	}
	return lexBound{}, false
}

// zrange is a parsed range: by "" (index), "SCORE" or "LEX"; rev walks
// from the top; offset, limit as LIMIT gives them (limit -1: none).
type zrange struct {
	by          string
	rev         bool
	withScores  bool
	offset      int64
	limit       int64
	start, stop int64
	smin, smax  scoreBound
	lmin, lmax  lexBound
}

func (r *zrange) parseEnds(lo, hi string) bool {
	var ok1, ok2 bool
	switch r.by {
	case "":
		r.start, ok1 = parseInt64(lo)
		r.stop, ok2 = parseInt64(hi)
	case "SCORE":
		r.smin, ok1 = parseScoreBound(lo)
		r.smax, ok2 = parseScoreBound(hi)
	default:
		r.lmin, ok1 = parseLexBound(lo)
		r.lmax, ok2 = parseLexBound(hi)
	}
	return ok1 && ok2
}

func parseInt64(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseZrange parses the range of ZRANGE, ZRANGESTORE and the older
// Z[REV]RANGE[BYSCORE|BYLEX] (key at args[at]); ok false when Redis
// refuses the arguments.
func parseZrange(args []string, at int) (zrange, bool) {
	r := zrange{limit: -1}
	name := strings.ToUpper(args[0])
	if len(args) < at+3 {
		return r, false
	}
	lo, hi := args[at+1], args[at+2]
	rest := args[at+3:]
	store := name == "ZRANGESTORE"
	switch name {
	case "ZREVRANGE":
		r.rev = true
	case "ZRANGEBYSCORE":
		r.by = "SCORE"
	case "ZREVRANGEBYSCORE":
		r.by, r.rev = "SCORE", true
	case "ZRANGEBYLEX":
		r.by = "LEX"
	case "ZREVRANGEBYLEX":
		r.by, r.rev = "LEX", true
	}
	generic := name == "ZRANGE" || store
	for i := 0; i < len(rest); i++ {
		w := strings.ToUpper(rest[i])
		switch {
		case w == "WITHSCORES" && !store:
			r.withScores = true
		case w == "LIMIT" && len(rest)-i-1 >= 2:
			var ok1, ok2 bool
			r.offset, ok1 = parseInt64(rest[i+1])
			r.limit, ok2 = parseInt64(rest[i+2])
			if !ok1 || !ok2 {
				return r, false
			}
			i += 2
		case generic && w == "REV" && !r.rev:
			r.rev = true
		case generic && w == "BYLEX" && r.by == "":
			r.by = "LEX"
		case generic && w == "BYSCORE" && r.by == "":
			r.by = "SCORE"
		default:
			return r, false
		}
	}
	if (r.limit != -1 && r.by == "") || (r.withScores && r.by == "LEX") {
		return r, false
	}
	if r.rev && r.by != "" {
		lo, hi = hi, lo
	}
	return r, r.parseEnds(lo, hi)
}

func (b scoreBound) gteMin(s float64) bool { return s > b.v || (!b.ex && s == b.v) }
func (b scoreBound) lteMax(s float64) bool { return s < b.v || (!b.ex && s == b.v) }

func (b lexBound) gteMin(m string) bool {
	switch b.inf {
	case -1:
		return true
	case 1:
		return false
	}
	c := strings.Compare(m, b.s)
	return c > 0 || (!b.ex && c == 0)
}

func (b lexBound) lteMax(m string) bool {
	switch b.inf {
	case -1:
		return false
	case 1:
		return true
	}
	c := strings.Compare(m, b.s)
	return c < 0 || (!b.ex && c == 0)
}

// in reports whether e is within a score or lex range.
func (r *zrange) in(e zelem) bool {
	if r.by == "SCORE" {
		return r.smin.gteMin(e.s) && r.smax.lteMax(e.s)
	}
	return r.lmin.gteMin(e.m) && r.lmax.lteMax(e.m)
}

// sameScores reports whether every member has the same score: a lex
// range is defined only then (otherwise Redis's answer depends on its
// skiplist's shape).
func sameScores(sorted []zelem) bool {
	return len(sorted) == 0 || sorted[0].s == sorted[len(sorted)-1].s
}

// indexes clamps start, stop as Redis does for a set of n members:
// ok false for an empty range.
func indexes(start, stop int64, n int) (int, int, bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= ln {
		return 0, 0, false
	}
	if stop >= ln {
		stop = ln - 1
	}
	return int(start), int(stop), true
}

// apply returns the members the range selects from sorted, in reply
// order.
func (r *zrange) apply(sorted []zelem) []zelem {
	walk := sorted
	if r.rev {
		walk = slices.Clone(sorted)
		slices.Reverse(walk)
	}
	if r.by == "" {
		a, b, ok := indexes(r.start, r.stop, len(walk))
		if !ok {
			return nil
		}
		return walk[a : b+1]
	}
	var out []zelem
	first := -1
	for i, e := range walk {
		if r.in(e) {
			first = i
			break
		}
	}
	if first < 0 || r.offset < 0 {
		return nil
	}
	i := first + int(min(r.offset, int64(len(walk))))
	for ; i < len(walk) && r.limit != int64(len(out)); i++ {
		if !r.in(walk[i]) {
			break
		}
		out = append(out, walk[i])
	}
	return out
}

// zreplyIs reports whether got, a reply's items, renders es: members,
// or member, score pairs (fmtScore), a zero score as "0" or "-0"
// (scoreIs): Redis 7.0.15 keeps a zero's sign in a skiplist (a member
// longer than zset-max-listpack-value, or more members than
// zset-max-listpack-entries) and loses it in a listpack, and the model
// knows no encoding.
func zreplyIs(es []zelem, withScores bool, got []string) bool {
	step := 1
	if withScores {
		step = 2
	}
	if len(got) != step*len(es) {
		return false
	}
	for i, e := range es {
		if got[step*i] != e.m || (withScores && !scoreIs(got[step*i+1], e.s)) {
			return false
		}
	}
	return true
}
