package checker

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// The argument errors of the sorted set commands, as Redis 7.0.15 checks
// them (t_zset.c), in its order: every one before it looks at a key,
// except the options of the algebra (ZUNION, ZINTER, ZDIFF and their
// STOREs, ZINTERCARD), read after the sources' types and left unjudged.

const (
	errArgScoreRange      = "ERR min or max is not a float"
	errArgLexRange        = "ERR min or max not valid string range item"
	errArgZrangeLimit     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errArgZrangeLexScores = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
)

// argClass is how Redis takes a numeric argument.
type argClass int

const (
	argValid argClass = iota
	argBad
	// argUnknown: a spelling where Go's parser and strtod may disagree.
	argUnknown
)

// classifyDouble classifies s as a double argument parsed with strtod to
// its end and no NaN (getDoubleFromObject, zslParseRange). Hexadecimal,
// whitespace, overflow, underflow and the empty string are unknown (the
// two parsers of Redis treat them differently).
func classifyDouble(s string) argClass {
	if s == "" || strings.ContainsAny(s, " \t\n\v\f\r") || strings.Contains(strings.ToLower(s), "0x") {
		return argUnknown
	}
	v, err := parseCFloat(s)
	switch {
	case err == nil && math.IsNaN(v):
		return argBad
	case err == nil && v == 0 && strings.ContainsAny(s, "123456789"):
		return argUnknown
	case err == nil:
		return argValid
	case errors.Is(err, strconv.ErrRange):
		return argUnknown
	case !strings.ContainsRune("+-.0123456789iInN", rune(s[0])):
		return argBad // strtod reads nothing
	}
	return argUnknown
}

// classErr is msg for a bad argument, argsUnjudged for an unknown one.
func classErr(c argClass, msg string) string {
	switch c {
	case argBad:
		return msg
	case argUnknown:
		return argsUnjudged
	}
	return ""
}

// scoreRangeArgs is the error of a score range's ends min and max.
func scoreRangeArgs(min, max string) string {
	worst := argValid
	for _, s := range []string{min, max} {
		c := classifyDouble(strings.TrimPrefix(s, "("))
		if c == argBad {
			return errArgScoreRange
		}
		worst = max2(worst, c)
	}
	return classErr(worst, errArgScoreRange)
}

func max2(a, b argClass) argClass {
	if a > b {
		return a
	}
	return b
}

// lexItemValid is zslParseLexRangeItem: "+", "-", or a string after "["
// or "(".
func lexItemValid(s string) bool {
	return s == "+" || s == "-" || strings.HasPrefix(s, "[") || strings.HasPrefix(s, "(")
}

func lexRangeArgs(min, max string) string {
	if lexItemValid(min) && lexItemValid(max) {
		return ""
	}
	return errArgLexRange
}

// zaddArgs: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...
func zaddArgs(a []string) string {
	var nx, xx, gt, lt, incr bool
	i := 2
flags:
	for ; i < len(a); i++ {
		switch strings.ToUpper(a[i]) {
		case "NX":
			nx = true
		case "XX":
			xx = true
		case "GT":
			gt = true
		case "LT":
			lt = true
		case "INCR":
			incr = true
		case "CH":
		default:
			break flags
		}
	}
	pairs := len(a) - i
	switch {
	case pairs == 0 || pairs%2 != 0:
		return errArgSyntax
	case nx && xx:
		return "ERR XX and NX options at the same time are not compatible"
	case (gt && nx) || (lt && nx) || (gt && lt):
		return "ERR GT, LT, and/or NX options at the same time are not compatible"
	case incr && pairs > 2:
		return "ERR INCR option supports a single increment-element pair"
	}
	return scoresArgs(a, i)
}

// scoresArgs checks the scores of the score, member pairs from a[i].
func scoresArgs(a []string, i int) string {
	for ; i < len(a); i += 2 {
		if e := classErr(classifyDouble(a[i]), errArgFloat); e != "" {
			return e
		}
	}
	return ""
}

// zincrbyArgs: ZINCRBY is ZADD INCR, whose option loop reads its
// increment too (an option word there leaves one argument: a syntax
// error).
func zincrbyArgs(a []string) string {
	switch strings.ToUpper(a[2]) {
	case "NX", "XX", "GT", "LT", "INCR", "CH":
		return errArgSyntax
	}
	return scoresArgs(a, 2)
}

// zrangeForm is how a ZRANGE-like command reads its arguments: its key at
// at (ZRANGESTORE's source at 2), then min and max; store refuses
// WITHSCORES; by and rev are fixed by the command's name (by 0 and !revFixed
// for ZRANGE and ZRANGESTORE, which take BYSCORE, BYLEX and REV).
type zrangeForm struct {
	at    int
	store bool
	by    zrangeBy
	fixed bool
}

type zrangeBy int

const (
	byAuto zrangeBy = iota
	byRank
	byScore
	byLex
)

// zrangeArgs is zrangeGenericCommand's parse: the options, their
// conflicts, then the range.
func zrangeArgs(f zrangeForm) func([]string) string {
	return func(a []string) string {
		by, rev, scores, limit := f.by, f.fixed, false, false
		for j := f.at + 3; j < len(a); j++ {
			w := strings.ToUpper(a[j])
			switch {
			case !f.store && w == "WITHSCORES":
				scores = true
			case w == "LIMIT" && len(a)-j-1 >= 2:
				for _, s := range a[j+1 : j+3] {
					if _, ok := isInt(s); !ok {
						return errArgNotInt
					}
				}
				if n, _ := isInt(a[j+2]); n != -1 {
					limit = true
				}
				j += 2
			case !rev && w == "REV":
				rev = true
			case by == byAuto && w == "BYLEX":
				by = byLex
			case by == byAuto && w == "BYSCORE":
				by = byScore
			default:
				return errArgSyntax
			}
		}
		if by == byAuto {
			by = byRank
		}
		switch {
		case limit && by == byRank:
			return errArgZrangeLimit
		case scores && by == byLex:
			return errArgZrangeLexScores
		}
		min, max := a[f.at+1], a[f.at+2]
		switch by {
		case byScore:
			return scoreRangeArgs(min, max)
		case byLex:
			return lexRangeArgs(min, max)
		}
		return intArgs(f.at+1, f.at+2)(a)
	}
}

func zcountArgs(a []string) string    { return scoreRangeArgs(a[2], a[3]) }
func zlexcountArgs(a []string) string { return lexRangeArgs(a[2], a[3]) }

// minMaxArg is the error of ZMPOP's MIN/MAX argument.
func minMaxArg(s string) string {
	if strings.EqualFold(s, "MIN") || strings.EqualFold(s, "MAX") {
		return ""
	}
	return errArgSyntax
}

func zmpopArgs(a []string) string { return mpopArgsFrom(a, 1, minMaxArg) }

// bzmpopArgs: BZMPOP reads its timeout after the other arguments.
func bzmpopArgs(a []string) string {
	return firstErr(func() string { return mpopArgsFrom(a, 2, minMaxArg) }, func() string { return timeoutArg(a[1]) })
}

// zalgebraArgs is the args of the sorted set algebra with its numkeys at
// position at: numkeys is read first; the options after the sources'
// types, so an option Redis would refuse leaves the reply unjudged.
func zalgebraArgs(at int) func([]string) string {
	return func(a []string) string {
		n, ok := isInt(a[at])
		switch {
		case !ok:
			return errArgNotInt
		case n < 1:
			return "ERR at least 1 input key is needed for '" + strings.ToLower(a[0]) + "' command"
		case n > int64(len(a)-at-1):
			return errArgSyntax
		}
		if !zalgebraOptsValid(a, at+1+int(n), int(n)) {
			return argsUnjudged
		}
		return ""
	}
}

// zalgebraOptsValid reports whether the options from a[j] of an algebra
// command of n sources are ones Redis takes.
func zalgebraOptsValid(a []string, j, n int) bool {
	name := strings.ToUpper(a[0])
	diff, store := strings.HasPrefix(name, "ZDIFF"), strings.HasSuffix(name, "STORE")
	if name == "ZINTERCARD" {
		rest := a[j:]
		if len(rest) == 0 {
			return true
		}
		l, ok := isInt(safeArg(rest, 1))
		return len(rest) == 2 && strings.EqualFold(rest[0], "LIMIT") && ok && l >= 0
	}
	for j < len(a) {
		w, left := strings.ToUpper(a[j]), len(a)-j
		switch {
		case !diff && w == "WEIGHTS" && left >= n+1:
			for _, s := range a[j+1 : j+1+n] {
				if classifyDouble(s) != argValid {
					return false
				}
			}
			j += n + 1
		case !diff && w == "AGGREGATE" && left >= 2:
			switch strings.ToUpper(a[j+1]) {
			case "SUM", "MIN", "MAX":
			default:
				return false
			}
			j += 2
		case !store && w == "WITHSCORES":
			j++
		default:
			return false
		}
	}
	return true
}
