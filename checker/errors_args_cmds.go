package checker

import (
	"math"
	"strings"
)

// The argument errors of the hash, set, list and string commands of the
// registry, as Redis 7.0.15 checks them (t_hash.c, t_set.c, t_list.c,
// t_string.c), in its order: the first error found is the reply.

// hsetArgs: HSET and HMSET take field value pairs.
func hsetArgs(a []string) string {
	if len(a)%2 != 0 {
		return errArgArity(a[0])
	}
	return ""
}

func hincrbyfloatArgs(a []string) string {
	v, ok, known := longDouble(a[3])
	switch {
	case !known:
		return argsUnjudged
	case !ok:
		return errArgFloat
	case math.IsInf(v, 0):
		return "ERR value is NaN or Infinity"
	}
	return ""
}

// randCountArgs is the args of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER:
// key [count [word]], word the option that adds values to the reply
// (WITHVALUES, WITHSCORES; "" for SRANDMEMBER, which takes none and
// refuses a fourth argument before it reads the count).
func randCountArgs(word string) func([]string) string {
	return func(a []string) string {
		if len(a) == 2 {
			return ""
		}
		if word == "" && len(a) > 3 {
			return errArgSyntax
		}
		n, ok := isInt(a[2])
		switch {
		case !ok:
			return errArgNotInt
		case n == math.MinInt64:
			return errArgLongMin
		case len(a) > 4 || (len(a) == 4 && !strings.EqualFold(a[3], word)):
			return errArgSyntax
		case len(a) == 4 && (n < -math.MaxInt64/2 || n > math.MaxInt64/2):
			return "ERR value is out of range"
		}
		return ""
	}
}

// scanArgs judges only a decimal cursor with no option or a COUNT of at
// least 1: Redis checks the other options after the key's type, and not
// at all on a missing key.
func scanArgs(a []string) string {
	for _, d := range a[2] {
		if d < '0' || d > '9' {
			return argsUnjudged
		}
	}
	if n, ok := isInt(safeArg(a, 4)); len(a) == 3 || (len(a) == 5 && strings.EqualFold(a[3], "COUNT") && ok && n >= 1) {
		return ""
	}
	return argsUnjudged
}

func safeArg(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}

// popCountArgs is the args of SPOP, ZPOPMIN and ZPOPMAX: key [count],
// a count that must be positive.
func popCountArgs(a []string) string {
	switch {
	case len(a) > 3:
		return errArgSyntax
	case len(a) == 3:
		return positiveArg(a[2], errArgPositive)
	}
	return ""
}

func sintercardArgs(a []string) string {
	n, ok := isInt(a[1])
	switch {
	case !ok || n < 1:
		return errArgNumkeys
	case n > int64(len(a)-2):
		return "ERR Number of keys can't be greater than number of args"
	}
	for j := 2 + int(n); j < len(a); j++ {
		if !strings.EqualFold(a[j], "LIMIT") || j+1 >= len(a) {
			return errArgSyntax
		}
		j++
		if e := positiveArg(a[j], "ERR LIMIT can't be negative"); e != "" {
			return e
		}
	}
	return ""
}

func linsertArgs(a []string) string {
	if strings.EqualFold(a[2], "BEFORE") || strings.EqualFold(a[2], "AFTER") {
		return ""
	}
	return errArgSyntax
}

func popArgs(a []string) string {
	switch {
	case len(a) > 3:
		return errArgArity(a[0])
	case len(a) == 3:
		return positiveArg(a[2], errArgPositive)
	}
	return ""
}

func lposArgs(a []string) string {
	for j := 3; j < len(a); j++ {
		if j+1 >= len(a) {
			return errArgSyntax
		}
		opt, arg := a[j], a[j+1]
		j++
		switch {
		case strings.EqualFold(opt, "RANK"):
			n, ok := isInt(arg)
			switch {
			case !ok:
				return errArgNotInt
			case n == 0:
				return "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
			case n == math.MinInt64:
				return argsUnjudged
			}
		case strings.EqualFold(opt, "COUNT"):
			if e := positiveArg(arg, "ERR COUNT can't be negative"); e != "" {
				return e
			}
		case strings.EqualFold(opt, "MAXLEN"):
			if e := positiveArg(arg, "ERR MAXLEN can't be negative"); e != "" {
				return e
			}
		default:
			return errArgSyntax
		}
	}
	return ""
}

func lmoveArgs(a []string) string {
	return firstErr(func() string { return sideArg(a[3]) }, func() string { return sideArg(a[4]) })
}

// mpopArgsFrom checks LMPOP's (ZMPOP's) arguments from its numkeys at
// position at, where the end to pop from must pass where (sideArg,
// minMaxArg).
func mpopArgsFrom(a []string, at int, where func(string) string) string {
	n, ok := isInt(a[at])
	if !ok || n < 1 {
		return errArgNumkeys
	}
	w := int64(at) + n + 1
	if w >= int64(len(a)) {
		return errArgSyntax
	}
	if e := where(a[w]); e != "" {
		return e
	}
	counted := false
	for j := int(w) + 1; j < len(a); j++ {
		if counted || !strings.EqualFold(a[j], "COUNT") || j+1 >= len(a) {
			return errArgSyntax
		}
		j, counted = j+1, true
		if c, ok := isInt(a[j]); !ok || c < 1 {
			return "ERR count should be greater than 0"
		}
	}
	return ""
}

func lmpopArgs(a []string) string { return mpopArgsFrom(a, 1, sideArg) }

// blmpopArgs: BLMPOP reads its timeout after the other arguments.
func blmpopArgs(a []string) string {
	return firstErr(func() string { return mpopArgsFrom(a, 2, sideArg) }, func() string { return timeoutArg(a[1]) })
}

func bpopArgs(a []string) string { return timeoutArg(a[len(a)-1]) }

func blmoveArgs(a []string) string {
	return firstErr(func() string { return lmoveArgs(a) }, func() string { return timeoutArg(a[5]) })
}

// incrbyfloatArgs: INCRBYFLOAT checks its increment after the key's type
// (and its value, refused with the same error).
func incrbyfloatArgs(a []string) string {
	_, ok, known := longDouble(a[2])
	switch {
	case !known:
		return argsUnjudged
	case !ok:
		return errArgFloat
	}
	return ""
}

// incrbyfloatErr judges INCRBYFLOAT's errors of the value: a value that
// is no float, a result (or increment) that is infinite.
func incrbyfloatErr(v Value, op *Op) bool {
	switch op.Err {
	case errArgFloat:
		_, ok, known := longDouble(v.Val)
		return v.Exists && (!ok || !known)
	case "ERR increment would produce NaN or Infinity":
		by, _, _ := longDouble(op.Args[2])
		return v.Exists || math.IsInf(by, 0)
	}
	return false
}
