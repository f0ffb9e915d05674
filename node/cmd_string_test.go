package node_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

var nowMs = nodetest.DefaultNow / 1e6

func ms(v int64) string { return strconv.FormatInt(v, 10) }

func TestSetOptionsReplies(t *testing.T) {
	e := newCmdEnv(t)
	e.expect(
		"SET k v", "+OK\r\n",
		"SET k w NX", "$-1\r\n",
		"SET k w NX GET", "$1\r\nv\r\n",
		"SET k w XX GET", "$1\r\nv\r\n",
		"GET k", "$1\r\nw\r\n",
		"SET n v XX", "$-1\r\n",
		"SET n v XX GET", "$-1\r\n",
		"SET k v NX XX", "-ERR syntax error\r\n",
		"SET k v EX 10 PX 10", "-ERR syntax error\r\n",
		"SET k v KEEPTTL EX 10", "-ERR syntax error\r\n",
		"SET k v PERSIST", "-ERR syntax error\r\n",
		"SET k v EX", "-ERR syntax error\r\n",
		"SET k v EX 0", "-ERR invalid expire time in 'set' command\r\n",
		"SET k v EX x", "-ERR value is not an integer or out of range\r\n",
		"SET k v EX 9223372036854775807", "-ERR invalid expire time in 'set' command\r\n",
		"SET k v PX 9223372036854775807", "-ERR invalid expire time in 'set' command\r\n",
		"SET k", "-ERR wrong number of arguments for 'set' command\r\n",
		"SET k v EX 100", "+OK\r\n",
		"TTL k", ":100\r\n",
		"SET k v2 KEEPTTL", "+OK\r\n",
		"PTTL k", ":100000\r\n",
		"SET k v3", "+OK\r\n",
		"TTL k", ":-1\r\n",
	)
}

func TestSetPropagation(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("set", "k", "v", "NX", "EX", "100")
	e.do("SET", "k", "w", "get", "GET")
	e.do("SET", "k", "x", "XX", "PXAT", ms(nowMs+5000))
	e.do("SET", "k", "y", "KEEPTTL")
	e.do("SETEX", "s", "10", "v")
	e.do("PSETEX", "s", "1500", "v")
	e.do("SETNX", "n", "1")
	e.do("SETNX", "n", "2") // not set: nothing propagated
	e.do("GETSET", "n", "3")
	e.do("GETDEL", "n")
	e.do("GETDEL", "n")
	assert.Equal(t, []string{
		"SET k v PXAT " + ms(nowMs+100000),
		"SET k w",
		"SET k x PXAT " + ms(nowMs+5000),
		"SET k y KEEPTTL",
		"SET s v PXAT " + ms(nowMs+10000),
		"SET s v PXAT " + ms(nowMs+1500),
		"SETNX n 1",
		"SET n 3",
		"DEL n",
	}, e.propagated())
}

func TestGetexAndPropagation(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"GETEX nokey EX 10", "$-1\r\n",
		"GETEX nokey EX x", "$-1\r\n", // the key is looked up before the time is parsed
		"SET k v", "+OK\r\n",
		"GETEX k", "$1\r\nv\r\n",
		"GETEX k PERSIST", "$1\r\nv\r\n", // no TTL: nothing to propagate
		"GETEX k EX 10", "$1\r\nv\r\n",
		"TTL k", ":10\r\n",
		"GETEX k PERSIST", "$1\r\nv\r\n",
		"TTL k", ":-1\r\n",
		"GETEX k NX", "-ERR syntax error\r\n",
		"GETEX k EX 0", "-ERR invalid expire time in 'getex' command\r\n",
		"GETEX k PXAT 1000", "$1\r\nv\r\n",
		"EXISTS k", ":0\r\n",
	)
	assert.Equal(t, []string{
		"SET k v",
		"PEXPIREAT k " + ms(nowMs+10000),
		"PERSIST k",
		"DEL k",
	}, e.propagated())
}

func TestMsetAppendRanges(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"MSET a 1 b 2", "+OK\r\n",
		"MSET a", "-ERR wrong number of arguments for 'mset' command\r\n",
		"MSET a 1 b", "-ERR wrong number of arguments for 'mset' command\r\n",
		"MSETNX a 1 c 3", ":0\r\n",
		"MSETNX c 3 d 4", ":1\r\n",
		"MGET a nokey d", "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n4\r\n",
		"APPEND a 23", ":3\r\n",
		"APPEND new xy", ":2\r\n",
		"STRLEN a", ":3\r\n",
		"STRLEN nokey", ":0\r\n",
		"GETRANGE a 0 0", "$1\r\n1\r\n",
		"GETRANGE a -2 -1", "$2\r\n23\r\n",
		"GETRANGE a 2 1", "$0\r\n\r\n",
		"GETRANGE a -1 -2", "$0\r\n\r\n",
		"GETRANGE nokey 0 -1", "$0\r\n\r\n",
		"GETRANGE a x 1", "-ERR value is not an integer or out of range\r\n",
		"SETRANGE a 5 Z", ":6\r\n",
		"GET a", "$6\r\n123\x00\x00Z\r\n",
		"SETRANGE a -1 x", "-ERR offset is out of range\r\n",
		"SETRANGE a 536870912 x", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
	)
	assert.Equal(t, ":6\r\n", e.do("SETRANGE", "a", "0", ""))
	assert.Equal(t, []string{
		"MSET a 1 b 2", "MSETNX c 3 d 4", "APPEND a 23", "APPEND new xy", "SETRANGE a 5 Z",
	}, e.propagated())
}

func TestIncrbyfloatFormatting(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"INCRBYFLOAT f 0.1", "$3\r\n0.1\r\n",
		"INCRBYFLOAT f 0.1", "$3\r\n0.2\r\n",
		"INCRBYFLOAT f 0.1", "$3\r\n0.3\r\n",
		"INCRBYFLOAT g 5.0e3", "$4\r\n5000\r\n",
		"INCRBYFLOAT h 3.0e-3", "$5\r\n0.003\r\n",
		"INCRBYFLOAT h inf", "-ERR increment would produce NaN or Infinity\r\n",
		"INCRBYFLOAT h nan", "-ERR value is not a valid float\r\n",
		"INCRBYFLOAT h 1e5000", "-ERR value is not a valid float\r\n",
		"INCRBYFLOAT h 0x10", "$6\r\n16.003\r\n",
		"INCRBYFLOAT z 1e-20", "$1\r\n0\r\n",
		"INCRBYFLOAT z -0", "$1\r\n0\r\n",
		"INCRBYFLOAT big 1e100", "$100\r\n9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488\r\n",
		"SET s abc", "+OK\r\n",
		"INCRBYFLOAT s 1", "-ERR value is not a valid float\r\n",
	)
	assert.Equal(t, []string{
		"SET f 0.1 KEEPTTL", "SET f 0.2 KEEPTTL", "SET f 0.3 KEEPTTL", "SET g 5000 KEEPTTL",
		"SET h 0.003 KEEPTTL", "SET h 16.003 KEEPTTL", "SET z 0 KEEPTTL", "SET z 0 KEEPTTL",
		"SET big " + "9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488" + " KEEPTTL",
		"SET s abc",
	}, e.propagated())
}

// TestIncrbyMatchesInt64Model checks INCRBY/DECRBY sequences against an
// int64 model that refuses overflow.
func TestIncrbyMatchesInt64Model(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		e := newCmdEnv(t)
		var model int64
		exists := false
		steps := rapid.IntRange(1, 30).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			by := rapid.OneOf(rapid.Int64Range(-100, 100), rapid.Int64()).Draw(rt, "by")
			decr := rapid.Bool().Draw(rt, "decr")
			cmd, delta := "INCRBY", by
			if decr {
				cmd, delta = "DECRBY", -by
			}
			got := e.do(cmd, "n", strconv.FormatInt(by, 10))
			switch {
			case decr && by == -1<<63:
				require.Equal(rt, "-ERR decrement would overflow\r\n", got)
			case (delta > 0 && model > 1<<63-1-delta) || (delta < 0 && model < -1<<63-delta):
				require.Equal(rt, "-ERR increment or decrement would overflow\r\n", got)
			default:
				model += delta
				exists = true
				require.Equal(rt, ":"+strconv.FormatInt(model, 10)+"\r\n", got)
			}
		}
		if !exists {
			require.Equal(rt, "$-1\r\n", e.do("GET", "n"), "no INCRBY succeeded, so the key was never created")
			return
		}
		require.Equal(rt, "$"+strconv.Itoa(len(strconv.FormatInt(model, 10)))+"\r\n"+strconv.FormatInt(model, 10)+"\r\n", e.do("GET", "n"))
	})
}

// TestSetGetDelModel runs random SET/GET/DEL/EXISTS/DBSIZE against a map.
func TestSetGetDelModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		e := newCmdEnv(t)
		model := map[string]string{}
		keys := []string{"a", "b", "c", "d"}
		for i, n := 0, rapid.IntRange(1, 60).Draw(rt, "n"); i < n; i++ {
			k := rapid.SampledFrom(keys).Draw(rt, "key")
			switch rapid.IntRange(0, 4).Draw(rt, "op") {
			case 0:
				v := rapid.StringN(0, 5, -1).Draw(rt, "val")
				require.Equal(rt, "+OK\r\n", e.do("SET", k, v))
				model[k] = v
			case 1:
				want := "$-1\r\n"
				if v, ok := model[k]; ok {
					want = "$" + strconv.Itoa(len(v)) + "\r\n" + v + "\r\n"
				}
				require.Equal(rt, want, e.do("GET", k))
			case 2:
				want := ":0\r\n"
				if _, ok := model[k]; ok {
					want = ":1\r\n"
				}
				require.Equal(rt, want, e.do("DEL", k))
				delete(model, k)
			case 3:
				want := ":0\r\n"
				if _, ok := model[k]; ok {
					want = ":1\r\n"
				}
				require.Equal(rt, want, e.do("EXISTS", k))
			case 4:
				require.Equal(rt, ":"+strconv.Itoa(len(model))+"\r\n", e.do("DBSIZE"))
			}
		}
	})
}

func TestLazyExpiryPropagatesDelWrappedWithTheWrite(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "k", "v", "PX", "100")
	e.do("SET", "j", "v", "PX", "100")
	e.h.Env.Advance(200 * time.Millisecond)
	e.expect(
		"SET k w", "+OK\r\n",
		"GET j", "$-1\r\n",
	)
	assert.Equal(t, []string{
		"SET k v PXAT " + ms(nowMs+100),
		"SET j v PXAT " + ms(nowMs+100),
		"MULTI", "DEL k", "SET k w", "EXEC",
		"DEL j",
	}, e.propagated())
}

func BenchmarkSetGet(b *testing.B) {
	b.ReportAllocs()
	h := nodetest.New(b, node.DefaultConfig())
	c := h.Conn()
	set := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
	for b.Loop() {
		h.DoRaw(c, set)
	}
}

func BenchmarkScanFullIteration(b *testing.B) {
	b.ReportAllocs()
	h := nodetest.New(b, node.DefaultConfig())
	c := h.Conn()
	for i := 0; i < 1000; i++ {
		h.Do(c, "SET", "key:"+strconv.Itoa(i), "v")
	}
	for b.Loop() {
		cursor := "0"
		for {
			v, _, _ := resp.ParseValue(h.Do(c, "SCAN", cursor, "COUNT", "100"))
			cursor = string(v.Array[0].Str)
			if cursor == "0" {
				break
			}
		}
	}
}
