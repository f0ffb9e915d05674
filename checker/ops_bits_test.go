package checker

import "testing"

// Each bit command's model accepts a true history and rejects it with one
// reply corrupted. "a" is 0x61, bits 01100001.
func TestBitsModel(t *testing.T) {
	runTypedCases(t, []typedCase{
		{"GETBIT of a string's bits", seq(setOp("k", "a"), rc(1, "GETBIT", "k", "1"), rc(0, "GETBIT", "k", "4"), rc(0, "GETBIT", "k", "900")),
			func(ops []Op) { ops[2].Int = 1 }},
		{"SETBIT answers the old bit and grows the string", seq(setOp("k", "a"), rc(1, "SETBIT", "k", "7", "0"), rc(0, "SETBIT", "k", "8", "1"), getOp("k", "`\x80", true)),
			func(ops []Op) { ops[3].Result = "a\x80" }},
		{"SETBIT 0 creates the key", seq(rc(0, "SETBIT", "k", "3", "0"), getOp("k", "\x00", true)),
			func(ops []Op) { ops[1].Exists = false }},
		{"BITCOUNT with ranges", seq(setOp("k", "aa"), rc(6, "BITCOUNT", "k"), rc(3, "BITCOUNT", "k", "-1", "-1"), rc(2, "BITCOUNT", "k", "1", "2", "BIT"), rc(0, "BITCOUNT", "k", "-1", "-2")),
			func(ops []Op) { ops[3].Int = 3 }},
		{"BITPOS", seq(setOp("k", "a"), rc(1, "BITPOS", "k", "1"), rc(0, "BITPOS", "k", "0"), rc(7, "BITPOS", "k", "1", "3", "7", "BIT"), rc(-1, "BITPOS", "k", "0", "1", "2", "BIT"), rc(-1, "BITPOS", "m", "1")),
			func(ops []Op) { ops[4].Int = 8 }},
		{"BITPOS 0 past a full string", seq(setOp("k", "\xff"), rc(8, "BITPOS", "k", "0"), rc(-1, "BITPOS", "k", "0", "0", "0")),
			func(ops []Op) { ops[2].Int = 8 }},
		{"BITFIELD GET, INCRBY WRAP, SET", seq(setOp("k", "a"), arr([]string{"6", "0", "1"}, "BITFIELD", "k", "GET", "u4", "0", "INCRBY", "u4", "0", "10", "SET", "i4", "#1", "7"), getOp("k", "\x07", true)),
			func(ops []Op) { ops[1].Items[1].Str = "16" }},
		{"BITFIELD SAT", seq(setOp("k", "a"), arr([]string{"7"}, "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i4", "0", "100"), getOp("k", "q", true)),
			func(ops []Op) { ops[1].Items[0].Str = "-8" }},
		{"BITFIELD FAIL writes nothing", seq(setOp("k", "a"), Op{Kind: OpCmd, Key: "k", Args: []string{"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"}, Items: []Item{{Nil: true}}}, getOp("k", "a", true)),
			func(ops []Op) { ops[1].Items[0] = Item{Str: "1"} }},
		{"BITFIELD_RO", seq(setOp("k", "a"), arr([]string{"-16"}, "BITFIELD_RO", "k", "GET", "i6", "1")),
			func(ops []Op) { ops[1].Items[0].Str = "48" }},
		{"BITOP empty result deletes the destination", seq(setOp("d", "x"), rc(0, "BITOP", "AND", "d", "x", "y"), Op{Kind: OpExists, Key: "d", Int: 0}),
			func(ops []Op) { ops[2].Int = 1 }},
		{"BITOP reply covers each source", seq(setOp("x", "abc"), rc(3, "BITOP", "OR", "d", "x", "y")),
			func(ops []Op) { ops[1].Int = 2 }},
		{"LCS is a subsequence of each", seq(setOp("a", "ohmytext"), setOp("b", "mynewtext"), bulk("mytext", true, "LCS", "a", "b"), rc(6, "LCS", "a", "b", "LEN")),
			func(ops []Op) { ops[2].Result = "mynext" }},
		{"LCS IDX ranges", seq(setOp("a", "ohmytext"), setOp("b", "mynewtext"),
			arr([]string{"matches", "4", "7", "5", "8", "4", "2", "3", "0", "1", "2", "len", "6"}, "LCS", "a", "b", "IDX", "WITHMATCHLEN")),
			func(ops []Op) { ops[2].Items[1].Str = "5" }},
		{"SUBSTR", seq(setOp("k", "hello"), bulk("ell", true, "SUBSTR", "k", "1", "-2")),
			func(ops []Op) { ops[1].Result = "ello" }},
	})
}
