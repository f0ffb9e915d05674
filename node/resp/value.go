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
func (v Value) String() string { return string(v.AppendText(nil)) }

// AppendText appends v rendered as String does, without allocating beyond
// growing dst (for trace lines on the simulator's hot path).
func (v Value) AppendText(dst []byte) []byte {
	t := textBuf{b: dst}
	v.format(&t, "")
	if n := len(t.b); n > len(dst) && t.b[n-1] == '\n' {
		t.b = t.b[:n-1]
	}
	return t.b
}

// textBuf is the little writer format renders into.
type textBuf struct{ b []byte }

func (t *textBuf) writeString(s string) { t.b = append(t.b, s...) }
func (t *textBuf) write(p []byte)       { t.b = append(t.b, p...) }
func (t *textBuf) writeByte(c byte)     { t.b = append(t.b, c) }

func (v Value) format(sb *textBuf, prefix string) {
	switch v.Kind {
	case SimpleString:
		sb.write(v.Str)
	case Error:
		sb.writeString("(error) ")
		sb.write(v.Str)
	case Integer:
		sb.writeString("(integer) ")
		sb.b = strconv.AppendInt(sb.b, v.Int, 10)
	case BulkString:
		if v.Null {
			sb.writeString("(nil)")
		} else {
			sb.b = appendRepr(sb.b, v.Str)
		}
	case Array:
		switch {
		case v.Null:
			sb.writeString("(nil)")
		case len(v.Array) == 0:
			sb.writeString("(empty array)")
		default:
			v.formatArray(sb, prefix)
			return
		}
	default:
		sb.writeString("(invalid kind ")
		sb.writeString(strconv.QuoteRune(rune(v.Kind)))
		sb.writeString(")")
	}
	sb.writeByte('\n')
}

func (v Value) formatArray(sb *textBuf, prefix string) {
	width := len(strconv.Itoa(len(v.Array)))
	inner := prefix + strings.Repeat(" ", width+2)
	for i, e := range v.Array {
		if i > 0 {
			sb.writeString(prefix)
		}
		idx := strconv.Itoa(i + 1)
		sb.writeString(strings.Repeat(" ", width-len(idx)))
		sb.writeString(idx)
		sb.writeString(") ")
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
