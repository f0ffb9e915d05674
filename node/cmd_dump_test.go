package node_test

import (
	"encoding/binary"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

// dump runs DUMP key and returns the payload.
func (e *cmdEnv) dump(key string) string {
	e.t.Helper()
	v, _, err := resp.ParseValue([]byte(e.do("DUMP", key)))
	require.NoError(e.t, err)
	require.False(e.t, v.Null, "DUMP %s", key)
	return string(v.Str)
}

func TestDumpPayloadBytes(t *testing.T) {
	e := newCmdEnv(t)
	e.expect("SET foo bar", "+OK\r\n", "SET n 123", "+OK\r\n", "DUMP nokey", "$-1\r\n")
	// The bytes redis-server 7.0.15 answers: type, RDB string, version 10,
	// CRC-64.
	want := []byte{0, 3, 'b', 'a', 'r', 10, 0}
	want = binary.LittleEndian.AppendUint64(want, rdb.CRC64(0, want))
	assert.Equal(t, string(want), e.dump("foo"))
	want = []byte{0, 0xc0, 123, 10, 0}
	want = binary.LittleEndian.AppendUint64(want, rdb.CRC64(0, want))
	assert.Equal(t, string(want), e.dump("n"))
}

func TestDumpRestoreRoundTripEveryType(t *testing.T) {
	e := newCmdEnv(t)
	roundTrip := func(k string) {
		p := e.dump(k)
		enc := e.do("OBJECT", "ENCODING", k)
		digest := e.do("DEBUG", "DIGEST-VALUE", k)
		require.Equal(t, "+OK\r\n", e.do("RESTORE", k+"2", "0", p), k)
		assert.Equal(t, enc, e.do("OBJECT", "ENCODING", k+"2"), k)
		assert.Equal(t, digest, e.do("DEBUG", "DIGEST-VALUE", k+"2"), k)
		assert.Equal(t, p, e.dump(k+"2"), k)
	}
	e.do("SET", "s", "hello")
	e.do("HSET", "h", "a", "1", "b", "2")
	e.do("SADD", "is", "1", "2", "3")
	e.do("SADD", "ts", "a", "b", "c")
	for _, k := range []string{"s", "h", "is", "ts"} {
		roundTrip(k)
	}
	e.do("CONFIG", "SET", "hash-max-listpack-entries", "1")
	e.do("HSET", "ht", "a", "1", "b", "2")
	roundTrip("ht")
	// The thresholds in force decide the restored encoding, as in Redis.
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "h3", "0", e.dump("h")))
	e.expect("OBJECT ENCODING h", "$8\r\nlistpack\r\n", "OBJECT ENCODING h3", "$9\r\nhashtable\r\n")
}

func TestRestoreErrorsInRedisOrder(t *testing.T) {
	e := newCmdEnv(t)
	e.do("SET", "foo", "bar")
	p := e.dump("foo")
	bad := []byte(p)
	bad[len(bad)-1] ^= 1
	newer := []byte(p[:len(p)-10])
	newer = append(newer, 11, 0)
	newer = binary.LittleEndian.AppendUint64(newer, rdb.CRC64(0, newer))
	unknown := []byte{200, 0, 10, 0}
	unknown = binary.LittleEndian.AppendUint64(unknown, rdb.CRC64(0, unknown))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"RESTORE", "foo", "0", p}, "-BUSYKEY Target key name already exists.\r\n"},
		{[]string{"RESTORE", "foo", "x", "junk", "bogus"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "foo", "x", "junk"}, "-BUSYKEY Target key name already exists.\r\n"},
		{[]string{"RESTORE", "k", "x", p}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"RESTORE", "k", "-1", p}, "-ERR Invalid TTL value, must be >= 0\r\n"},
		{[]string{"RESTORE", "k", "0", p, "IDLETIME", "-1"}, "-ERR Invalid IDLETIME value, must be >= 0\r\n"},
		{[]string{"RESTORE", "k", "0", p, "FREQ", "256"}, "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n"},
		{[]string{"RESTORE", "k", "0", p, "IDLETIME", "1", "FREQ", "1"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "k", "0", p, "IDLETIME"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "k", "0", "short"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "k", "0", string(bad)}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "k", "0", string(newer)}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "k", "0", string(unknown)}, "-ERR Bad data format\r\n"},
	} {
		assert.Equal(t, tc.want, e.do(tc.args...), "%q", tc.args)
	}
	e.expect("EXISTS k", ":0\r\n")
}

func TestRestorePropagation(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "foo", "bar")
	p := e.dump("foo")
	e.propagated()
	e.expect("restore k 0 x", "-ERR DUMP payload version or checksum are wrong\r\n")
	require.Equal(t, "+OK\r\n", e.do("restore", "k", "0", p))
	require.Equal(t, "+OK\r\n", e.do("restore", "t", "5000", p, "REPLACE"))
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "a", strconv.FormatInt(nowMs+9000, 10), p, "ABSTTL"))
	// A TTL already past stores nothing; with REPLACE the old key's
	// removal propagates as DEL.
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "gone", "1", p, "ABSTTL"))
	require.Equal(t, "+OK\r\n", e.do("RESTORE", "foo", "1", p, "ABSTTL", "REPLACE"))
	assert.Equal(t, []string{
		"restore k 0 " + p,
		"restore t " + strconv.FormatInt(nowMs+5000, 10) + " " + p + " REPLACE ABSTTL",
		"RESTORE a " + strconv.FormatInt(nowMs+9000, 10) + " " + p + " ABSTTL",
		"DEL foo",
	}, e.propagated())
	e.expect("EXISTS gone foo", ":0\r\n", "PTTL t", ":5000\r\n")
}

func TestRestoreIdletimeAndFreq(t *testing.T) {
	e := newCmdEnv(t)
	e.do("SET", "foo", "bar")
	p := e.dump("foo")
	e.do("RESTORE", "a", "0", p, "IDLETIME", "1000")
	e.expect("OBJECT IDLETIME a", ":1000\r\n", "OBJECT FREQ a",
		"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n")
	e.do("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	e.do("RESTORE", "b", "0", p, "FREQ", "100")
	e.expect("OBJECT FREQ b", ":100\r\n", "OBJECT IDLETIME b",
		"-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n")
}

func TestIdletimeAndTouch(t *testing.T) {
	e := newCmdEnv(t)
	e.do("SET", "foo", "bar")
	e.h.Env.Advance(3 * time.Second)
	// TYPE, EXISTS, TTL and OBJECT do not count as an access.
	e.do("TYPE", "foo")
	e.do("EXISTS", "foo")
	e.do("TTL", "foo")
	e.expect("OBJECT IDLETIME foo", ":3\r\n", "TOUCH foo nokey foo", ":2\r\n", "OBJECT IDLETIME foo", ":0\r\n")
	e.h.Env.Advance(2 * time.Second)
	e.do("GET", "foo")
	e.expect("OBJECT IDLETIME foo", ":0\r\n", "OBJECT IDLETIME nokey", "$-1\r\n")
}

// TestRestoreNeverPanics feeds RESTORE payloads with a valid footer around
// random bytes: every one is refused with Redis's error or restored.
func TestRestoreNeverPanics(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		e := newCmdEnv(t)
		body := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(rt, "body")
		p := append(append([]byte(nil), body...), 10, 0)
		p = binary.LittleEndian.AppendUint64(p, rdb.CRC64(0, p))
		got := e.do("RESTORE", "k", "0", string(p))
		if got != "+OK\r\n" {
			assert.Equal(rt, "-ERR Bad data format\r\n", got)
		}
	})
}
