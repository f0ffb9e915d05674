package resp

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValueString(t *testing.T) {
	ten := make([]Value, 10)
	for i := range ten {
		ten[i] = Value{Kind: Integer, Int: int64(i)}
	}
	cases := []struct {
		v    Value
		want string
	}{
		{Value{Kind: SimpleString, Str: []byte("OK")}, "OK"},
		{Value{Kind: Error, Str: []byte("ERR unknown command")}, "(error) ERR unknown command"},
		{Value{Kind: Integer, Int: -3}, "(integer) -3"},
		{bulk("abc"), `"abc"`},
		{bulk("a\"b\\c\n\r\t\a\b\x00\xff~"), `"a\"b\\c\n\r\t\a\b\x00\xff~"`},
		{Value{Kind: BulkString, Null: true}, "(nil)"},
		{Value{Kind: Array, Null: true}, "(nil)"},
		{arr(), "(empty array)"},
		{arr(bulk("a"), bulk("b")), "1) \"a\"\n2) \"b\""},
		{arr(arr(bulk("a"), arr()), bulk("c")), "1) 1) \"a\"\n   2) (empty array)\n2) \"c\""},
		{arr(ten...), " 1) (integer) 0\n 2) (integer) 1\n 3) (integer) 2\n 4) (integer) 3\n 5) (integer) 4\n" +
			" 6) (integer) 5\n 7) (integer) 6\n 8) (integer) 7\n 9) (integer) 8\n10) (integer) 9"},
		{arr(arr(ten[:2]...), arr(arr(ten[:1]...))), "1) 1) (integer) 0\n   2) (integer) 1\n2) 1) 1) (integer) 0"},
		{Value{Kind: 'x'}, `(invalid kind 'x')`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.v.String())
	}
}
