package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncoders(t *testing.T) {
	pre := []byte("pre")
	cases := []struct {
		got  []byte
		want string
	}{
		{AppendSimple(nil, "OK"), "+OK\r\n"},
		{AppendSimple(nil, "a\r\nb"), "+a  b\r\n"},
		{AppendError(nil, "ERR unknown command"), "-ERR unknown command\r\n"},
		{AppendError(nil, "ERR x\ny"), "-ERR x y\r\n"},
		{AppendInt(nil, 0), ":0\r\n"},
		{AppendInt(nil, math.MinInt64), ":-9223372036854775808\r\n"},
		{AppendBulk(nil, []byte("a\r\nb")), "$4\r\na\r\nb\r\n"},
		{AppendBulk(nil, nil), "$0\r\n\r\n"},
		{AppendBulkString(nil, "abc"), "$3\r\nabc\r\n"},
		{AppendNull(nil), "$-1\r\n"},
		{AppendNullArray(nil), "*-1\r\n"},
		{AppendArrayLen(nil, 12), "*12\r\n"},
		{AppendCommand(nil, []byte("GET"), []byte("k")), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
		{AppendCommand(nil), "*0\r\n"},
		{AppendCommandStrings(nil, "PING"), "*1\r\n$4\r\nPING\r\n"},
		{AppendInt(pre[:3:3], 1), "pre:1\r\n"},
		{AppendValue(nil, arr(Value{Kind: SimpleString, Str: []byte("a\nb")})), "*1\r\n+a b\r\n"},
		{AppendValue(nil, Value{Kind: Error, Str: []byte("ERR e")}), "-ERR e\r\n"},
		{AppendValue(nil, Value{Kind: 'x'}), "-ERR resp: unknown kind 0x78\r\n"},
		{AppendValue(nil, Value{Kind: Integer, Null: true}), "-ERR resp: Null set on kind ':'\r\n"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, string(c.got))
	}
}

func TestValidate(t *testing.T) {
	require.NoError(t, arr(bulk("a\r\n"), Value{Kind: Array, Null: true}).Validate())
	assert.EqualError(t, arr(bulk("a"), arr(Value{Kind: 0})).Validate(), "array element 1: array element 0: unknown kind 0x00")
	assert.EqualError(t, Value{Kind: SimpleString, Str: []byte("a\rb")}.Validate(), "simple string or error contains CR or LF")
	assert.EqualError(t, Value{Kind: Integer, Null: true}.Validate(), "Null set on kind ':'")
}

func TestEncodersDoNotAllocateWithCapacity(t *testing.T) {
	b := make([]byte, 0, 256)
	v := arr(bulk("abc"), Value{Kind: Integer, Int: 7}, Value{Kind: SimpleString, Str: []byte("OK")})
	allocs := testing.AllocsPerRun(100, func() {
		b = AppendCommandStrings(b[:0], "SET", "key", "value")
		b = AppendBulk(b, []byte("payload"))
		b = AppendInt(b, -12345)
		b = AppendError(b, "ERR x")
		b = AppendValue(b, v)
	})
	assert.Zero(t, allocs)
}
