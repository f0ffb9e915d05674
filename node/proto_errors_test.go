package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// Raw requests from a hostile client and what redis-server 7.0.15 sends
// back (captured with a raw socket), and whether it then closes.
func TestProtocolErrorsClose(t *testing.T) {
	for _, tc := range []struct {
		raw, reply string
		closed     bool
	}{
		{"*abc\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{"*1\r\n$abc\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\nfoo\r\nPING\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n", true},
		{"*1\r\n\r\nPING\r\n", "-ERR Protocol error: expected '$', got ' '\r\n", true},
		{"*1\r\n$-1\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$536870913\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1048577\r\nPING\r\n", "-ERR Protocol error: expected '$', got 'P'\r\n", true},
		{"*01\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{"*+1\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{"*99999999999999999999\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{"*-1\r\nPING\r\n", "+PONG\r\n", false},
		{"*0\r\nPING\r\n", "+PONG\r\n", false},
		{"\r\nPING\r\n", "+PONG\r\n", false},
		{"*-5\r\nPING\r\n", "+PONG\r\n", false},
		{"ECHO \"abc\r\nPING\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
		{"ECHO \"a\"b\r\nPING\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
		{"ECHO 'a'b\r\nPING\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
		{"ECHO 'abc\r\nPING\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true},
		{"ECHO \"\\x4A\\x4a\\x4G\"\r\n", "$5\r\nJJx4G\r\n", false},
		{"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "$0\r\n\r\n", false},
		{"*1\r\n$01\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$ 1\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$9223372036854775808\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$18446744073709551616\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$-0\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
		{"*1\r\n$0\r\n\r\n", "-ERR unknown command '', with args beginning with: \r\n", false},
		{"*a\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{"*1a\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true},
		{strings.Repeat("A", 100000), "-ERR Protocol error: too big inline request\r\n", true},
		{"*" + strings.Repeat("1", 100000), "-ERR Protocol error: too big mbulk count string\r\n", true},
		{"*1\r\n$" + strings.Repeat("1", 100000), "-ERR Protocol error: too big bulk count string\r\n", true},
		{"*2\r\n$4\r\nECHO\r\n$" + strings.Repeat("1", 30) + "\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n", true},
	} {
		cfg := node.DefaultConfig()
		cfg.Save = nil
		h := nodetest.New(t, cfg)
		c := h.Conn()
		got := string(h.DoRaw(c, []byte(tc.raw)))
		assert.Equal(t, tc.reply, got, "%.40q", tc.raw)
		assert.Equal(t, tc.closed, h.Env.Closed(c), "%.40q", tc.raw)
	}
}
