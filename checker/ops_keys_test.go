package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
)

func errOp(err string, args ...string) Op {
	op := rc(0, args...)
	op.Err = err
	return op
}

// Each key command's model accepts a true history and rejects it with one
// reply corrupted.
func TestKeysModel(t *testing.T) {
	str := EncodeDump(tap.TypeString, "hi", DumpVersion)
	set := EncodeDump(tap.TypeSet, tap.EncodeSet([]string{"b", "a"}), DumpVersion)
	bad := EncodeDump(tap.TypeString, "hi", DumpVersion+1)
	runTypedCases(t, []typedCase{
		{"RESTORE then GET", seq(rc(1, "RESTORE", "k", "0", str), getOp("k", "hi", true)),
			func(ops []Op) { ops[1].Result = "ho" }},
		{"RESTORE onto a key needs REPLACE", seq(setOp("k", "x"), errOp("BUSYKEY Target key name already exists.", "RESTORE", "k", "0", str), rc(1, "RESTORE", "k", "0", set, "REPLACE"), arr([]string{"a", "b"}, "SMEMBERS", "k")),
			func(ops []Op) { ops[0].Kind = OpDel }},
		{"RESTORE of a bad payload", seq(errOp("ERR DUMP payload version or checksum are wrong", "RESTORE", "k", "0", bad), getOp("k", "", false)),
			func(ops []Op) { ops[0].Args[3] = str }},
		{"RESTORE of a hash ziplist then HGET", seq(rc(1, "RESTORE", "h", "0", EncodeDumpAs(tap.TypeHash, tap.EncodeHash([][2]string{{"f", "300"}}), 9, DumpLayout{Ziplist: true})), bulk("300", true, "HGET", "h", "f")),
			func(ops []Op) { ops[1].Result = "30" }},
		{"RESTORE of a broken ziplist", seq(errOp("ERR Bad data format", "RESTORE", "l", "0", EncodeDumpAs(tap.TypeList, tap.EncodeList([]string{"a"}), 9, DumpLayout{Break: ZiplistBytes})), rc(0, "EXISTS", "l")),
			func(ops []Op) {
				ops[0].Args[3] = EncodeDumpAs(tap.TypeList, tap.EncodeList([]string{"a"}), 9, DumpLayout{})
			}},
		{"RESTORE ABSTTL in the past stores nothing", seq(setOp("k", "x"), rc(1, "RESTORE", "k", "5", str, "REPLACE", "ABSTTL"), getOp("k", "", false)),
			func(ops []Op) { ops[1].Args = ops[1].Args[:5] }},
		{"COPY", seq(setOp("a", "1"), rc(1, "COPY", "a", "b"), rc(0, "COPY", "a", "b"), rc(1, "COPY", "a", "b", "REPLACE")),
			func(ops []Op) { ops[3].Int = 0 }},
		{"COPY of no key", seq(rc(0, "COPY", "a", "b", "REPLACE"), getOp("b", "", false)),
			func(ops []Op) { ops[0].Int = 1 }},
		{"DUMP", seq(bulk("", false, "DUMP", "k"), setOp("k", "hi"), bulk(str, true, "DUMP", "k")),
			func(ops []Op) { ops[2].Result = bad }},
		{"OBJECT ENCODING", seq(rc(2, "SADD", "s", "1", "2"), bulk("intset", true, "OBJECT", "ENCODING", "s")),
			func(ops []Op) { ops[1].Result = "embstr" }},
		{"TOUCH", seq(setOp("a", "1"), rc(1, "TOUCH", "a"), rc(1, "TOUCH", "a", "b")),
			func(ops []Op) { ops[1].Int = 0 }},
		{"EXPIRETIME", seq(rc(-2, "EXPIRETIME", "a"), setOp("a", "1"), rc(-1, "PEXPIRETIME", "a")),
			func(ops []Op) { ops[2].Int = -2 }},
		{"SORT numeric", seq(rc(3, "SADD", "s", "10", "9", "-1"), arr([]string{"-1", "9", "10"}, "SORT", "s"), arr([]string{"9", "10", "-1"}, "SORT", "s", "ALPHA", "DESC")),
			func(ops []Op) { ops[1].Items[1].Str = "10" }},
		{"SORT LIMIT", seq(rc(3, "SADD", "s", "3", "1", "2"), arr([]string{"2", "3"}, "SORT_RO", "s", "LIMIT", "1", "5"), arr(nil, "SORT", "s", "LIMIT", "3", "1")),
			func(ops []Op) { ops[1].Items = ops[1].Items[:1] }},
		{"SORT of words fails unless ALPHA", seq(rc(1, "SADD", "s", "m1"), errOp("ERR One or more scores can't be converted into double", "SORT", "s")),
			func(ops []Op) { ops[0].Args[2] = "1" }},
		{"SORT STORE counts", seq(rc(2, "SADD", "s", "3", "1"), rc(4, "SORT", "s", "GET", "#", "GET", "#", "STORE", "d"), Op{Kind: OpExists, Key: "d", Int: 1}),
			func(ops []Op) { ops[1].Int = 2 }},
	})
}

// MOVE and COPY ... DB write a key of another db, which the model follows
// as "dN:"+name.
func TestMoveModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"MOVE deletes the source", seq(setOp("a", "1"), rc(1, "MOVE", "a", "9"), getOp("a", "", false), rc(0, "MOVE", "a", "9")),
			func(ops []Op) { ops[2].Exists = true }},
		{"MOVE onto an existing key moves nothing", seq(setOp("a", "1"), rc(1, "MOVE", "a", "9"), setOp("a", "2"), rc(0, "MOVE", "a", "9"), getOp("a", "2", true)),
			func(ops []Op) { ops[3].Int = 1 }},
		{"COPY DB REPLACE copies an existing key", seq(setOp("a", "1"), rc(1, "MOVE", "a", "9"), setOp("a", "2"), rc(0, "COPY", "a", "a", "DB", "9"), rc(1, "COPY", "a", "a", "DB", "9", "REPLACE")),
			func(ops []Op) { ops[4].Int = 0 }},
	})
	op := rc(1, "MOVE", "a", "9")
	parts := cmdParts(op)
	if len(parts) != 2 || parts[1].Key != "d9:a" || parts[1].DB != 9 {
		t.Fatalf("MOVE's parts: %+v", parts)
	}
}
