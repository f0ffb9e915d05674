package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// FuzzNodeInput feeds arbitrary bytes to a client connection, in two
// chunks split where the first byte says. The node must not panic, and a
// fresh connection must still get an answer to PING.
func FuzzNodeInput(f *testing.F) {
	f.Add([]byte("\x05*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"))
	f.Add([]byte("\x00PING\r\nGET k\r\nINCRBYFLOAT f 0.1\r\n"))
	f.Add([]byte("\x03MULTI\r\nSET a 1\r\nINCR a\r\nEXEC\r\n"))
	f.Add([]byte("\x09KEYS [^a-\\\r\nSCAN 0 MATCH *[ COUNT 1 TYPE string\r\n"))
	f.Add([]byte("\x02*2\r\n$4\r\nPING\r\n$-1\r\n"))
	f.Add([]byte("\x10SET k v EX 100 GET\r\nGETEX k PXAT 1\r\nEXPIRE k 9223372036854775807 GT LT\r\n"))
	f.Add([]byte("\x07ZADD z 1 a 2.5 b inf c\r\nZRANGE z (1 +inf BYSCORE REV LIMIT 0 2 WITHSCORES\r\nZMPOP 2 x z MAX COUNT 2\r\nZUNIONSTORE d 2 z z WEIGHTS 2 -1\r\n"))
	f.Add([]byte("\x04CONFIG SET zset-max-listpack-entries 1\r\nZADD l 0 a 0 b 0 c\r\nZRANGEBYLEX l [a (c LIMIT 1 1\r\nZREMRANGEBYRANK l -2 -1\r\nZRANDMEMBER l -3 WITHSCORES\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := node.DefaultConfig()
		cfg.ProtoMaxBulkLen = 1 << 20 // keep SETRANGE/APPEND allocations small
		h := nodetest.New(t, cfg)
		c := h.Conn()
		split := 0
		if len(data) > 0 {
			split = int(data[0]) % len(data)
			data = data[1:]
			if split > len(data) {
				split = len(data)
			}
		}
		h.DoRaw(c, data[:split])
		h.DoRaw(c, data[split:])
		h.Tick()

		fresh := h.Conn()
		out := h.Do(fresh, "PING")
		v, k, err := resp.ParseValue(out)
		require.NoError(t, err, "reply %q", out)
		require.Equal(t, len(out), k, "PING got more or less than one reply: %q", out)
		ok := (v.Kind == resp.SimpleString && string(v.Str) == "PONG") ||
			(v.Kind == resp.Error && strings.HasPrefix(string(v.Str), "NOAUTH"))
		require.True(t, ok, "PING answered %q", out)
	})
}
