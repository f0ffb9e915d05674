package resp

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var genArg = rapid.SliceOfN(rapid.Byte(), 0, 40)

// genValue draws a value AppendValue encodes faithfully, nesting at most
// depth arrays.
func genValue(depth int) *rapid.Generator[Value] {
	return rapid.Custom(func(t *rapid.T) Value {
		kinds := []Kind{SimpleString, Error, Integer, BulkString}
		if depth > 0 {
			kinds = append(kinds, Array)
		}
		k := rapid.SampledFrom(kinds).Draw(t, "kind")
		switch k {
		case SimpleString, Error:
			s := rapid.SliceOfN(rapid.Byte().Filter(func(c byte) bool { return c != '\r' && c != '\n' }), 0, 20).Draw(t, "line")
			return Value{Kind: k, Str: s}
		case Integer:
			return Value{Kind: k, Int: rapid.Int64().Draw(t, "int")}
		case BulkString:
			if rapid.IntRange(0, 9).Draw(t, "null") == 0 {
				return Value{Kind: k, Null: true}
			}
			return Value{Kind: k, Str: genArg.Draw(t, "bulk")}
		default:
			if rapid.IntRange(0, 9).Draw(t, "null") == 0 {
				return Value{Kind: k, Null: true}
			}
			return Value{Kind: k, Array: rapid.SliceOfN(genValue(depth-1), 0, 5).Draw(t, "elems")}
		}
	})
}

func TestPropCommandRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.SliceOfN(genArg, 0, 8).Draw(t, "args")
		buf := AppendCommand(nil, in...)
		orig := append([]byte(nil), buf...)
		args, n, err := ParseCommand(buf, nil, nil)
		require.NoError(t, err)
		require.Equal(t, len(buf), n)
		require.Len(t, args, len(in))
		for i := range in {
			require.Equal(t, string(in[i]), string(args[i]), "arg %d", i)
		}
		require.Equal(t, orig, buf, "multibulk parsing never writes")
	})
}

func TestPropValueRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genValue(4).Draw(t, "value")
		require.NoError(t, v.Validate())
		buf := AppendValue(nil, v)
		got, n, err := ParseValue(buf)
		require.NoError(t, err)
		require.Equal(t, len(buf), n)
		require.True(t, equalValue(v, got), "want %v\ngot  %v", v, got)
		require.Equal(t, buf, AppendValue(nil, got))
		cut := rapid.IntRange(0, len(buf)-1).Draw(t, "cut")
		_, n, err = ParseValue(buf[:cut])
		require.NoError(t, err)
		require.Zero(t, n, "a proper prefix is incomplete")
	})
}

// appendInline encodes args as an inline request, quoting with the
// sdscatrepr rules, which sdssplitargs inverts.
func appendInline(b []byte, args [][]byte, crlf bool) []byte {
	for i, a := range args {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendRepr(b, a)
	}
	if crlf {
		b = append(b, '\r')
	}
	return append(b, '\n')
}

// Any concatenation of requests, delivered in arbitrary chunks to a
// reader that buffers and parses the way a server does, yields the same
// requests.
func TestPropStreamSplitArbitrarily(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cmds := rapid.SliceOfN(rapid.SliceOfN(genArg, 1, 5), 1, 8).Draw(t, "cmds")
		var stream []byte
		for _, c := range cmds {
			if rapid.Bool().Draw(t, "inline") {
				stream = appendInline(stream, c, rapid.Bool().Draw(t, "crlf"))
			} else {
				stream = AppendCommand(stream, c...)
			}
			if rapid.IntRange(0, 4).Draw(t, "blank") == 0 {
				stream = append(stream, "\r\n"...) // skipped empty request
			}
		}
		var got [][][]byte
		var pending []byte
		for rest := stream; len(rest) > 0; {
			k := rapid.IntRange(1, len(rest)).Draw(t, "chunk")
			pending = append(pending, rest[:k]...)
			rest = rest[k:]
			for {
				args, n, err := ParseCommand(pending, nil, nil)
				require.NoError(t, err)
				if n == 0 {
					break
				}
				if len(args) > 0 {
					cp := make([][]byte, len(args))
					for i, a := range args {
						cp[i] = bytes.Clone(a)
					}
					got = append(got, cp)
				}
				pending = pending[n:]
			}
		}
		require.Empty(t, pending)
		require.Len(t, got, len(cmds))
		for i := range cmds {
			require.Len(t, got[i], len(cmds[i]), "cmd %d", i)
			for j := range cmds[i] {
				require.Equal(t, string(cmds[i][j]), string(got[i][j]), "cmd %d arg %d", i, j)
			}
		}
	})
}
