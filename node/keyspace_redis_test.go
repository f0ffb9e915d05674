package node_test

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// TestBitsVsRedis runs the bit commands' paths against redis-server.
func TestBitsVsRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"SETBIT b 7 1", "SETBIT b 7 1", "SETBIT b 100 0", "GET b", "OBJECT ENCODING b", "GETBIT b 7", "GETBIT b 1000",
		"SETBIT b -1 1", "SETBIT b 4294967296 1", "SETBIT b 1 2", "SETBIT b 1 x", "GETBIT b x",
		"SET n 123", "SETBIT n 0 0", "OBJECT ENCODING n", "SET n 123", "GETBIT n 2", "OBJECT ENCODING n",
		"BITCOUNT n", "BITCOUNT n 0 -1", "BITCOUNT n 1 1 BIT", "BITCOUNT n 0 10 bit", "BITCOUNT n 3 21 bit",
		"BITCOUNT n -5 -1 bit", "BITCOUNT n -1 -5", "BITCOUNT n -100 -200", "BITCOUNT n 0", "BITCOUNT n 0 1 foo",
		"BITCOUNT n a 1", "BITCOUNT nokey", "BITCOUNT n 0 1 bit x",
		"SET ones \xff\xff", "BITPOS ones 0", "BITPOS ones 0 0 -1", "BITPOS ones 0 0", "BITPOS ones 0 1 bit",
		"BITPOS ones 0 1 14 bit", "BITPOS ones 1 3 5 bit", "BITPOS ones 2", "BITPOS nokey 0", "BITPOS nokey 1",
		"SET s \xff\xf0\x00", "BITPOS s 0", "BITPOS s 1", "BITPOS s 0 1", "BITPOS s 0 2 -1", "BITPOS s 1 2 -1",
		"BITPOS s 0 0 7 bit", "BITPOS s 0 0 11 bit", "BITPOS s 0 0 12 bit", "BITPOS s 1 12 100 bit", "BITPOS s 0 3 6 bit",
		"BITPOS s 1 0 1 bar", "BITPOS s 1 -1 -2", "BITPOS s 1 x",
		"SET a foobar", "SET b2 abcdef", "SET t tmp PX 100000", "BITOP AND t a b2", "GET t", "PTTL t", "OBJECT ENCODING t",
		"BITOP or t a b2 nokey", "GET t", "BITOP XOR t a b2", "GET t", "BITOP NOT t a", "GET t",
		"BITOP NOT t a b2", "BITOP nand t a", "BITOP AND t nokey nokey2", "EXISTS t", "BITOP AND t nokey",
		"HSET h f v", "BITOP AND t a h", "SETBIT h 0 1", "GETBIT h 0", "BITCOUNT h", "BITPOS h 1",
		"BITFIELD bf SET i8 0 100 GET i8 0 INCRBY i8 0 100",
		"BITFIELD bf OVERFLOW SAT INCRBY i8 0 100 OVERFLOW FAIL INCRBY i8 0 100 OVERFLOW WRAP INCRBY u2 100 1",
		"BITFIELD bf SET u8 #1 255 GET u8 #1 GET i4 #3 GET u63 0 GET i64 0", "BITFIELD bf GET u64 0",
		"BITFIELD bf GET i65 0", "BITFIELD bf GET x8 0", "BITFIELD bf OVERFLOW foo", "BITFIELD bf GET i8",
		"BITFIELD bf bogus", "BITFIELD bf SET i8 -1 1", "BITFIELD bf SET i8 #-1 1", "BITFIELD bf INCRBY i8 0 x",
		"BITFIELD_RO bf GET i8 0", "BITFIELD_RO bf SET i8 0 1", "BITFIELD nokey GET i8 0", "BITFIELD bf",
		"BITFIELD bf INCRBY u8 0 -300 INCRBY i16 0 -40000 OVERFLOW SAT INCRBY u8 0 -300 SET i3 0 100 SET u3 0 -1",
		"BITFIELD bf OVERFLOW SAT INCRBY i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW WRAP INCRBY i64 0 1",
		"BITFIELD bf OVERFLOW SAT SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY u63 0 -1",
		"GET bf", "BITFIELD h GET i8 0", "BITFIELD_RO h GET i8 0",
	)
}

// TestBitfieldMatchesRedis compares random BITFIELD operations.
func TestBitfieldMatchesRedis(t *testing.T) {
	v := newVsRedis(t)
	types := []string{"i1", "u1", "i3", "u7", "i8", "u8", "i13", "u16", "i32", "u32", "i63", "u63", "i64"}
	rapid.Check(t, func(rt *rapid.T) {
		args := []string{"BITFIELD", "bf"}
		for n := rapid.IntRange(1, 4).Draw(rt, "ops"); n > 0; n-- {
			typ := rapid.SampledFrom(types).Draw(rt, "type")
			off := strconv.Itoa(rapid.IntRange(0, 80).Draw(rt, "offset"))
			val := strconv.FormatInt(rapid.Int64().Draw(rt, "value"), 10)
			switch rapid.IntRange(0, 3).Draw(rt, "op") {
			case 0:
				args = append(args, "GET", typ, off)
			case 1:
				args = append(args, "SET", typ, off, val)
			case 2:
				args = append(args, "INCRBY", typ, off, val)
			default:
				args = append(args, "OVERFLOW", rapid.SampledFrom([]string{"WRAP", "SAT", "FAIL"}).Draw(rt, "ow"))
			}
		}
		v.same(args...)
		v.same("GET", "bf")
	})
}

// TestBitposBitcountMatchRedis compares BITPOS and BITCOUNT over random
// strings and ranges.
func TestBitposBitcountMatchRedis(t *testing.T) {
	v := newVsRedis(t)
	rapid.Check(t, func(rt *rapid.T) {
		b := rapid.SliceOfN(rapid.SampledFrom([]byte{0, 0xff, 0x0f, 0xf0, 0x80, 0x01, 0x55}), 1, 12).Draw(rt, "bytes")
		v.same("SET", "s", string(b))
		idx := rapid.IntRange(-100, 100)
		s, e := strconv.Itoa(idx.Draw(rt, "start")), strconv.Itoa(idx.Draw(rt, "end"))
		unit := rapid.SampledFrom([]string{"BIT", "BYTE"}).Draw(rt, "unit")
		bit := rapid.SampledFrom([]string{"0", "1"}).Draw(rt, "bit")
		v.same("BITCOUNT", "s", s, e, unit)
		v.same("BITPOS", "s", bit, s, e, unit)
		v.same("BITPOS", "s", bit, s, e)
		v.same("BITPOS", "s", bit, s)
	})
}

// TestLCSVsRedis compares LCS and its options.
func TestLCSVsRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"SET l1 ohmytext", "SET l2 mynewtext", "LCS l1 l2", "LCS l1 l2 LEN", "LCS l1 l2 IDX",
		"LCS l1 l2 IDX MINMATCHLEN 4", "LCS l1 l2 IDX MINMATCHLEN 4 WITHMATCHLEN", "LCS l1 l2 idx withmatchlen",
		"LCS l1 l2 LEN IDX", "LCS l1 l2 foo", "LCS l1 l2 MINMATCHLEN x", "LCS l1 l2 MINMATCHLEN -3 IDX",
		"LCS l1 l2 MINMATCHLEN", "LCS l1 nokey", "LCS nokey nokey IDX", "HSET h f v", "LCS l1 h", "LCS h nokey",
		"SET n 12345", "SET m 2x4", "LCS n m IDX WITHMATCHLEN",
	)
	rapid.Check(t, func(rt *rapid.T) {
		alpha := rapid.StringOfN(rapid.RuneFrom([]rune("abc")), 0, 12, -1)
		v.same("SET", "a", alpha.Draw(rt, "a"))
		v.same("SET", "b", alpha.Draw(rt, "b"))
		v.same("LCS", "a", "b", "IDX", "WITHMATCHLEN")
		v.same("LCS", "a", "b")
	})
}

// TestCopyMoveDumpVsRedis compares COPY, MOVE, SWAPDB, TOUCH, OBJECT and
// DUMP across the types the node has.
func TestCopyMoveDumpVsRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"SET n 123", "SET s hello", "HSET h a 1 b 2", "SADD is 1 2 3", "SADD ts a", "SET big 12345678901234567890123",
		"DUMP n", "DUMP s", "DUMP h", "DUMP is", "DUMP ts", "DUMP big", "DUMP nokey",
		"COPY n n2", "OBJECT REFCOUNT n2", "OBJECT ENCODING n2", "COPY s s2 DB 1", "COPY h h2", "OBJECT ENCODING h2",
		"COPY is is2 DB 3 REPLACE", "COPY n n2", "COPY n n2 REPLACE", "COPY n n", "COPY n x DB 16", "COPY n x DB y",
		"COPY n x REPLACE y", "COPY nokey x", "MOVE s 1", "MOVE s2 1", "MOVE n 0", "MOVE n x", "MOVE n 99",
		"SWAPDB 0 1", "DBSIZE", "GET s", "SWAPDB 0 1", "SWAPDB 0 x", "SWAPDB y 0", "SWAPDB 0 99", "TOUCH n h nokey n",
		"OBJECT HELP", "OBJECT FREQ n", "OBJECT FOO n", "OBJECT ENCODING nokey", "OBJECT IDLETIME nokey",
		"DEBUG DIGEST", "SELECT 1", "DEBUG DIGEST", "SELECT 3", "DEBUG DIGEST",
	)
}

// TestBitfieldFailStillCreates: a BITFIELD whose writes all fail with
// OVERFLOW FAIL still creates (or pads) the string, as Redis does.
func TestBitfieldFailStillCreates(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines("BITFIELD bf OVERFLOW FAIL INCRBY u8 64 300", "GET bf", "OBJECT ENCODING bf",
		"SET x ab", "BITFIELD x OVERFLOW FAIL SET i4 100 9", "GET x")
}

// TestSortVsRedis compares SORT and SORT_RO over sets, with BY and GET
// patterns on strings and hashes, LIMIT, ALPHA and DESC.
func TestSortVsRedis(t *testing.T) {
	v := newVsRedis(t)
	v.sameLines(
		"SADD is 3 1 2 10 -5", "SADD ws b a c 10 2", "SADD fs 1.5 -2 1e3 0x10 inf", "SADD bad 1 x",
		"SET w_1 30", "SET w_2 20", "SET w_3 10", "SET w_10 5", "SET w_-5 5",
		"HSET o_1 n one k 9", "HSET o_2 n two k 8", "HSET o_3 n three", "HSET o_10 k 1",
		"SORT is", "SORT is DESC", "SORT is LIMIT 1 2", "SORT is LIMIT -1 2", "SORT is LIMIT 2 -1", "SORT is LIMIT 10 1",
		"SORT is LIMIT 0 0", "SORT is BY w_*", "SORT is BY w_* DESC", "SORT is BY w_* GET # GET o_*->n GET w_*",
		"SORT is BY o_*->k", "SORT is BY o_*->k GET o_*->n", "SORT is BY nosort GET w_*", "SORT is BY nosort LIMIT 1 2",
		"SORT ws ALPHA", "SORT ws ALPHA DESC LIMIT 1 3", "SORT ws", "SORT fs", "SORT fs DESC", "SORT bad",
		"SORT is ALPHA BY w_*", "SORT is GET", "SORT is LIMIT 1", "SORT is LIMIT x 1", "SORT is BOGUS",
		"SORT is GET w_", "SORT is GET #", "SORT nokey", "SORT nokey BY w_* GET #", "SET str x", "SORT str",
		"HSET h a 1", "SORT h", "SORT_RO is DESC", "SORT_RO is STORE dst", "SORT_RO is BY w_* GET # GET w_*",
		"SORT is BY w_* STORE", "SORT ws BY nosort STORE", "SORT nokey STORE dst", "EXISTS dst",
	)
}
