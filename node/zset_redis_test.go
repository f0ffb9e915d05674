package node_test

import (
	"strconv"
	"strings"
	"testing"
)

func TestZsetsLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"ZADD z 1 a 2 b 3 c", "OBJECT ENCODING z", "ZADD z 1.5 d -inf e +inf f", "ZRANGE z 0 -1 WITHSCORES",
		"ZADD z 0.1 g 1e20 h 1e-5 i 12345678901234567890 j", "ZRANGE z 0 -1 WITHSCORES", "ZSCORE z g", "ZSCORE z nope",
		"ZADD z nan x", "ZADD z abc x", "ZADD z 1", "ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z NX GT 1 a",
		"ZADD z INCR 1 a 2 b", "ZADD z INCR 5 a", "ZADD z INCR NX 5 a", "ZADD z XX INCR 5 new", "ZADD z CH 10 a 10 b 7 new",
		"ZADD z GT CH 1 a 100 b", "ZADD z LT CH 1 a 100 b", "ZADD z XX 5 zz", "ZADD nokey XX 1 a", "EXISTS nokey",
		"ZADD z INCR +inf f", "ZADD z INCR -inf f", "ZINCRBY z 2.5 a", "ZINCRBY z x a", "ZINCRBY z 1 brandnew",
		"ZADD z 1e400 q", "ZADD z 1e-400 q", "ZADD z 0x10 hex", "ZADD z ' 1' sp", "ZADD z '' e", "ZADD z 0e-500 zero",
		"ZCARD z", "ZCARD nokey", "ZMSCORE z a nope b", "ZMSCORE nokey a", "ZRANK z a", "ZREVRANK z a", "ZRANK z nope",
		"ZRANK nokey a", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 2 4", "ZRANGE z -3 -1 REV WITHSCORES", "ZRANGE z 5 2",
		"ZRANGE z 0 -1 LIMIT 0 1", "ZRANGE z 0 10 BYSCORE", "ZRANGE z (0 (10 BYSCORE WITHSCORES", "ZRANGE z 10 0 BYSCORE REV",
		"ZRANGE z -inf +inf BYSCORE LIMIT 1 3", "ZRANGE z -inf +inf BYSCORE LIMIT -1 3", "ZRANGE z -inf +inf BYSCORE LIMIT 2 -1",
		"ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES", "ZRANGE z x 1 BYSCORE", "ZRANGE z ( 1 BYSCORE", "ZRANGE z '' 1 BYSCORE",
		"ZRANGE z 0 1 BYSCORE BYLEX", "ZRANGE z 0 1 REV REV", "ZRANGE z - + BYLEX WITHSCORES", "ZRANGE z a b BYLEX", "ZRANGE z 0 1 bogus",
		"ZREVRANGE z 0 2 WITHSCORES", "ZREVRANGE z 0 2 LIMIT 0 1", "ZRANGEBYSCORE z 1 3 WITHSCORES", "ZRANGEBYSCORE z 1 3 REV",
		"ZREVRANGEBYSCORE z 3 1", "ZREVRANGEBYSCORE z (3 (1 LIMIT 0 1", "ZCOUNT z 1 3", "ZCOUNT z (1 3", "ZCOUNT z -inf +inf",
		"ZCOUNT z x 1", "ZCOUNT nokey 0 1", "ZREMRANGEBYSCORE z 1000 2000", "ZREMRANGEBYRANK z 100 200", "ZREMRANGEBYRANK z x 1",
		"ZREMRANGEBYSCORE z (1 2", "ZREMRANGEBYRANK z 0 0", "ZRANGE z 0 -1 WITHSCORES", "ZPOPMIN z", "ZPOPMAX z 2", "ZPOPMIN z 0",
		"ZPOPMIN z -1", "ZPOPMIN z x", "ZPOPMIN z 1 2", "ZPOPMIN nokey", "ZPOPMAX nokey 3",
		"ZMPOP 1 z MIN", "ZMPOP 2 nokey z MAX COUNT 2", "ZMPOP 1 nokey MIN", "ZMPOP 0 z MIN", "ZMPOP 1 z", "ZMPOP 1 z MIN COUNT 0",
		"ZMPOP 1 z MIN COUNT 1 COUNT 2", "ZMPOP 3 z MIN", "ZMPOP 1 z BOTH", "ZMPOP x z MIN",
		"ZADD l 0 a 0 b 0 c 0 d 0 e 0 ff 0 g", "ZRANGEBYLEX l - +", "ZRANGEBYLEX l [b (e", "ZRANGEBYLEX l (b [e LIMIT 1 2",
		"ZREVRANGEBYLEX l + -", "ZREVRANGEBYLEX l [e (b", "ZRANGEBYLEX l b e", "ZRANGEBYLEX l + -", "ZRANGEBYLEX l [e [b",
		"ZLEXCOUNT l - +", "ZLEXCOUNT l [c +", "ZLEXCOUNT l x y", "ZLEXCOUNT nokey - +", "ZRANGE l [c + BYLEX LIMIT 0 2",
		"ZREMRANGEBYLEX l [b [c", "ZREMRANGEBYLEX l x y", "ZRANGE l 0 -1", "ZREM l a nope e", "ZREM l nope", "ZREM nokey a",
		"ZRANGESTORE dst l 0 1", "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst l - + BYLEX", "ZRANGESTORE dst nokey 0 -1", "EXISTS dst",
		"ZRANGESTORE dst l 0 1 WITHSCORES", "ZRANGESTORE dst l 5 10", "ZRANGESTORE dst l 0 -1 REV",
		"SET str x", "ZADD str 1 a", "ZRANGE str 0 1", "ZSCORE str a", "ZCARD str", "ZPOPMIN str", "ZMPOP 2 nokey str MIN",
		"ZRANGESTORE dst str 0 1", "ZUNION 1 str", "ZINTERCARD 1 str", "ZRANDMEMBER str", "ZSCAN str 0", "ZCOUNT str 0 1",
		"TYPE z", "TYPE l", "SCAN 0 TYPE zset MATCH dst COUNT 1000", "SCAN 0 TYPE ZSET MATCH str COUNT 1000", "SCAN 0 TYPE string MATCH str COUNT 1000",
	)
	v.sameDigest("z", "l", "dst")
	v.sameLines(
		"DEL a b c", "ZADD a 1 x 2 y 3 z", "ZADD b 10 y 20 z 30 w", "SADD c y w q",
		"ZUNION 2 a b", "ZUNION 2 a b WITHSCORES", "ZUNION 3 a b c WITHSCORES", "ZUNION 2 a b WEIGHTS 2 3 WITHSCORES",
		"ZUNION 2 a b AGGREGATE MIN WITHSCORES", "ZUNION 2 a b AGGREGATE MAX WITHSCORES", "ZUNION 2 a b AGGREGATE bogus",
		"ZUNION 2 a b WEIGHTS 1", "ZUNION 2 a b WEIGHTS 1 x", "ZUNION 0 a", "ZUNION 3 a b", "ZUNION x a", "ZUNION 1 a bogus",
		"ZINTER 2 a b WITHSCORES", "ZINTER 3 a b c WITHSCORES", "ZINTER 2 a a WITHSCORES", "ZINTER 2 a nokey",
		"ZDIFF 2 a b WITHSCORES", "ZDIFF 2 b c WITHSCORES", "ZDIFF 2 a a", "ZDIFF 1 a WEIGHTS 1", "ZDIFF 2 a nokey",
		"ZINTERCARD 2 a b", "ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 2 a b LIMIT -1", "ZINTERCARD 0 a", "ZINTERCARD 2 a b WITHSCORES",
		"ZUNIONSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "OBJECT ENCODING d", "ZINTERSTORE d 2 a b WEIGHTS 1 -1",
		"ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a nokey", "EXISTS d",
		"ZUNIONSTORE d 1 nokey", "ZUNIONSTORE d 2 a b WITHSCORES", "ZADD inf1 +inf m", "ZADD inf2 -inf m",
		"ZUNION 2 inf1 inf2 WITHSCORES", "ZINTER 2 inf1 inf2 WITHSCORES", "ZUNION 2 inf1 inf2 WEIGHTS 0 0 WITHSCORES",
		"ZSCAN a 0", "ZSCAN a 0 MATCH x*", "ZSCAN a 0 COUNT 1", "ZSCAN nokey 0", "ZSCAN a x",
		"ZRANDMEMBER nokey", "ZRANDMEMBER nokey 5", "ZRANDMEMBER a 0", "ZRANDMEMBER a 5", "ZRANDMEMBER a 5 WITHSCORES",
		"ZRANDMEMBER a x", "ZRANDMEMBER a 1 bogus", "ZRANDMEMBER a -9223372036854775808", "ZRANDMEMBER a 9223372036854775807 withscores",
		"ZRANDMEMBER a 1 withscores bogus",
	)
	v.sameLen("ZRANDMEMBER", "a", "-5", "WITHSCORES")
	v.sameLen("ZRANDMEMBER", "a", "2")
	v.sameDigest("a", "b", "d")
	// The listpack limits: 128 members, 64 bytes.
	long := strings.Repeat("x", 65)
	v.same("ZADD", "big", "1", long)
	v.same("OBJECT", "ENCODING", "big")
	v.same("ZADD", "lp", "1", long[:64])
	v.same("OBJECT", "ENCODING", "lp")
	v.same("ZADD", "lp", "2", long)
	v.same("OBJECT", "ENCODING", "lp")
	for i := 0; i < 200; i++ {
		v.same("ZADD", "many", strconv.Itoa(i%17)+"."+strconv.Itoa(i), "m"+strconv.Itoa(i))
		if i == 127 || i == 128 {
			v.same("OBJECT", "ENCODING", "many")
		}
	}
	v.sameDigest("big", "lp", "many")
	v.sameLines("ZRANGE many 0 -1 WITHSCORES", "ZRANGE many 5 60 REV", "ZRANK many m77", "ZREVRANK many m77",
		"ZRANGEBYSCORE many (3 5.5 WITHSCORES LIMIT 3 10", "ZREVRANGEBYSCORE many 10 (3 LIMIT 2 5", "ZCOUNT many 2 (9",
		"ZRANGESTORE dst2 many 0 200", "OBJECT ENCODING dst2", "ZRANGESTORE dst2 many 0 10", "OBJECT ENCODING dst2",
		"ZRANGESTORE dst2 many 0 +inf BYSCORE", "OBJECT ENCODING dst2",
		"ZUNIONSTORE u 2 many lp", "OBJECT ENCODING u", "ZINTERSTORE u 2 many many", "OBJECT ENCODING u",
		"ZDIFFSTORE u 2 lp many", "OBJECT ENCODING u", "ZREMRANGEBYRANK many 10 100", "OBJECT ENCODING many",
		"ZREMRANGEBYSCORE many 0 3", "ZPOPMIN many 5", "ZPOPMAX many 5", "ZRANGE many 0 -1 WITHSCORES",
		"ZADD lex 0 aa 0 bb 0 cc 0 dd", "ZUNIONSTORE lex2 1 lex", "ZADD lex2 0 "+long, "ZRANGEBYLEX lex2 [bb +", "ZLEXCOUNT lex2 (aa [cc",
		"ZREMRANGEBYLEX lex2 - [bb", "ZRANGE lex2 0 -1",
	)
	v.same("ZSCAN", "many", "0", "MATCH", "m77", "COUNT", "1000")
	v.sameDigest("many", "dst2", "u", "lex2")
	v.sameLines("CONFIG SET zset-max-listpack-entries 4", "CONFIG SET zset-max-listpack-value 3",
		"ZADD small 1 a 2 b 3 c 4 d", "OBJECT ENCODING small", "ZADD small 5 e", "OBJECT ENCODING small",
		"ZADD small2 1 abcd", "OBJECT ENCODING small2", "ZDIFFSTORE dd 2 small2 nokey", "OBJECT ENCODING dd",
		"ZADD w1 1 abcd 2 efgh", "ZADD w2 1 x 2 y 3 z 4 q", "ZDIFFSTORE dd 2 w1 w2", "OBJECT ENCODING dd",
		"CONFIG SET zset-max-listpack-entries 0", "ZADD zero 1 a", "OBJECT ENCODING zero",
		"CONFIG SET zset-max-ziplist-entries 128", "CONFIG GET zset-max-listpack-entries")
	v.sameDigest("small", "small2", "dd", "zero")
	v.sameLines("EXPIRE small 100", "RENAME small r", "TYPE r", "OBJECT ENCODING r", "DEL r", "EXISTS r")
	v.sameDigest()
}

func TestZsetNegativeZeroLikeRedis(t *testing.T) {
	v := newVsRedis(t)
	long := strings.Repeat("x", 70)
	v.sameLines("ZADD lp -0 m", "ZSCORE lp m", "ZADD y4 -1e-320 e", "ZUNION 1 y4 WEIGHTS 0 WITHSCORES",
		"ZUNIONSTORE u 1 y4 WEIGHTS 0", "ZSCORE u e", "ZINCRBY n -1 a", "ZINCRBY n 1 a", "ZSCORE n a")
	v.same("ZADD", "sk", "1", long)
	v.sameLines("ZADD sk -0 m", "ZSCORE sk m", "OBJECT ENCODING sk")
	v.sameDigest("lp", "y4", "u", "n", "sk")
}
