package node

import (
	"math"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// Text primitives of redis.conf, with the semantics of Redis's sds and
// util helpers: argument splitting, quoting, C number parsing, memory units.

// splitConfigArgs splits a config line as sdssplitargs does.
func splitConfigArgs(line string) (args []string, ok bool) { return resp.SplitArgs(line) }

// cStrtoll is C's strtoll(s, &end, 10): leading blanks, an optional sign,
// then digits; out-of-range values clamp. ok reports whether the whole string
// was consumed (*end == '\0'); note that "" parses as 0 with ok set, as in C.
func cStrtoll(s string) (v int64, ok bool) {
	p := 0
	for p < len(s) && isCSpace(s[p]) {
		p++
	}
	neg := false
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		neg = s[p] == '-'
		p++
	}
	start := p
	var u uint64
	over := false
	for p < len(s) && s[p] >= '0' && s[p] <= '9' {
		d := uint64(s[p] - '0')
		if u > (math.MaxUint64-d)/10 {
			over = true
		} else {
			u = u*10 + d
		}
		p++
	}
	if p == start {
		// No digits: strtoll consumes nothing, so only "" ends at '\0'.
		return 0, len(s) == 0
	}
	switch {
	case neg && (over || u > 1<<63):
		v = math.MinInt64
	case neg:
		v = -int64(u)
	case over || u > math.MaxInt64:
		v = math.MaxInt64
	default:
		v = int64(u)
	}
	return v, p == len(s)
}

// memToUint64 is Redis's memtoull: digits followed by an optional unit, b k kb
// m mb g gb (case-insensitive; k = 1000, kb = 1024 and so on). As in Redis,
// an overflowing number saturates and the multiplication wraps.
func memToUint64(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	u := 0
	for u < len(s) && s[u] >= '0' && s[u] <= '9' {
		u++
	}
	var mul uint64
	switch strings.ToLower(s[u:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if u >= 128 {
		return 0, false
	}
	var v uint64
	for i := 0; i < u; i++ {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64
			break
		}
		v = v*10 + d
	}
	return v * mul, true
}
