package resp

import "math"

// longStrSize is Redis's LONG_STR_SIZE: string2ll rejects inputs this long.
const longStrSize = 21

// parseInt parses s with the rules of Redis's string2ll: optional '-', no
// '+', no leading zeros (except "0" itself), no spaces, no overflow, and
// shorter than longStrSize bytes.
func parseInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) >= longStrSize {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
		if len(s) == 0 {
			return 0, false
		}
	}
	if s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > uint64(math.MaxInt64)+1 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// indexCStr returns the index of the first c in b, searching the way C's
// strchr does on Redis's NUL-terminated query buffer: a NUL byte ends the
// search. It returns -1 if c comes after a NUL or not at all.
func indexCStr(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
		if x == 0 {
			return -1
		}
	}
	return -1
}
