package node

import (
	"math"
	"strings"
)

// Text primitives of redis.conf, with the semantics of Redis's sds and
// util helpers: argument splitting, quoting, C number parsing, memory units.

// splitConfigArgs splits line into arguments the way sdssplitargs does:
// blanks separate arguments; "double quotes" allow \n \r \t \b \a \xHH and
// \<char> escapes; 'single quotes' allow only \'. A closing quote must be
// followed by a blank or the end. ok is false for unbalanced quotes. As in C,
// the line ends at its first NUL byte.
func splitConfigArgs(line string) (args []string, ok bool) {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	at := func(i int) byte {
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	p := 0
	for {
		for p < len(line) && isCSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		var cur []byte
		inDouble, inSingle := false, false
		for done := false; !done; p++ {
			c := at(p)
			switch {
			case inDouble:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHexDigit(at(p+2)) && isHexDigit(at(p+3)):
					cur = append(cur, hexDigit(at(p+2))<<4|hexDigit(at(p+3)))
					p += 3
				case c == '\\' && p+1 < len(line):
					p++
					cur = append(cur, unescapeChar(line[p]))
				case c == '"':
					if p+1 < len(line) && !isCSpace(line[p+1]) {
						return nil, false
					}
					done = true
				case p >= len(line):
					return nil, false
				default:
					cur = append(cur, c)
				}
			case inSingle:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if p+1 < len(line) && !isCSpace(line[p+1]) {
						return nil, false
					}
					done = true
				case p >= len(line):
					return nil, false
				default:
					cur = append(cur, c)
				}
			default:
				switch {
				case p >= len(line), c == ' ', c == '\n', c == '\r', c == '\t':
					done = true
				case c == '"':
					inDouble = true
				case c == '\'':
					inSingle = true
				default:
					cur = append(cur, c)
				}
			}
		}
		args = append(args, string(cur))
	}
}

func isHexDigit(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexDigit(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func unescapeChar(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

// quoteConfigArg quotes s the way sdscatrepr does, so that splitConfigArgs
// gives s back.
func quoteConfigArg(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		}
	}
	b.WriteByte('"')
}

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
