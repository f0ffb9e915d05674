package resp

import (
	"bytes"
	"fmt"
)

// MaxReplyDepth is how deeply ParseValue lets arrays nest. Redis replies
// nest a handful of levels; the bound keeps hostile input from driving the
// recursive parser arbitrarily deep.
const MaxReplyDepth = 512

// minValueLen is the shortest encoded value ("+\r\n"); it bounds how many
// array elements the remaining bytes can hold.
const minValueLen = 3

// ParseValue parses one RESP2 reply value from the start of buf, with
// DefaultLimits bounding "$len" and "*N". n == 0 && err == nil means
// incomplete. Str fields alias buf (see Value.Clone).
func ParseValue(buf []byte) (v Value, n int, err error) {
	return ParseValueLimits(buf, &DefaultLimits)
}

// ParseValueLimits is ParseValue with explicit limits: a bulk length above
// lim.MaxBulkLen, an array count above lim.MaxMultibulk or an unterminated
// simple string or error line longer than lim.MaxBulkLen is an error.
//
// Unlike the request parser it is strict: every line must end in "\r\n"
// and hold no other '\r' or '\n', numbers follow Redis's string2ll rules,
// and a bulk payload must be followed by "\r\n". So a parsed value
// re-encodes with AppendValue to exactly the bytes it came from. Errors are
// *ProtocolError naming the offset.
func ParseValueLimits(buf []byte, lim *Limits) (v Value, n int, err error) {
	p := replyParser{buf: buf, lim: lim.effective()}
	v, end, err := p.value(0, 0)
	if err != nil || end < 0 {
		return Value{}, 0, err
	}
	return v, end, nil
}

type replyParser struct {
	buf []byte
	lim Limits
}

// incomplete is the end position that value and line report when buf
// ends too early.
const incomplete = -1

func (p *replyParser) errorf(format string, args ...any) error {
	return &ProtocolError{Msg: "Protocol error: " + fmt.Sprintf(format, args...)}
}

// value parses the value starting at pos and returns it with the position
// just past it.
func (p *replyParser) value(pos, depth int) (Value, int, error) {
	if pos >= len(p.buf) {
		return Value{}, incomplete, nil
	}
	kind := Kind(p.buf[pos])
	switch kind {
	case SimpleString, Error:
		line, next, err := p.line(pos, p.lim.MaxBulkLen)
		if err != nil || next < 0 {
			return Value{}, next, err
		}
		if lf := bytes.IndexByte(line, '\n'); lf >= 0 {
			return Value{}, 0, p.errorf("line feed inside the %q line at offset %d", p.buf[pos], pos+1+lf)
		}
		return Value{Kind: kind, Str: line}, next, nil
	case Integer:
		n, next, err := p.number(pos, "integer")
		if err != nil || next < 0 {
			return Value{}, next, err
		}
		return Value{Kind: Integer, Int: n}, next, nil
	case BulkString:
		return p.bulk(pos)
	case Array:
		return p.array(pos, depth)
	}
	return Value{}, 0, p.errorf("invalid reply type byte %q at offset %d", p.buf[pos], pos)
}

// line returns the text after the type byte at pos up to "\r\n", and the
// position after the "\r\n". It fails if no '\r' appears within max bytes.
func (p *replyParser) line(pos int, max int64) ([]byte, int, error) {
	rest := p.buf[pos+1:]
	bounded := int64(len(rest)) > max
	if bounded {
		rest = rest[:max+1]
	}
	cr := bytes.IndexByte(rest, '\r')
	if cr < 0 {
		if bounded {
			return nil, 0, p.errorf("no CRLF within %d bytes of the %q line at offset %d", max, p.buf[pos], pos)
		}
		return nil, incomplete, nil
	}
	at := pos + 1 + cr
	if at+1 >= len(p.buf) {
		return nil, incomplete, nil
	}
	if p.buf[at+1] != '\n' {
		return nil, 0, p.errorf("'\\r' not followed by '\\n' at offset %d (got %q)", at, p.buf[at+1])
	}
	return rest[:cr:cr], at + 2, nil
}

// number parses a line holding a string2ll number.
func (p *replyParser) number(pos int, what string) (int64, int, error) {
	text, next, err := p.line(pos, longStrSize)
	if err != nil || next < 0 {
		return 0, next, err
	}
	n, ok := parseInt(text)
	if !ok {
		return 0, 0, p.errorf("invalid %s %q at offset %d", what, text, pos+1)
	}
	return n, next, nil
}

func (p *replyParser) bulk(pos int) (Value, int, error) {
	size, next, err := p.number(pos, "bulk length")
	if err != nil || next < 0 {
		return Value{}, next, err
	}
	switch {
	case size == -1:
		return Value{Kind: BulkString, Null: true}, next, nil
	case size < 0:
		return Value{}, 0, p.errorf("invalid bulk length %d at offset %d", size, pos+1)
	case size > p.lim.MaxBulkLen:
		return Value{}, 0, p.errorf("bulk length %d at offset %d exceeds the limit %d", size, pos+1, p.lim.MaxBulkLen)
	}
	if size > int64(len(p.buf)-next-2) {
		return Value{}, incomplete, nil
	}
	end := next + int(size)
	if p.buf[end] != '\r' || p.buf[end+1] != '\n' {
		return Value{}, 0, p.errorf("bulk payload of %d bytes at offset %d not followed by CRLF (got %q)", size, next, p.buf[end:end+2])
	}
	return Value{Kind: BulkString, Str: p.buf[next:end:end]}, end + 2, nil
}

func (p *replyParser) array(pos, depth int) (Value, int, error) {
	count, next, err := p.number(pos, "array length")
	if err != nil || next < 0 {
		return Value{}, next, err
	}
	switch {
	case count == -1:
		return Value{Kind: Array, Null: true}, next, nil
	case count < 0:
		return Value{}, 0, p.errorf("invalid array length %d at offset %d", count, pos+1)
	case count > p.lim.MaxMultibulk:
		return Value{}, 0, p.errorf("array length %d at offset %d exceeds the limit %d", count, pos+1, p.lim.MaxMultibulk)
	case count > 0 && depth >= MaxReplyDepth:
		return Value{}, 0, p.errorf("arrays nested deeper than %d at offset %d", MaxReplyDepth, pos)
	}
	// Never trust count for the allocation: the bytes at hand bound it.
	elems := make([]Value, 0, int64Min(count, int64((len(p.buf)-next)/minValueLen)))
	for i := int64(0); i < count; i++ {
		var e Value
		e, next, err = p.value(next, depth+1)
		if err != nil || next < 0 {
			return Value{}, next, err
		}
		elems = append(elems, e)
	}
	return Value{Kind: Array, Array: elems}, next, nil
}

func int64Min(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

// Clone returns a deep copy of v that shares no memory with the buffer it
// was parsed from.
func (v Value) Clone() Value {
	if v.Str != nil {
		v.Str = append([]byte{}, v.Str...)
	}
	if v.Array != nil {
		elems := make([]Value, len(v.Array))
		for i, e := range v.Array {
			elems[i] = e.Clone()
		}
		v.Array = elems
	}
	return v
}
