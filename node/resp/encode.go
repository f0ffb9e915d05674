package resp

import (
	"slices"
	"strconv"
)

// AppendSimple appends the simple string +s\r\n. Any '\r' or '\n' in s
// becomes a space, as Redis does for status and error replies, so the
// output is always well formed.
func AppendSimple(b []byte, s string) []byte {
	return appendLine(b, '+', s)
}

// AppendError appends the error -s\r\n. s already includes the error code,
// e.g. "ERR unknown command". '\r' and '\n' become spaces.
func AppendError(b []byte, s string) []byte {
	return appendLine(b, '-', s)
}

func appendLine(b []byte, kind byte, s string) []byte {
	b = append(b, kind)
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		if b[i] == '\r' || b[i] == '\n' {
			b[i] = ' '
		}
	}
	return append(b, '\r', '\n')
}

// AppendInt appends the integer :n\r\n.
func AppendInt(b []byte, n int64) []byte {
	return appendPrefixed(b, ':', n)
}

// AppendBulk appends the bulk string $len\r\np\r\n.
func AppendBulk(b []byte, p []byte) []byte {
	b = appendPrefixed(b, '$', int64(len(p)))
	b = append(b, p...)
	return append(b, '\r', '\n')
}

// AppendBulkString is AppendBulk for a string.
func AppendBulkString(b []byte, s string) []byte {
	b = appendPrefixed(b, '$', int64(len(s)))
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendNull appends the null bulk string $-1\r\n.
func AppendNull(b []byte) []byte {
	return append(b, "$-1\r\n"...)
}

// AppendNullArray appends the null array *-1\r\n.
func AppendNullArray(b []byte) []byte {
	return append(b, "*-1\r\n"...)
}

// AppendArrayLen appends the array header *n\r\n; the n elements follow.
func AppendArrayLen(b []byte, n int) []byte {
	return appendPrefixed(b, '*', int64(n))
}

// AppendCommand appends args as a multibulk request.
func AppendCommand(b []byte, args ...[]byte) []byte {
	if len(args) > 64 { // one growth for a big command, not log(n) copies
		need := 16
		for _, a := range args {
			need += len(a) + 16
		}
		b = slices.Grow(b, need)
	}
	b = AppendArrayLen(b, len(args))
	for _, a := range args {
		b = AppendBulk(b, a)
	}
	return b
}

// AppendCommandStrings is AppendCommand for strings.
func AppendCommandStrings(b []byte, args ...string) []byte {
	b = AppendArrayLen(b, len(args))
	for _, a := range args {
		b = AppendBulkString(b, a)
	}
	return b
}

// AppendValue re-encodes v. Null is honoured for BulkString and Array.
// A value that RESP2 cannot express (an unknown Kind, or Null on another
// kind) is encoded as an error reply saying so, never dropped silently;
// Validate finds such values beforehand.
func AppendValue(b []byte, v Value) []byte {
	if err := v.validateNode(); err != nil {
		return AppendError(b, "ERR resp: "+err.Error())
	}
	switch v.Kind {
	case SimpleString, Error:
		b = append(b, byte(v.Kind))
		start := len(b)
		b = append(b, v.Str...)
		for i := start; i < len(b); i++ {
			if b[i] == '\r' || b[i] == '\n' {
				b[i] = ' '
			}
		}
		return append(b, '\r', '\n')
	case Integer:
		return AppendInt(b, v.Int)
	case BulkString:
		if v.Null {
			return AppendNull(b)
		}
		return AppendBulk(b, v.Str)
	default: // Array
		if v.Null {
			return AppendNullArray(b)
		}
		b = AppendArrayLen(b, len(v.Array))
		for _, e := range v.Array {
			b = AppendValue(b, e)
		}
		return b
	}
}

func appendPrefixed(b []byte, kind byte, n int64) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}
