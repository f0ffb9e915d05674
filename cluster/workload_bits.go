package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// drawBits draws a bit command on op.Key, a key of the string commands
// ("kN"): bitmaps are strings, so the bit commands meet the values SET,
// INCR and APPEND leave (and those commands meet bitmaps). Offsets stay
// within a few bytes so commands meet on the same bits; ranges cover
// negative indices and both units; BITFIELD mixes types, # offsets and
// overflow policies; LCS and SUBSTR read the same strings.
func drawBits(r *sim.Rand, op *checker.Op, keys int) {
	k := op.Key
	off := func() string {
		if r.IntN(10) == 0 {
			return itoa(r.IntN(300))
		}
		return itoa(r.IntN(40))
	}
	idx := func() string { return itoa(r.IntN(12) - 4) }
	switch x := r.IntN(100); {
	case x < 18:
		cmd(op, "SETBIT", k, off(), itoa(r.IntN(2)))
	case x < 28:
		cmd(op, "GETBIT", k, off())
	case x < 38:
		cmd(op, "BITCOUNT", k)
		if r.Chance(0.6) {
			op.Args = append(op.Args, idx(), idx())
			if r.Chance(0.5) {
				op.Args = append(op.Args, []string{"BYTE", "BIT"}[r.IntN(2)])
			}
		}
	case x < 48:
		cmd(op, "BITPOS", k, itoa(r.IntN(2)))
		if r.Chance(0.6) {
			op.Args = append(op.Args, idx())
			if r.Chance(0.6) {
				op.Args = append(op.Args, idx())
				if r.Chance(0.5) {
					op.Args = append(op.Args, []string{"BYTE", "BIT"}[r.IntN(2)])
				}
			}
		}
	case x < 58 && keys > 1:
		drawBitop(r, op, keys)
	case x < 76:
		drawBitfield(r, op, false)
	case x < 80:
		drawBitfield(r, op, true)
	case x < 86 && keys > 1:
		cmd(op, "LCS", k, otherKey(r, k, keys))
		switch r.IntN(4) {
		case 0:
			op.Args = append(op.Args, "LEN")
		case 1, 2:
			op.Args = append(op.Args, "IDX")
			if r.Chance(0.5) {
				op.Args = append(op.Args, "MINMATCHLEN", itoa(r.IntN(3)))
			}
			if r.Chance(0.5) {
				op.Args = append(op.Args, "WITHMATCHLEN")
			}
		}
	case x < 90:
		cmd(op, "SUBSTR", k, idx(), idx())
	case x < 95:
		op.Kind, op.By, op.Int2 = checker.OpGetRange, int64(r.IntN(9)-3), int64(r.IntN(12)-3)
	default:
		op.Kind, op.Value = checker.OpAppend, []string{"\x00", "\xff", "a", "\x0f\xf0"}[r.IntN(4)]
	}
}

// drawBitop draws BITOP over two or three distinct keys: NOT of one
// source, AND/OR/XOR of one or two; sources that do not exist make an
// empty result that deletes the destination.
func drawBitop(r *sim.Rand, op *checker.Op, keys int) {
	name := []string{"AND", "OR", "XOR", "NOT"}[r.IntN(4)]
	n := 1
	if name != "NOT" && keys > 2 && r.Chance(0.6) {
		n = 2
	}
	others := siblingKeys(r, op.Key, keys, n)
	cmd(op, append([]string{"BITOP", name, op.Key}, others...)...)
}

// drawBitfield draws BITFIELD (or BITFIELD_RO, GETs only) with one to
// three subcommands. A BITFIELD whose writes all fail under OVERFLOW FAIL
// still grows (or creates) the string but Redis 7.0 does not propagate
// it, so replicas would miss the growth: one that draws FAIL always ends
// with a write under WRAP, which cannot fail.
func drawBitfield(r *sim.Rand, op *checker.Op, ro bool) {
	name := "BITFIELD"
	if ro {
		name = "BITFIELD_RO"
	}
	cmd(op, name, op.Key)
	field := func() (string, string) {
		typ := []string{"i", "u"}[r.IntN(2)] + itoa(1+r.IntN(16))
		if r.IntN(6) == 0 {
			typ = []string{"i64", "u63", "i32", "u1"}[r.IntN(4)]
		}
		if r.IntN(3) == 0 {
			return typ, "#" + itoa(r.IntN(4))
		}
		return typ, itoa(r.IntN(40))
	}
	value := func() string {
		if r.IntN(5) == 0 {
			return []string{"9223372036854775807", "-9223372036854775808", "255", "-129", "65536"}[r.IntN(5)]
		}
		return itoa(r.IntN(300) - 100)
	}
	fail := false
	for n := 1 + r.IntN(3); n > 0; n-- {
		typ, at := field()
		switch x := r.IntN(10); {
		case ro || x < 3:
			op.Args = append(op.Args, "GET", typ, at)
		case x < 5:
			op.Args = append(op.Args, "SET", typ, at, value())
		case x < 8:
			op.Args = append(op.Args, "INCRBY", typ, at, value())
		default:
			policy := []string{"WRAP", "SAT", "FAIL"}[r.IntN(3)]
			fail = fail || policy == "FAIL"
			op.Args = append(op.Args, "OVERFLOW", policy, "INCRBY", typ, at, value())
		}
	}
	if fail {
		typ, at := field()
		op.Args = append(op.Args, "OVERFLOW", "WRAP", "SET", typ, at, value())
	}
}
