package resp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bulk(s string) Value { return Value{Kind: BulkString, Str: []byte(s)} }

func arr(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{Kind: Array, Array: vs}
}

func TestParseValue(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Value
		n    int
	}{
		{"simple", "+OK\r\n", Value{Kind: SimpleString, Str: []byte("OK")}, 5},
		{"empty simple", "+\r\n", Value{Kind: SimpleString, Str: []byte{}}, 3},
		{"error", "-ERR no\r\n", Value{Kind: Error, Str: []byte("ERR no")}, 9},
		{"integer", ":42\r\n", Value{Kind: Integer, Int: 42}, 5},
		{"negative integer", ":-9223372036854775808\r\n", Value{Kind: Integer, Int: -9223372036854775808}, 23},
		{"bulk", "$3\r\nabc\r\n", bulk("abc"), 9},
		{"binary bulk", "$4\r\n\r\n\x00\n\r\n", bulk("\r\n\x00\n"), 10},
		{"empty bulk", "$0\r\n\r\n", bulk(""), 6},
		{"null bulk", "$-1\r\n", Value{Kind: BulkString, Null: true}, 5},
		{"null array", "*-1\r\n", Value{Kind: Array, Null: true}, 5},
		{"empty array", "*0\r\n", arr(), 4},
		{"nested", "*2\r\n*1\r\n:1\r\n$-1\r\n", arr(arr(Value{Kind: Integer, Int: 1}), Value{Kind: BulkString, Null: true}), 17},
		{"trailing bytes", "+a\r\n+b\r\n", Value{Kind: SimpleString, Str: []byte("a")}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, n, err := ParseValue([]byte(c.in))
			require.NoError(t, err)
			assert.Equal(t, c.n, n)
			assert.True(t, equalValue(c.want, v), "got %#v", v)
			assert.Equal(t, c.in[:n], string(AppendValue(nil, v)), "re-encodes to its source")
			for i := 0; i < n; i++ {
				v, m, err := ParseValue([]byte(c.in[:i]))
				require.NoError(t, err, "prefix %d", i)
				require.Zero(t, m, "prefix %d", i)
				require.Equal(t, Value{}, v, "prefix %d", i)
			}
		})
	}
}

func TestParseValueErrors(t *testing.T) {
	cases := []struct {
		name, in string
		lim      *Limits
		msg      string
	}{
		{"unknown type", "?x\r\n", nil, `invalid reply type byte '?' at offset 0`},
		{"RESP3 type", "*1\r\n_\r\n", nil, `invalid reply type byte '_' at offset 4`},
		{"CR without LF", "+OK\rX", nil, `'\r' not followed by '\n' at offset 3 (got 'X')`},
		{"LF inside line", "-ERR a\nb\r\n", nil, `line feed inside the '-' line at offset 6`},
		{"bad integer", ":12a\r\n", nil, `invalid integer "12a" at offset 1`},
		{"integer plus", ":+1\r\n", nil, `invalid integer "+1" at offset 1`},
		{"integer overflow", ":9223372036854775808\r\n", nil, `invalid integer "9223372036854775808" at offset 1`},
		{"integer line too long", ":" + strings.Repeat("1", 22), nil, `no CRLF within 21 bytes of the ':' line at offset 0`},
		{"bad bulk length", "$x\r\n", nil, `invalid bulk length "x" at offset 1`},
		{"negative bulk length", "$-2\r\n", nil, `invalid bulk length -2 at offset 1`},
		{"bulk over limit", "$536870913\r\n", nil, `bulk length 536870913 at offset 1 exceeds the limit 536870912`},
		{"bulk over custom limit", "*1\r\n$4\r\n", &Limits{MaxBulkLen: 3}, `bulk length 4 at offset 5 exceeds the limit 3`},
		{"bulk not followed by CRLF", "$1\r\nabc", nil, `bulk payload of 1 bytes at offset 4 not followed by CRLF (got "bc")`},
		{"bad array length", "*1x\r\n", nil, `invalid array length "1x" at offset 1`},
		{"negative array length", "*-2\r\n", nil, `invalid array length -2 at offset 1`},
		{"array over limit", "*3\r\n", &Limits{MaxMultibulk: 2}, `array length 3 at offset 1 exceeds the limit 2`},
		{"simple line over limit", "+abcde", &Limits{MaxBulkLen: 4}, `no CRLF within 4 bytes of the '+' line at offset 0`},
		{"error in element", "*2\r\n:1\r\n:x\r\n", nil, `invalid integer "x" at offset 9`},
		{"too deep", strings.Repeat("*1\r\n", MaxReplyDepth+1), nil, `arrays nested deeper than 512 at offset 2048`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, n, err := ParseValueLimits([]byte(c.in), c.lim)
			var pe *ProtocolError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "Protocol error: "+c.msg, pe.Error())
			assert.Zero(t, n)
			assert.Equal(t, Value{}, v)
		})
	}
}

func TestParseValueIncomplete(t *testing.T) {
	for _, in := range []string{"", "+OK", "+OK\r", ":1", "$3\r\nab", "$3\r\nabc", "$3\r\nabc\r", "*2\r\n:1\r\n",
		"*2147483647\r\n", "$536870912\r\n", "+" + strings.Repeat("x", 1000), strings.Repeat("*1\r\n", MaxReplyDepth)} {
		v, n, err := ParseValue([]byte(in))
		require.NoError(t, err, "%q", in)
		assert.Zero(t, n, "%q", in)
		assert.Equal(t, Value{}, v, "%q", in)
	}
}

func TestParseValueMaxDepthAccepted(t *testing.T) {
	in := strings.Repeat("*1\r\n", MaxReplyDepth) + "*0\r\n"
	v, n, err := ParseValue([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, len(in), n)
	assert.Equal(t, in, string(AppendValue(nil, v)))
}

func TestParseValueHugeCountDoesNotPreallocate(t *testing.T) {
	buf := []byte("*2147483647\r\n:1\r\n")
	allocs := testing.AllocsPerRun(10, func() {
		_, _, _ = ParseValue(buf)
	})
	// One small slice at most; a pre-allocation of 2^31 Values would not fit.
	assert.LessOrEqual(t, allocs, 1.0)
}

func TestValueClone(t *testing.T) {
	buf := []byte("*2\r\n$1\r\na\r\n+b\r\n")
	v, _, err := ParseValue(buf)
	require.NoError(t, err)
	c := v.Clone()
	for i := range buf {
		buf[i] = 'Z'
	}
	assert.True(t, equalValue(arr(bulk("a"), Value{Kind: SimpleString, Str: []byte("b")}), c))
}

// equalValue compares values treating nil and empty slices alike.
func equalValue(a, b Value) bool {
	if a.Kind != b.Kind || a.Int != b.Int || a.Null != b.Null || string(a.Str) != string(b.Str) || len(a.Array) != len(b.Array) {
		return false
	}
	for i := range a.Array {
		if !equalValue(a.Array[i], b.Array[i]) {
			return false
		}
	}
	return true
}
