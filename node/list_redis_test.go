package node_test

import (
	"strconv"
	"strings"
	"testing"
)

func TestListsLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"LPUSH l a b c", "RPUSH l 1 2 3", "LPUSHX l x", "RPUSHX l y", "LPUSHX nokey x", "RPUSHX nokey y",
		"LLEN l", "LLEN nokey", "LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l x", "LINDEX nokey x",
		"LRANGE l 0 -1", "LRANGE l -3 -2", "LRANGE l 5 1", "LRANGE l -100 100", "LRANGE nokey 0 -1", "LRANGE l a 1",
		"LSET l 0 z", "LSET l 100 z", "LSET l x z", "LSET nokey 0 z", "LSET nokey x z", "LRANGE l 0 -1",
		"LINSERT l BEFORE 1 ins", "LINSERT l after 3 ins2", "LINSERT l after nope q", "LINSERT l middle 1 q", "LINSERT nokey after a b",
		"LPOS l ins", "LPOS l ins RANK -1", "LPOS l nope", "LPOS l ins COUNT 0", "LPOS l ins RANK 0", "LPOS l ins COUNT -1",
		"LPOS l ins MAXLEN -1", "LPOS l ins MAXLEN 2", "LPOS l ins bogus", "LPOS nokey a", "LPOS nokey a COUNT 2", "LPOS l ins RANK x",
		"RPUSH r a b a c a d a", "LREM r 2 a", "LRANGE r 0 -1", "LREM r -1 a", "LRANGE r 0 -1", "LREM r 0 a", "LREM r x a", "LREM nokey 1 a",
		"LPOP l", "RPOP l", "LPOP l 2", "RPOP l 2", "LPOP l 0", "LPOP nokey 0", "LPOP nokey", "LPOP l -1", "LPOP l x", "LPOP l 1 2",
		"LTRIM l 1 -2", "LRANGE l 0 -1", "LTRIM l a b", "LTRIM nokey 0 1", "LTRIM l 5 1", "EXISTS l",
		"RPUSH s1 a b c", "RPOPLPUSH s1 d1", "LMOVE s1 d1 LEFT RIGHT", "LMOVE s1 d1 left middle", "LMOVE nokey d1 LEFT LEFT",
		"LMOVE s1 s1 RIGHT LEFT", "LRANGE s1 0 -1", "LRANGE d1 0 -1",
		"LMPOP 2 nokey d1 LEFT", "LMPOP 2 nokey d1 RIGHT COUNT 10", "LMPOP 1 nokey LEFT", "LMPOP 0 a LEFT", "LMPOP x a LEFT",
		"LMPOP 3 a LEFT", "LMPOP 1 a MIDDLE", "LMPOP 1 a LEFT COUNT 0", "LMPOP 1 a LEFT COUNT 1 COUNT 2", "LMPOP 1 a LEFT bogus",
		"SET str x", "LPUSH str a", "LLEN str", "LRANGE str 0 1", "LPOP str", "LINDEX str 0", "LSET str 0 a", "LMOVE s1 str LEFT LEFT",
		"LMPOP 2 nokey str LEFT", "BLPOP str 1", "BLMOVE str x LEFT LEFT 1", "LPOS str a", "LREM str 0 a", "LINSERT str before a b",
		"RPUSH bl a b c d", "BLPOP nokey bl 0", "BRPOP bl 0", "BLMPOP 0 2 nokey bl LEFT", "BLPOP bl -1", "BLPOP bl x", "BLPOP bl inf",
		"RPUSH bm 1 2 3", "BLMPOP 0 1 bm RIGHT COUNT 2", "BRPOPLPUSH bm dst 0", "BLMOVE dst bm RIGHT LEFT 0",
		"MULTI", "BLPOP empty 0", "BRPOPLPUSH empty x 0", "BLMOVE empty x LEFT LEFT 0", "BLMPOP 0 1 empty LEFT", "EXEC",
		"TYPE bm", "OBJECT ENCODING bm", "LPUSH n 0 -1 12345678901 1.5 0x10 01", "LRANGE n 0 -1", "LPOS n 01", "LREM n 1 1.5",
	)
	v.sameDigest("l", "r", "s1", "d1", "bm", "n", "dst")
}

func TestBigListsLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	long := strings.Repeat("x", 300)
	for i := 0; i < 2000; i++ {
		v.same("RPUSH", "big", strconv.Itoa(i), long[:i%300])
		if i%7 == 0 {
			v.same("LPUSH", "big", "h"+strconv.Itoa(i))
		}
	}
	v.sameDigest("big")
	v.same("MEMORY", "USAGE", "big", "SAMPLES", "0")
	for i := 0; i < 300; i += 13 {
		v.same("LINSERT", "big", "BEFORE", strconv.Itoa(i*5), "ins"+strconv.Itoa(i))
		v.same("LINSERT", "big", "AFTER", strconv.Itoa(i*3), long[:i])
	}
	v.sameDigest("big")
	v.same("MEMORY", "USAGE", "big", "SAMPLES", "0")
	v.sameLines("LTRIM big 100 -100", "LREM big 0 "+long[:100], "LSET big 500 hello", "LRANGE big 400 450", "LPOS big hello", "LPOS big 77 RANK -1")
	v.sameDigest("big")
	v.same("MEMORY", "USAGE", "big", "SAMPLES", "0")
}
