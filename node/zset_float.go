package node

import (
	"math"
	"strconv"
)

// Sorted set scores are C doubles. These helpers parse and print them the
// way Redis does: strtod behind string2d (arguments) and zslParseRange
// (range bounds), "%.17g" for replies and digests, d2string inside
// listpacks.

// strtodFull parses all of b as strtod would (decimal or hex, optional
// sign, inf/infinity, nan), reporting whether the whole of b is one
// number. Leading white space is the caller's business.
func strtodFull(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	s := b
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	var f float64
	switch {
	case isInfWord(s):
		f = math.Inf(1)
	case isNaNWord(s):
		f = math.NaN()
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		if !validFloatBody(s[2:], 16) {
			return 0, false
		}
		text := string(s)
		hasP := false
		for _, c := range s {
			if c == 'p' || c == 'P' {
				hasP = true
			}
		}
		if !hasP {
			text += "p0"
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil && !math.IsInf(v, 0) {
			return 0, false
		}
		f = v
	default:
		if !validFloatBody(s, 10) {
			return 0, false
		}
		v, err := strconv.ParseFloat(string(s), 64)
		if err != nil && !math.IsInf(v, 0) {
			return 0, false
		}
		f = v
	}
	if neg {
		f = -f
	}
	return f, true
}

// isNaNWord is strtod's "nan" or "nan(chars)".
func isNaNWord(s []byte) bool {
	if len(s) < 3 || !equalFold(s[:3], "nan") {
		return false
	}
	rest := s[3:]
	if len(rest) == 0 {
		return true
	}
	if rest[0] != '(' || rest[len(rest)-1] != ')' {
		return false
	}
	for _, c := range rest[1 : len(rest)-1] {
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// mantissaNonZero reports whether a number's mantissa has a non-zero
// digit (so that a zero result is an underflow).
func mantissaNonZero(b []byte) bool {
	s := b
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	hex := len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	if hex {
		s = s[2:]
	}
	for _, c := range s {
		if (!hex && (c == 'e' || c == 'E')) || (hex && (c == 'p' || c == 'P')) {
			break
		}
		if c != '0' && c != '.' {
			return true
		}
	}
	return false
}

// parseScore is string2d: the whole argument, no leading space, no NaN,
// no overflow, no underflow to zero.
func parseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, false
	}
	f, ok := strtodFull(b)
	if !ok || math.IsNaN(f) {
		return 0, false
	}
	if math.IsInf(f, 0) && !isInfWord(trimSign(b)) {
		return 0, false // overflow: ERANGE with HUGE_VAL
	}
	if f == 0 && mantissaNonZero(b) {
		return 0, false // underflow to zero: ERANGE
	}
	return f, true
}

func trimSign(b []byte) []byte {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		return b[1:]
	}
	return b
}

// parseRangeDouble is one bound of zslParseRange after its '(': strtod up
// to the first NUL, which must consume it all (an empty string is 0;
// leading white space is skipped; overflow is infinity), and not NaN.
func parseRangeDouble(b []byte) (float64, bool) {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	if len(b) == 0 {
		return 0, true
	}
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	f, ok := strtodFull(b[i:])
	if !ok || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// lpScore is zzlStrtod: a listpack score string read by strtod (its
// first 127 bytes, the longest valid prefix).
func lpScore(s []byte) float64 {
	if len(s) > 127 {
		s = s[:127]
	}
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	for end := len(s); end > 0; end-- {
		if f, ok := strtodFull(s[:end]); ok {
			return f
		}
	}
	return 0
}

// formatScore is addReplyDouble's text (RESP2): "%.17g", with "inf" and
// "-inf" for the infinities.
func formatScore(f float64) string {
	if math.IsInf(f, 1) {
		return "inf"
	}
	if math.IsInf(f, -1) {
		return "-inf"
	}
	if math.IsNaN(f) {
		return "nan"
	}
	return formatG17(f)
}

// d2string is the form zzlInsertAt gives a score inside a listpack: an
// integer when double2ll takes it (integral and within ±2^62, so -0 is
// "0"), else util.c's d2string ("%.17g", "inf", "-inf").
func d2string(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	const lim = float64(maxInt64 / 2)
	if f >= -lim && f <= lim && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return formatG17(f)
}
