package resp

import (
	"strconv"
	"strings"
)

// Kind of a reply value: its RESP2 type byte.
type Kind byte

// The RESP2 kinds.
const (
	SimpleString Kind = '+'
	Error        Kind = '-'
	Integer      Kind = ':'
	BulkString   Kind = '$'
	Array        Kind = '*'
)

// Value is one parsed reply.
type Value struct {
	Kind  Kind
	Str   []byte  // simple string, error text (without '-'), bulk content
	Int   int64   // integer
	Array []Value // array elements
	Null  bool    // $-1 or *-1; meaningful only for BulkString and Array
}

// String renders v the way redis-cli does on a terminal (cliFormatReplyTTY
// in RESP2 mode), without the final newline: OK, (nil), (integer) 3,
// "abc", (error) ERR ..., (empty array), 1) "a" with nested arrays
// indented.
func (v Value) String() string {
	var sb strings.Builder
	v.format(&sb, "")
	s := sb.String()
	return strings.TrimSuffix(s, "\n")
}

func (v Value) format(sb *strings.Builder, prefix string) {
	switch v.Kind {
	case SimpleString:
		sb.Write(v.Str)
	case Error:
		sb.WriteString("(error) ")
		sb.Write(v.Str)
	case Integer:
		sb.WriteString("(integer) ")
		sb.WriteString(strconv.FormatInt(v.Int, 10))
	case BulkString:
		if v.Null {
			sb.WriteString("(nil)")
		} else {
			sb.Write(appendRepr(nil, v.Str))
		}
	case Array:
		switch {
		case v.Null:
			sb.WriteString("(nil)")
		case len(v.Array) == 0:
			sb.WriteString("(empty array)")
		default:
			v.formatArray(sb, prefix)
			return
		}
	default:
		sb.WriteString("(invalid kind ")
		sb.WriteString(strconv.QuoteRune(rune(v.Kind)))
		sb.WriteString(")")
	}
	sb.WriteByte('\n')
}

func (v Value) formatArray(sb *strings.Builder, prefix string) {
	width := len(strconv.Itoa(len(v.Array)))
	inner := prefix + strings.Repeat(" ", width+2)
	for i, e := range v.Array {
		if i > 0 {
			sb.WriteString(prefix)
		}
		idx := strconv.Itoa(i + 1)
		sb.WriteString(strings.Repeat(" ", width-len(idx)))
		sb.WriteString(idx)
		sb.WriteString(") ")
		e.format(sb, inner)
	}
}

// appendRepr quotes p like Redis's sdscatrepr.
func appendRepr(b, p []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range p {
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c >= 0x20 && c < 0x7f {
				b = append(b, c)
			} else {
				b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return append(b, '"')
}
