package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// refusedOp is a registry command answered with an error.
func refusedOp(err string, args ...string) Op {
	op := rc(0, args...)
	op.Err = err
	return op
}

// A command that opts into the strict rules is judged on its error
// replies: the true history passes, and the same history with one error
// reply Redis would not give fails.
func TestStrictErrorReplies(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"a valid HSET answered with a made-up syntax error", seq(rc(1, "HSET", "h", "a", "1")),
			func(ops []Op) { ops[0].Err = "ERR syntax error" }},
		{"a valid LPOP count answered as no integer", seq(rc(1, "RPUSH", "l", "a"), ra([]string{"a"}, "LPOP", "l", "1"), rc(0, "LLEN", "l")),
			func(ops []Op) { ops[1].Err = errArgNotInt }},
		{"a valid SADD answered with an error of another command", seq(rc(1, "SADD", "s", "a")),
			func(ops []Op) { ops[0].Err = errArgNumkeys }},
		{"a refusal of the node's state passes, an ERR does not", seq(refusedOp("READONLY You can't write against a read only replica.", "HSET", "h", "a", "1")),
			func(ops []Op) { ops[0].Err = "ERR value is not an integer or out of range" }},
		{"a bad LPOP count gets Redis's exact error", seq(rc(1, "RPUSH", "l", "a"), refusedOp(errArgPositive, "LPOP", "l", "-1"), rc(1, "LLEN", "l")),
			func(ops []Op) { ops[1].Err = errArgNotInt }},
		{"a bad count refused is no pop", seq(rc(1, "RPUSH", "l", "a"), refusedOp(errArgPositive, "LPOP", "l", "x"), rc(1, "LLEN", "l")),
			func(ops []Op) { ops[1].Err, ops[1].Exists, ops[1].Items = "", true, []Item{{Str: "a"}} }},
		{"arguments are checked before the type", seq(setOp("l", "x"), refusedOp(errArgPositive, "LPOP", "l", "-1")),
			func(ops []Op) { ops[1].Err = errWrongType }},
		{"a bad timeout is refused whatever the key", seq(refusedOp("ERR timeout is negative", "BLPOP", "l", "inf")),
			func(ops []Op) { ops[0].Err = "ERR timeout is not a float or out of range" }},
		{"a refused blocking pop does not succeed", seq(refusedOp("ERR timeout is not a float or out of range", "BLPOP", "l", "x")),
			func(ops []Op) { ops[0].Err = "" }},
		{"INCRBYFLOAT checks the type first", seq(rc(1, "HSET", "h", "a", "1"), refusedOp(errWrongType, "INCRBYFLOAT", "h", "abc")),
			func(ops []Op) { ops[1].Err = errArgFloat }},
		{"INCRBYFLOAT refuses a value that is no float", seq(setOp("f", "abc"), refusedOp(errArgFloat, "INCRBYFLOAT", "f", "1")),
			func(ops []Op) { ops[0].Value = "2" }},
		{"LINDEX of no list never reads its index", seq(bulk("", false, "LINDEX", "l", "x")),
			func(ops []Op) { ops[0].Err = errArgNotInt }},
		{"LINDEX of a list reads it", seq(rc(1, "RPUSH", "l", "a"), refusedOp(errArgNotInt, "LINDEX", "l", "x")),
			func(ops []Op) { ops[1].Err = "" }},
		{"LSET of a list in range is no missing key", seq(rc(1, "RPUSH", "l", "a"), refusedOp("ERR index out of range", "LSET", "l", "3", "z")),
			func(ops []Op) { ops[1].Err = errNoSuchKey }},
		{"HINCRBY of a number is no hash value error", seq(rc(1, "HSET", "h", "a", "x"), refusedOp("ERR hash value is not an integer", "HINCRBY", "h", "a", "1")),
			func(ops []Op) { ops[0].Args = []string{"HSET", "h", "a", "7"} }},
		{"a bad numkeys refuses every key", seq(rc(1, "SADD", "s", "a"), refusedOp(errArgNumkeys, "SINTERCARD", "0", "s", "t")),
			func(ops []Op) { ops[1].Err = errArgSyntax }},
	})
}

const (
	errWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errNoSuchKey = "ERR no such key"
)

// argErrorCases are the generator's forms of the strict commands (valid
// and refused) and the error redis-server 7.0.15 answered to each ("" for
// none), on keys of the command's type (argErrorsSetup).
var argErrorCases = map[string]string{
	"HSET h f":                                      "ERR wrong number of arguments for 'hset' command",
	"HSET h f 1 g 2":                                "",
	"HMSET h f 1 g":                                 "ERR wrong number of arguments for 'hmset' command",
	"HINCRBY h f 1.5":                               errArgNotInt,
	"HINCRBY h f -50":                               "",
	"HINCRBYFLOAT h f x":                            errArgFloat,
	"HINCRBYFLOAT h f nan":                          errArgFloat,
	"HINCRBYFLOAT h f inf":                          "ERR value is NaN or Infinity",
	"HINCRBYFLOAT h f 1e3":                          "",
	"HRANDFIELD h x":                                errArgNotInt,
	"HRANDFIELD h 1 FOO":                            errArgSyntax,
	"HRANDFIELD h 1 WITHVALUES x":                   errArgSyntax,
	"HRANDFIELD h -3 WITHVALUES":                    "",
	"HRANDFIELD h -9223372036854775808":             errArgLongMin,
	"HRANDFIELD h 9223372036854775807 WITHVALUES":   "ERR value is out of range",
	"HSCAN h 0 COUNT 100":                           "",
	"SPOP s -1":                                     errArgPositive,
	"SPOP s x":                                      errArgPositive,
	"SPOP s 1 2":                                    errArgSyntax,
	"SPOP s 3":                                      "",
	"SRANDMEMBER s x":                               errArgNotInt,
	"SRANDMEMBER s 1 2":                             errArgSyntax,
	"SRANDMEMBER s -3":                              "",
	"SINTERCARD 0 s":                                errArgNumkeys,
	"SINTERCARD x s":                                errArgNumkeys,
	"SINTERCARD 3 s":                                "ERR Number of keys can't be greater than number of args",
	"SINTERCARD 1 s LIMIT -1":                       "ERR LIMIT can't be negative",
	"SINTERCARD 1 s LIMIT x":                        "ERR LIMIT can't be negative",
	"SINTERCARD 1 s FOO 1":                          errArgSyntax,
	"SINTERCARD 1 s LIMIT":                          errArgSyntax,
	"SINTERCARD 2 s t LIMIT 0":                      "",
	"LPOP l -1":                                     errArgPositive,
	"LPOP l x":                                      errArgPositive,
	"LPOP l 1 2":                                    "ERR wrong number of arguments for 'lpop' command",
	"RPOP l 0":                                      "",
	"LINSERT l MIDDLE a b":                          errArgSyntax,
	"LINSERT l before a b":                          "",
	"LSET l x a":                                    errArgNotInt,
	"LINDEX l x":                                    errArgNotInt,
	"LTRIM l x 1":                                   errArgNotInt,
	"LREM l x a":                                    errArgNotInt,
	"LRANGE l x 1":                                  errArgNotInt,
	"LRANGE l -4 4":                                 "",
	"LPOS l a RANK 0":                               "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
	"LPOS l a RANK x":                               errArgNotInt,
	"LPOS l a COUNT -1":                             "ERR COUNT can't be negative",
	"LPOS l a MAXLEN -1":                            "ERR MAXLEN can't be negative",
	"LPOS l a FOO 1":                                errArgSyntax,
	"LPOS l a RANK":                                 errArgSyntax,
	"LPOS l a RANK -2 COUNT 0 MAXLEN 3":             "",
	"LMOVE l m UP LEFT":                             errArgSyntax,
	"LMOVE l m LEFT UP":                             errArgSyntax,
	"LMOVE l m left RIGHT":                          "",
	"LMPOP 0 l LEFT":                                errArgNumkeys,
	"LMPOP x l LEFT":                                errArgNumkeys,
	"LMPOP 1 l MIDDLE":                              errArgSyntax,
	"LMPOP 1 l LEFT COUNT 0":                        "ERR count should be greater than 0",
	"LMPOP 1 l LEFT COUNT x":                        "ERR count should be greater than 0",
	"LMPOP 1 l LEFT COUNT 1 COUNT 1":                errArgSyntax,
	"LMPOP 1 l LEFT FOO":                            errArgSyntax,
	"LMPOP 1 l LEFT COUNT":                          errArgSyntax,
	"LMPOP 2 l m RIGHT COUNT 3":                     "",
	"BLPOP l -1":                                    "ERR timeout is negative",
	"BLPOP l x":                                     "ERR timeout is not a float or out of range",
	"BLPOP l inf":                                   "ERR timeout is negative",
	"BLPOP l 1e30":                                  "ERR timeout is negative",
	"BRPOP l m 0.01":                                "",
	"BLMOVE l m UP LEFT 0.1":                        errArgSyntax,
	"BLMOVE l m LEFT LEFT -1":                       "ERR timeout is negative",
	"BLMOVE l m LEFT RIGHT 0.5":                     "",
	"BLMPOP 0.1 1 l MIDDLE":                         errArgSyntax,
	"BLMPOP x 1 l LEFT":                             "ERR timeout is not a float or out of range",
	"BLMPOP 1 2 l m LEFT COUNT 2":                   "",
	"BRPOPLPUSH l m -1":                             "ERR timeout is negative",
	"INCRBYFLOAT f abc":                             errArgFloat,
	"INCRBYFLOAT f nan":                             errArgFloat,
	"SRANDMEMBER s x 2":                             errArgSyntax,
	"HRANDFIELD h x FOO":                            errArgNotInt,
	"BLMPOP -1 1 l LEFT COUNT 0":                    "ERR count should be greater than 0",
	"ZADD z NX XX 1 a":                              "ERR XX and NX options at the same time are not compatible",
	"ZADD z GT LT 1 a":                              "ERR GT, LT, and/or NX options at the same time are not compatible",
	"ZADD z NX GT 1 a":                              "ERR GT, LT, and/or NX options at the same time are not compatible",
	"ZADD z INCR 1 a 2 b":                           "ERR INCR option supports a single increment-element pair",
	"ZADD z x a":                                    errArgFloat,
	"ZADD z nan a":                                  errArgFloat,
	"ZADD z 1 a 2":                                  errArgSyntax,
	"ZADD z CH 1":                                   errArgSyntax,
	"ZADD z XX GT CH 1 a -inf b":                    "",
	"ZADD z INCR 0.1 a":                             "",
	"ZINCRBY z x a":                                 errArgFloat,
	"ZINCRBY z nx a":                                errArgSyntax,
	"ZINCRBY z 0.5 a":                               "",
	"ZREM z a b":                                    "",
	"ZRANGE z 0 -1 LIMIT 0 1":                       "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
	"ZRANGE z 0 1 LIMIT 0 -1":                       "",
	"ZRANGE z x 1":                                  errArgNotInt,
	"ZRANGE z (x 1 BYSCORE":                         "ERR min or max is not a float",
	"ZRANGE z (1 +inf BYSCORE REV LIMIT 0 2":        "",
	"ZRANGE z 0 1 REV REV":                          errArgSyntax,
	"ZRANGE z 0 1 BYSCORE BYLEX":                    errArgSyntax,
	"ZRANGE z 0 1 LIMIT x 1":                        errArgNotInt,
	"ZRANGE z 0 1 LIMIT 0":                          errArgSyntax,
	"ZRANGE z:lex a b BYLEX":                        "ERR min or max not valid string range item",
	"ZRANGE z:lex [a (b BYLEX WITHSCORES":           "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
	"ZRANGE z:lex [b - BYLEX REV":                   "",
	"ZREVRANGE z 0 -1 WITHSCORES":                   "",
	"ZREVRANGE z 0 1 REV":                           errArgSyntax,
	"ZRANGEBYSCORE z x 1":                           "ERR min or max is not a float",
	"ZRANGEBYSCORE z 0 1 REV":                       errArgSyntax,
	"ZRANGEBYSCORE z -inf (2 WITHSCORES LIMIT 1 -1": "",
	"ZREVRANGEBYSCORE z 0.5 (0 LIMIT 0 1":           "",
	"ZRANGEBYLEX z:lex a [b":                        "ERR min or max not valid string range item",
	"ZRANGEBYLEX z:lex [a (b WITHSCORES":            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
	"ZREVRANGEBYLEX z:lex [b [a LIMIT 0 1":          "",
	"ZRANGEBYLEX z:lex [a [b LIMIT 0":               errArgSyntax,
	"ZRANGESTORE d z 0 1 LIMIT 0 1":                 "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
	"ZRANGESTORE d z 0 1 LIMIT 0 -1":                "",
	"ZRANGESTORE d z 0 1 WITHSCORES":                errArgSyntax,
	"ZRANGESTORE d z:lex a [b BYLEX":                "ERR min or max not valid string range item",
	"ZRANGESTORE d z (2 -inf BYSCORE REV LIMIT 1 2": "",
	"ZCOUNT z x 1":                                  "ERR min or max is not a float",
	"ZCOUNT z (0 +inf":                              "",
	"ZLEXCOUNT z:lex a [b":                          "ERR min or max not valid string range item",
	"ZLEXCOUNT z:lex - +":                           "",
	"ZREMRANGEBYLEX z:lex a [b":                     "ERR min or max not valid string range item",
	"ZREMRANGEBYSCORE z x 1":                        "ERR min or max is not a float",
	"ZREMRANGEBYRANK z x 1":                         errArgNotInt,
	"ZREMRANGEBYRANK z -2 2":                        "",
	"BZPOPMIN z -1":                                 "ERR timeout is negative",
	"BZPOPMAX y z x":                                "ERR timeout is not a float or out of range",
	"BZPOPMIN y z 0.5":                              "",
	"BZMPOP 1 1 z MIN COUNT 0":                      "ERR count should be greater than 0",
	"BZMPOP -1 1 z MIN COUNT 0":                     "ERR count should be greater than 0",
	"BZMPOP -1 1 z MIN":                             "ERR timeout is negative",
	"BZMPOP 0.1 1 z MIN COUNT 2 COUNT 1":            errArgSyntax,
	"BZMPOP 0.1 2 y z MAX COUNT 2":                  "",
	"ZMPOP 1 z MIN COUNT 0":                         "ERR count should be greater than 0",
	"ZMPOP 1 z MIDDLE":                              errArgSyntax,
	"ZMPOP 1 z MIN FOO":                             errArgSyntax,
	"ZMPOP 0 z MIN":                                 errArgNumkeys,
	"ZMPOP 2 y z max COUNT 3":                       "",
	"ZPOPMIN z -1":                                  errArgPositive,
	"ZPOPMIN z x":                                   errArgPositive,
	"ZPOPMAX z 1 2":                                 errArgSyntax,
	"ZPOPMAX z 0":                                   "",
	"ZRANDMEMBER z x":                               errArgNotInt,
	"ZRANDMEMBER z -9223372036854775808":            errArgLongMin,
	"ZRANDMEMBER z 9223372036854775807 WITHSCORES":  "ERR value is out of range",
	"ZRANDMEMBER z 1 FOO":                           errArgSyntax,
	"ZRANDMEMBER z -3 WITHSCORES":                   "",
	"ZSCAN z 0 COUNT 100":                           "",
	"ZUNION 0 z":                                    "ERR at least 1 input key is needed for 'zunion' command",
	"ZUNION x z":                                    errArgNotInt,
	"ZUNION 3 z":                                    errArgSyntax,
	"ZUNIONSTORE d 0 z":                             "ERR at least 1 input key is needed for 'zunionstore' command",
	"ZINTER 2 z y WEIGHTS 2 0.5 AGGREGATE MAX WITHSCORES": "",
	"ZDIFFSTORE d 2 z y":               "",
	"ZINTERCARD 0 z":                   "ERR at least 1 input key is needed for 'zintercard' command",
	"ZINTERCARD x z":                   errArgNotInt,
	"ZINTERCARD 3 z":                   errArgSyntax,
	"ZINTERCARD 2 z y LIMIT 1":         "",
	"COPY f g DB 99":                   errArgDBRange,
	"COPY f g DB x":                    errArgNotInt,
	"COPY f g DB 3000000000":           errArgIntRange,
	"COPY f g DB 99 FOO":               errArgDBRange,
	"COPY f g FOO":                     errArgSyntax,
	"COPY f g DB":                      errArgSyntax,
	"COPY f f":                         errSameObject,
	"COPY f f DB 9 REPLACE":            "",
	"MOVE f 99":                        errArgDBRange,
	"MOVE f x":                         errArgNotInt,
	"MOVE f 3000000000":                errArgIntRange,
	"MOVE f 9":                         "",
	"RESTORE n 0 xx FOO":               errArgSyntax,
	"RESTORE f 0 xx IDLETIME -1":       "ERR Invalid IDLETIME value, must be >= 0",
	"RESTORE f 0 xx IDLETIME x":        errArgNotInt,
	"RESTORE f 0 xx FREQ 256":          "ERR Invalid FREQ value, must be >= 0 and <= 255",
	"RESTORE f 0 xx FREQ 1 IDLETIME 1": errArgSyntax,
	"RESTORE f 0 xx IDLETIME 1 FREQ 1": errArgSyntax,
	"RESTORE f 0 xx REPLACE IDLETIME":  errArgSyntax,
	"OBJECT ENCODING f":                "",
	"OBJECT REFCOUNT f":                "",
	"TOUCH f g":                        "",
	"EXPIRETIME f":                     "",
	"PEXPIRETIME f":                    "",
	"SETBIT b 7 1":                     "",
	"GETBIT b 300":                     "",
	"BITCOUNT f 0 -1 BIT":              "",
	"BITCOUNT f":                       "",
	"BITPOS f 1 0 -1 BYTE":             "",
	"BITPOS f 0 -3":                    "",
	"BITOP NOT d f":                    "",
	"BITOP xor d f g":                  "",
	"BITFIELD b GET i8 0 OVERFLOW SAT INCRBY u63 #1 -100 SET i64 #2 9223372036854775807": "",
	"BITFIELD_RO b GET u1 39 GET i16 #3":                                                 "",
	"SUBSTR f -4 7":                                                                      "",
	"SORT l ALPHA LIMIT 0 -1 DESC":                                                       "",
	"SORT_RO s BY nosort GET #":                                                          "",
}

// The args functions predict the errors of argErrorCases.
func TestArgErrorsAsRedis(t *testing.T) {
	for line, want := range argErrorCases {
		args := strings.Fields(line)
		c := lookupCmd(args)
		if assert.NotNil(t, c, line) && assert.NotNil(t, c.args, line) {
			assert.Equal(t, want, c.args(args), line)
		}
	}
}

// Every command of the registry opts into the strict rules, but LCS:
// on a key that holds no string it answers an error of its own ("ERR The
// specified keys must contain string values"), not WRONGTYPE, which the
// strict rules do not know how to excuse on a command of two keys.
func TestStrictCommandsOptIn(t *testing.T) {
	for name, c := range commands {
		if name != "LCS" {
			assert.NotNil(t, c.args, name)
		}
	}
}
