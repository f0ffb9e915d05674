package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCopyKeepsTypeEncodingAndTTL(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "n", "123")
	e.do("SET", "s", "hello", "PX", "50000")
	e.do("HSET", "h", "a", "1")
	e.do("SADD", "set", "x", "y")
	e.propagated()
	e.expect(
		"COPY n n2", ":1\r\n",
		"OBJECT ENCODING n2", "$3\r\nint\r\n",
		"OBJECT REFCOUNT n", ":2147483647\r\n",
		"OBJECT REFCOUNT n2", ":1\r\n", // dupStringObject shares no integer
		"COPY s s2 DB 1", ":1\r\n",
		"COPY s s2 DB 1", ":0\r\n",
		"SELECT 1", "+OK\r\n",
		"PTTL s2", ":50000\r\n",
		"SELECT 0", "+OK\r\n",
		"COPY h s2 db 1 REPLACE", ":1\r\n",
		"COPY set set2", ":1\r\n",
		"SADD set z", ":1\r\n",
		"SCARD set2", ":2\r\n",
		"COPY nokey x", ":0\r\n",
		"COPY n n", "-ERR source and destination objects are the same\r\n",
		"COPY n n DB 0", "-ERR source and destination objects are the same\r\n",
		"COPY n x DB 16", "-ERR DB index is out of range\r\n",
		"COPY n x DB z", "-ERR value is not an integer or out of range\r\n",
		"COPY n x REPLACE z", "-ERR syntax error\r\n",
		"COPY n x DB", "-ERR syntax error\r\n",
		"SELECT 1", "+OK\r\n",
		"TYPE s2", "+hash\r\n",
		"PTTL s2", ":-1\r\n",
	)
	assert.Equal(t, []string{
		"COPY n n2", "COPY s s2 DB 1", "COPY h s2 db 1 REPLACE", "COPY set set2", "SADD set z",
	}, e.propagated())
}

func TestMoveAndSwapdb(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "k", "v", "PX", "90000")
	e.do("SET", "other", "x")
	e.propagated()
	e.expect(
		"MOVE k 0", "-ERR source and destination objects are the same\r\n",
		"MOVE k 16", "-ERR DB index is out of range\r\n",
		"MOVE k x", "-ERR value is not an integer or out of range\r\n",
		"MOVE nokey 1", ":0\r\n",
		"MOVE k 1", ":1\r\n",
		"EXISTS k", ":0\r\n",
		"SET k again", "+OK\r\n",
		"MOVE k 1", ":0\r\n",
		"SWAPDB 0 1", "+OK\r\n",
		"GET k", "$1\r\nv\r\n",
		"PTTL k", ":90000\r\n",
		"DBSIZE", ":1\r\n",
		"SWAPDB 0 x", "-ERR invalid second DB index\r\n",
		"SWAPDB x 0", "-ERR invalid first DB index\r\n",
		"SWAPDB 0 16", "-ERR DB index is out of range\r\n",
		"SWAPDB 2 2", "+OK\r\n",
		"SELECT 1", "+OK\r\n",
		"MGET k other", "*2\r\n$5\r\nagain\r\n$1\r\nx\r\n",
	)
	assert.Equal(t, []string{"MOVE k 1", "SET k again", "SWAPDB 0 1", "SWAPDB 2 2"}, e.propagated())
}

func TestSwapdbMovesTTLs(t *testing.T) {
	e := newCmdEnv(t)
	e.do("SET", "a", "1", "PX", "1000")
	e.do("SWAPDB", "0", "3")
	e.expect("DBSIZE", ":0\r\n", "SELECT 3", "+OK\r\n", "PTTL a", ":1000\r\n", "SET b 2 PX 500", "+OK\r\n")
	e.h.Env.Advance(2000e6)
	e.expect("EXISTS a b", ":0\r\n")
}

func TestObjectHelpAndErrors(t *testing.T) {
	e := newCmdEnv(t)
	got := e.do("OBJECT", "HELP")
	assert.Contains(t, got, "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
	assert.Contains(t, got, "+    Prints this help.\r\n")
	e.expect(
		"OBJECT FOO k", "-ERR unknown subcommand 'FOO'. Try OBJECT HELP.\r\n",
		"OBJECT HELP x", "-ERR wrong number of arguments for 'object|help' command\r\n",
		"OBJECT FREQ nokey", "$-1\r\n",
		"SET n 5", "+OK\r\n",
		"CONFIG SET maxmemory 100mb", "+OK\r\n",
		"OBJECT REFCOUNT n", ":2147483647\r\n",
		"CONFIG SET maxmemory-policy allkeys-lru", "+OK\r\n",
		"OBJECT REFCOUNT n", ":1\r\n", // no shared integers under an LRU limit
	)
}

func TestRenameAndMoveKeepAccessData(t *testing.T) {
	e := newCmdEnv(t)
	e.do("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	e.do("SET", "a", "1")
	e.expect("OBJECT FREQ a", ":5\r\n", "RESTORE b 0 "+"x", "-ERR DUMP payload version or checksum are wrong\r\n")
	e.do("RESTORE", "b", "0", e.dump("a"), "FREQ", "200")
	e.expect("RENAME b c", "+OK\r\n", "MOVE c 1", ":1\r\n", "SELECT 1", "+OK\r\n", "OBJECT FREQ c", ":200\r\n")
}
