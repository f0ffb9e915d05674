package node_test

import (
	"strconv"
	"testing"
)

func TestStringsDigestAndEncodingLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameDigest()
	v.sameLines("SET a 1", "SET b hello", "SET c 12345678901234567890123", "SET d 9999", "SET e 10000")
	v.same("SET", "long", "0123456789012345678901234567890123456789012345")
	v.same("SET", "e44", "01234567890123456789012345678901234567890123")
	v.sameDigest("a", "b", "c", "d", "e", "long", "e44", "missing")
	v.sameLines("APPEND b x", "SETRANGE d 0 1", "INCRBYFLOAT f 1", "INCRBYFLOAT g 1.5", "INCR h", "SETRANGE i 2 x", "APPEND j 12")
	v.sameLines("PEXPIREAT a 99999999999999", "OBJECT REFCOUNT d", "OBJECT REFCOUNT a", "OBJECT REFCOUNT e", "OBJECT FREQ a", "OBJECT BOGUS a", "OBJECT ENCODING")
	v.sameDigest("a", "b", "d", "f", "g", "h", "i", "j")
	v.sameLines("SELECT 3", "SET a 1", "SELECT 0")
	v.sameDigest()
}

func TestHashesLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"HSET h f1 v1 f2 2", "HSET h f1 x", "HMSET h a b", "HSET h a", "HMSET h a", "HSETNX h f1 y", "HSETNX h n 7",
		"HGET h f1", "HGET h nope", "HGET nokey f", "HMGET h f1 nope f2", "HMGET nokey a b", "HLEN h", "HLEN nokey",
		"HSTRLEN h f1", "HSTRLEN h f2", "HSTRLEN h nope", "HEXISTS h f1", "HEXISTS h nope", "HEXISTS nokey a",
		"HKEYS h", "HVALS h", "HGETALL h", "HGETALL nokey", "HKEYS nokey",
		"HINCRBY h f2 5", "HINCRBY h f1 1", "HINCRBY h new -3", "HINCRBY h f2 x", "HINCRBY h f2 9223372036854775807",
		"HINCRBYFLOAT h fl 1.5", "HINCRBYFLOAT h fl 0.1", "HINCRBYFLOAT h f1 1", "HINCRBYFLOAT h fl inf", "HINCRBYFLOAT h fl abc",
		"HINCRBYFLOAT h f2 1e3", "HGETALL h",
		"HDEL h f1 nope", "HDEL h nope", "HDEL nokey a", "HSCAN h 0", "HSCAN h 0 MATCH f*", "HSCAN h 0 COUNT 0", "HSCAN h x",
		"HSCAN nokey 0 bogus", "HSCAN h 0 TYPE string",
		"SET s str", "HSET s a b", "HGET s a", "HGETALL s", "HLEN s", "HSCAN s 0", "HRANDFIELD s", "HINCRBY s a 1",
		"HSET h2 a 1", "GET h2", "APPEND h2 x", "INCR h2", "STRLEN h2", "GETRANGE h2 0 1", "SETRANGE h2 0 x", "GETSET h2 x",
		"GETDEL h2", "GETEX h2", "MGET h2 s", "SET h2 x GET", "INCRBYFLOAT h2 1", "TYPE h2",
		"HRANDFIELD h 0", "HRANDFIELD nokey 3", "HRANDFIELD h 1 x", "HRANDFIELD h 1 withvalues x", "HRANDFIELD h -9223372036854775808",
		"HRANDFIELD h 9223372036854775807 withvalues", "HRANDFIELD h abc", "HRANDFIELD h 100", "HRANDFIELD h 100 WITHVALUES",
		"HDEL h f2 n new fl a", "EXISTS h", "HSET", "HSET h", "HGET h",
	)
	v.sameDigest("h", "h2")
	// The listpack limits: 64-byte values and 512 fields by default.
	big := make([]byte, 65)
	for i := range big {
		big[i] = 'x'
	}
	v.same("HSET", "lp", "f", string(big[:64]))
	v.sameDigest("lp")
	v.same("HSET", "lp", "g", string(big))
	v.sameDigest("lp")
	v.same("HSETNX", "lp2", string(big), "1")
	v.same("HINCRBY", "lp3", string(big), "1")
	v.sameDigest("lp2", "lp3")
	for i := 0; i < 512; i++ {
		v.same("HSET", "many", "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	v.sameDigest("many")
	v.same("HGETALL", "many")
	v.same("HSET", "many", "last", "1")
	v.sameDigest("many")
	v.unordered(2, "HGETALL", "many")
	v.unordered(1, "HKEYS", "many")
	v.same("HLEN", "many")
	v.sameLines("CONFIG SET hash-max-listpack-entries 2", "CONFIG SET hash-max-listpack-value 3",
		"HSET small a 1 b 2", "OBJECT ENCODING small", "HSET small c 3", "OBJECT ENCODING small",
		"HSET small2 abcd 1", "OBJECT ENCODING small2", "CONFIG SET hash-max-ziplist-value 1kb",
		"CONFIG GET hash-max-listpack-value", "CONFIG SET hash-max-listpack-value -1")
	v.unordered(2, "CONFIG", "GET", "hash-max-*")
	v.sameDigest("small", "small2")
	v.sameLines("DEL h2 lp", "UNLINK many", "EXISTS many lp3", "EXPIRE lp3 100", "TYPE lp3", "RENAME lp3 r", "TYPE r", "OBJECT ENCODING r")
	v.sameDigest("r")
}

func TestSetsLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"SADD s 1 2 3", "OBJECT ENCODING s", "SADD s 3 4", "SADD s -5 70000 5000000000", "SMEMBERS s", "SCARD s",
		"SISMEMBER s 3", "SISMEMBER s 03", "SISMEMBER s x", "SMISMEMBER s 1 x 2", "SMISMEMBER nokey a", "SCARD nokey",
		"SREM s 1 x", "SREM s 03", "SMEMBERS s", "SADD t a b 2", "OBJECT ENCODING t", "SINTER s t", "SINTER s nokey",
		"SINTERCARD 2 s t", "SINTERCARD 0 s", "SINTERCARD x s", "SINTERCARD 3 s t", "SINTERCARD 1 s LIMIT -1", "SINTERCARD 1 s LIMIT 2",
		"SINTERCARD 1 s LIMIT x", "SINTERCARD 1 s FOO 2", "SINTERCARD 1 s LIMIT",
		"SINTERSTORE d s t", "TYPE d", "OBJECT ENCODING d", "SINTERSTORE d s nokey", "EXISTS d",
		"SUNION s nokey", "SUNIONSTORE u s nokey", "OBJECT ENCODING u", "SDIFF s t", "SDIFF nokey s", "SDIFF s s",
		"SDIFFSTORE dd s t", "SMEMBERS dd", "SMOVE s t 2", "SMOVE s t 2", "SMOVE nokey t 2", "SMOVE s s 3", "SMOVE s s 99",
		"SMOVE s newset 3", "OBJECT ENCODING newset", "SPOP nokey", "SPOP nokey 3", "SPOP s 0", "SPOP s -1", "SPOP s x", "SPOP s 1 2",
		"SRANDMEMBER nokey", "SRANDMEMBER nokey 3", "SRANDMEMBER s 0", "SRANDMEMBER s 100", "SRANDMEMBER s x", "SRANDMEMBER s 1 2",
		"SRANDMEMBER s -9223372036854775808",
		"SPOP u 100", "EXISTS u", "SSCAN s 0", "SSCAN s 0 MATCH 4*", "SSCAN nokey 0", "SSCAN s 0 COUNT x",
		"SET str x", "SADD str a", "SMEMBERS str", "SINTER s str", "SUNION str", "SDIFF nokey str", "SMOVE s str 4", "SMOVE str s 4",
		"SINTERSTORE str2 str", "SCARD str", "SPOP str", "SRANDMEMBER str",
	)
	v.sameDigest("s", "t", "d", "dd", "newset")
	// An intset past set-max-intset-entries becomes a hashtable.
	for i := 0; i < 512; i++ {
		v.same("SADD", "big", strconv.Itoa(i*3))
	}
	v.sameDigest("big")
	v.same("SMEMBERS", "big")
	v.same("SADD", "big", "-1")
	v.sameDigest("big")
	v.unordered(1, "SMEMBERS", "big")
	v.same("SINTERCARD", "2", "big", "s")
	v.sameLines("SINTERSTORE x1 big s", "OBJECT ENCODING x1", "SDIFFSTORE x2 s big", "OBJECT ENCODING x2", "SUNIONSTORE x3 big s",
		"OBJECT ENCODING x3", "SADD mixed a 1", "SDIFFSTORE x4 mixed t", "OBJECT ENCODING x4", "SMEMBERS x4")
	v.sameDigest("x1", "x2", "x3", "x4")
	// SPOP of most of a big set rebuilds it from the members kept.
	v.sameLen("SPOP", "big", "510")
	v.sameLines("SCARD big", "OBJECT ENCODING big", "DEL big")
	v.sameLines("CONFIG SET set-max-intset-entries 2", "SADD c 1 2 3", "OBJECT ENCODING c", "CONFIG GET set-max-intset-entries")
	v.sameDigest("c")
}
