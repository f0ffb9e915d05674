package node_test

import (
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/replsim/replsim/node/resp"
)

// arrayOf parses a RESP array of bulk strings into a sorted slice.
func arrayOf(t require.TestingT, raw string) []string {
	v, k, err := resp.ParseValue([]byte(raw))
	require.NoError(t, err)
	require.Equal(t, len(raw), k)
	require.Equal(t, resp.Array, v.Kind, "reply %q", raw)
	out := []string{}
	for _, e := range v.Array {
		out = append(out, string(e.Str))
	}
	sort.Strings(out)
	return out
}

func TestKeysPatternsAndExpiredKeys(t *testing.T) {
	e := newCmdEnv(t)
	for _, k := range []string{"k1", "k2", "key", "a*b", "[x]", `k\1`} {
		e.do("SET", k, "v")
	}
	e.do("SET", "dead", "v", "PX", "10")
	e.h.Env.Advance(time.Second)
	cases := map[string][]string{
		"*":      {"[x]", "a*b", "k1", "k2", `k\1`, "key"},
		"k?":     {"k1", "k2"},
		"k[^1]":  {"k2"},
		"k[2-1]": {"k1", "k2"},
		`a\*b`:   {"a*b"},
		`\[x\]`:  {"[x]"},
		`k\\1`:   {`k\1`},
		"k[":     {},
		"d*":     {},
	}
	for pat, want := range cases {
		assert.Equal(t, want, arrayOf(t, e.do("KEYS", pat)), "KEYS %q", pat)
	}
	// KEYS skips the expired key without deleting it.
	assert.Equal(t, ":7\r\n", e.do("DBSIZE"))
}

func TestTypeRenameRandomkey(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"TYPE a", "+none\r\n",
		"RANDOMKEY", "$-1\r\n",
		"RENAME a b", "-ERR no such key\r\n",
		"RENAMENX a b", "-ERR no such key\r\n",
		"SET a 1", "+OK\r\n",
		"TYPE a", "+string\r\n",
		"RANDOMKEY", "$1\r\na\r\n",
		"RENAME a a", "+OK\r\n",
		"RENAMENX a a", ":0\r\n",
		"SET c 3 EX 100", "+OK\r\n",
		"RENAME c b", "+OK\r\n",
		"TTL b", ":100\r\n",
		"RENAMENX a b", ":0\r\n",
		"RENAMENX b d", ":1\r\n",
		"MGET a b d", "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n",
		"UNLINK a d nokey", ":2\r\n",
	)
	assert.Equal(t, []string{
		"SET a 1", "SET c 3 PXAT " + ms(nowMs+100000), "RENAME c b", "RENAMENX b d", "UNLINK a d nokey",
	}, e.propagated())
}

func TestRandomkeySkipsAndDeletesExpired(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	for i := 0; i < 5; i++ {
		e.do("SET", "dead"+strconv.Itoa(i), "v", "PX", "10")
	}
	e.do("SET", "live", "v")
	e.propagated()
	e.h.Env.Advance(time.Second)
	require.Equal(t, "$4\r\nlive\r\n", e.do("RANDOMKEY"))
	// The expired keys it drew went out as bare DELs, not in MULTI.
	for _, c := range e.propagated() {
		assert.True(t, strings.HasPrefix(c, "DEL dead"), "propagated %q", c)
	}
}

// TestScanReturnsEveryStableKey: a full SCAN iteration returns every key
// present from start to end, even while other keys come and go.
func TestScanReturnsEveryStableKey(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		e := newCmdEnv(t)
		n := rapid.IntRange(0, 60).Draw(rt, "keys")
		stable := map[string]bool{}
		for i := 0; i < n; i++ {
			k := "s" + strconv.Itoa(i)
			e.do("SET", k, "v")
			stable[k] = true
		}
		count := rapid.IntRange(1, 15).Draw(rt, "count")
		seen := map[string]bool{}
		cursor := "0"
		for calls := 0; ; calls++ {
			require.Less(rt, calls, 1000, "SCAN does not terminate")
			v, _, err := resp.ParseValue([]byte(e.do("SCAN", cursor, "COUNT", strconv.Itoa(count))))
			require.NoError(rt, err)
			for _, k := range v.Array[1].Array {
				seen[string(k.Str)] = true
			}
			// Churn: add and remove other keys between calls.
			e.do("SET", "churn"+strconv.Itoa(calls), "v")
			e.do("DEL", "churn"+strconv.Itoa(calls/2))
			cursor = string(v.Array[0].Str)
			if cursor == "0" {
				break
			}
		}
		for k := range stable {
			require.True(rt, seen[k], "key %q never returned", k)
		}
	})
}

func TestScanErrors(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"SCAN x", "-ERR invalid cursor\r\n",
		"SCAN 0 COUNT 0", "-ERR syntax error\r\n",
		"SCAN 0 COUNT x", "-ERR value is not an integer or out of range\r\n",
		"SCAN 0 MATCH", "-ERR syntax error\r\n",
		"SCAN 0", "*2\r\n$1\r\n0\r\n*0\r\n",
	)
}
