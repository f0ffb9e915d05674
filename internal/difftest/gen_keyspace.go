package difftest

import (
	"encoding/binary"
	"strconv"

	"github.com/replsim/replsim/node/intset"
	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
)

// bitKeys are the keys of the bit commands: strings mostly, a typed key
// now and then for WRONGTYPE.
var bitKeys = []string{"b1", "b2", "b3", "k1", "num", "h1", "s1"}

// bitValues seed the bit keys with strings of every encoding.
var bitValues = []string{"", "0", "123", "-1", "foobar", "\xff\xf0\x00", "\x00\x00\x00\xff", "\xff\xff", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"}

// bitOffsets mixes small offsets, ones past the string's end, and invalid
// or huge ones (the 512 MB limit is 4294967296 bits).
var bitOffsets = []string{"0", "1", "7", "8", "13", "31", "63", "100", "-1", "x", "1.5", "4294967296", "9223372036854775807"}

var bitRanges = []string{"0", "1", "2", "-1", "-2", "-3", "5", "7", "9", "15", "100", "-100", "x"}

var bitfieldTypes = []string{"i1", "u1", "i5", "u8", "i8", "i16", "u16", "u31", "i63", "u63", "i64", "u64", "i65", "x8", "i0", ""}

// Keyspace returns a random generic keyspace or string bit command: DUMP,
// RESTORE (with payloads this generator encodes, valid and corrupt),
// COPY, MOVE, SWAPDB, TOUCH, OBJECT, the bit commands and LCS.
func (g *Gen) Keyspace() []string {
	switch g.r.IntN(31) {
	case 0, 1:
		return []string{"DUMP", g.pick(typedKeys)}
	case 2, 3, 4:
		return g.restore()
	case 5, 6:
		args := []string{"COPY", g.pick(typedKeys), g.pick(typedKeys)}
		if g.chance(3) {
			args = append(args, "DB", g.pick([]string{"0", "1", "1", "16", "-1", "x"}))
		}
		if g.chance(2) {
			args = append(args, g.pick([]string{"REPLACE", "replace", "bogus"}))
		}
		return args
	case 7:
		return []string{"MOVE", g.pick(typedKeys), g.pick([]string{"0", "1", "1", "16", "-1", "x"})}
	case 8:
		if g.chance(4) {
			return []string{"SWAPDB", "0", "1"}
		}
		return []string{"SWAPDB", g.pick([]string{"0", "1", "16", "-1", "x"}), g.pick([]string{"0", "1", "16", "x"})}
	case 9:
		return append([]string{"TOUCH"}, g.many(1+g.r.IntN(3), func() string { return g.pick(typedKeys) })...)
	case 10:
		return []string{"OBJECT", g.pick([]string{"REFCOUNT", "FREQ", "IDLETIME", "HELP", "help", "bogus"}), g.pick(typedKeys)}[:2+g.r.IntN(2)]
	case 11:
		return []string{"SET", g.pick(bitKeys[:3]), g.pick(bitValues)}
	case 12, 13:
		return []string{"SETBIT", g.pick(bitKeys), g.pick(bitOffsets), g.pick([]string{"0", "1", "1", "2", "-1", "x"})}
	case 14:
		return []string{"GETBIT", g.pick(bitKeys), g.pick(bitOffsets)}
	case 15, 16:
		args := []string{"BITCOUNT", g.pick(bitKeys)}
		if !g.chance(4) {
			args = append(args, g.pick(bitRanges), g.pick(bitRanges))
			if g.chance(2) {
				args = append(args, g.pick([]string{"BIT", "byte", "bit", "foo"}))
			}
		} else if g.chance(3) {
			args = append(args, g.pick(bitRanges))
		}
		return args
	case 17, 18:
		args := []string{"BITPOS", g.pick(bitKeys), g.pick([]string{"0", "1", "0", "1", "2", "x"})}
		for n := g.r.IntN(4); n > 0; n-- {
			if len(args) == 5 {
				args = append(args, g.pick([]string{"BIT", "BYTE", "bit", "nope"}))
				break
			}
			args = append(args, g.pick(bitRanges))
		}
		return args
	case 19, 20:
		op := g.pick([]string{"AND", "OR", "XOR", "NOT", "and", "not", "nand"})
		args := []string{"BITOP", op, g.pick(bitKeys[:3])}
		n := 1 + g.r.IntN(3)
		if op == "NOT" || op == "not" {
			n = 1
			if g.chance(8) {
				n = 2
			}
		}
		return append(args, g.many(n, func() string { return g.pick(append(bitKeys, "nokey")) })...)
	case 21, 22, 23:
		return g.bitfield()
	case 24, 25:
		args := []string{"LCS", g.pick(bitKeys), g.pick(bitKeys)}
		for n := g.r.IntN(3); n > 0; n-- {
			switch g.r.IntN(5) {
			case 0:
				args = append(args, "LEN")
			case 1, 2:
				args = append(args, "IDX")
			case 3:
				args = append(args, "MINMATCHLEN", g.pick([]string{"0", "1", "2", "4", "-1", "x"}))
			default:
				args = append(args, g.pick([]string{"WITHMATCHLEN", "withmatchlen", "bogus"}))
			}
		}
		return args
	case 26:
		return []string{"APPEND", g.pick(bitKeys[:3]), g.pick(bitValues)}
	case 27:
		return []string{"GET", g.pick(bitKeys)}
	case 28:
		return []string{"OBJECT", "ENCODING", g.pick(bitKeys)}
	case 29:
		return g.sort()
	}
	return keyspaceArityErrors[g.r.IntN(len(keyspaceArityErrors))]
}

var keyspaceArityErrors = [][]string{
	{"DUMP"}, {"DUMP", "a", "b"}, {"RESTORE", "k", "0"}, {"COPY", "k"}, {"MOVE", "k"}, {"MOVE", "k", "1", "2"},
	{"SWAPDB", "0"}, {"TOUCH"}, {"SETBIT", "k", "1"}, {"GETBIT", "k"}, {"BITCOUNT"}, {"BITPOS", "k"},
	{"BITOP", "AND", "d"}, {"BITFIELD"}, {"BITFIELD_RO"}, {"LCS", "a"}, {"OBJECT", "FREQ"}, {"OBJECT", "HELP", "x"},
	{"BITCOUNT", "k", "0", "1", "BIT", "x"}, {"BITPOS", "k", "1", "0", "1", "BIT", "x"},
}

func (g *Gen) bitfield() []string {
	args := []string{g.pick([]string{"BITFIELD", "BITFIELD", "BITFIELD_RO"}), g.pick(bitKeys)}
	for n := g.r.IntN(4); n > 0; n-- {
		off := g.pick(bitOffsets[:8])
		if g.chance(4) {
			off = g.pick([]string{"#0", "#1", "#3", "#-1", "#x", "-1", "x"})
		}
		val := g.pick(ints)
		switch g.r.IntN(8) {
		case 0, 1:
			args = append(args, "GET", g.pick(bitfieldTypes), off)
		case 2, 3:
			args = append(args, "SET", g.pick(bitfieldTypes), off, val)
		case 4, 5:
			args = append(args, "INCRBY", g.pick(bitfieldTypes), off, val)
		case 6:
			args = append(args, "OVERFLOW", g.pick([]string{"WRAP", "SAT", "FAIL", "fail", "bogus"}))
		default:
			args = append(args, g.pick([]string{"GET", "SET", "INCRBY", "OVERFLOW", "bogus"}))
		}
	}
	return args
}

// restore returns a RESTORE of a payload this generator encodes: a string,
// a hash or a set in one of its RDB encodings, or a payload broken in its
// footer or its value.
func (g *Gen) restore() []string {
	var ttl string
	abs := false
	switch g.r.IntN(6) {
	case 0, 1:
		ttl = "0"
	case 2:
		ttl = strconv.Itoa(100000 + g.r.IntN(1000000))
	case 3:
		ttl, abs = strconv.FormatInt(g.NowMs()+1_000_000, 10), true
	case 4:
		ttl, abs = strconv.FormatInt(g.NowMs()-1_000_000, 10), true
	default:
		ttl = g.pick([]string{"-1", "x", "1.5", "9223372036854775807"})
	}
	args := []string{g.caseMix("restore"), g.pick(typedKeys), ttl, string(g.payload())}
	if abs || g.chance(8) {
		args = append(args, "ABSTTL")
	}
	if g.chance(2) {
		args = append(args, "REPLACE")
	}
	switch g.r.IntN(8) {
	case 0:
		args = append(args, "IDLETIME", g.pick([]string{"0", "10", "1000", "-1", "x"}))
	case 1:
		args = append(args, "FREQ", g.pick([]string{"0", "10", "255", "256", "-1", "x"}))
	case 2:
		args = append(args, g.pick([]string{"IDLETIME", "FREQ", "bogus"}))
	}
	return args
}

// payload encodes a DUMP payload.
func (g *Gen) payload() []byte {
	e := rdb.Entry{Type: rdb.TypeString, Value: []byte(g.val())}
	switch g.r.IntN(8) {
	case 0:
		e.Type = rdb.TypeHash
		for n := g.r.IntN(4); n > 0; n-- {
			e.Items = append(e.Items, "f"+strconv.Itoa(n), g.val())
		}
	case 1:
		var items [][]byte
		for n := 1 + g.r.IntN(4); n > 0; n-- {
			items = append(items, []byte("f"+strconv.Itoa(n)), []byte(g.val()))
		}
		e.Type, e.Value = rdb.TypeHashListpack, listpack.FromStrings(items)
	case 2:
		e.Type = rdb.TypeSet
		seen := map[string]bool{}
		for n := g.r.IntN(5); n > 0; n-- {
			if m := g.member(); !seen[m] {
				seen[m] = true
				e.Items = append(e.Items, m)
			}
		}
	case 3:
		is := intset.New()
		for n := 1 + g.r.IntN(5); n > 0; n-- {
			is, _ = intset.Add(is, int64(g.r.IntN(2000)-1000))
		}
		e.Type, e.Value = rdb.TypeSetIntset, is
	}
	p := rdb.AppendDump(nil, &e, g.chance(2))
	switch g.r.IntN(12) {
	case 0: // a checksum that does not match
		p[len(p)-1] ^= 0x55
	case 1: // too short for a footer
		p = p[:g.r.IntN(10)]
	case 2: // a newer RDB version, checksum right
		p = refooter(p[:len(p)-10], 11)
	case 3: // an unknown value type, checksum right
		p = refooter(append([]byte{200}, p[1:len(p)-10]...), 10)
	case 4: // a string cut short, checksum right (it reads on into the
		// footer, as in Redis; a cut collection could leave Redis holding
		// a blob its shallow checks let through, which we refuse)
		if e.Type == rdb.TypeString && len(p) > 12 {
			p = refooter(p[:len(p)-10-1-g.r.IntN(2)], 10)
		}
	}
	return p
}

// refooter appends a footer for RDB version ver with a correct checksum.
func refooter(body []byte, ver int) []byte {
	p := append(append([]byte(nil), body...), byte(ver), byte(ver>>8))
	return binary.LittleEndian.AppendUint64(p, rdb.CRC64(0, p))
}

// sort returns a SORT or SORT_RO of a set (or another type, for WRONGTYPE)
// with BY and GET patterns over the string and hash keys. Left out: STORE,
// whose list this node cannot make yet, and whatever makes the reply
// follow a hash-table set's own order, which is each server's hashing: BY
// without '*' (no sorting) and ALPHA BY (ties, as missing keys are, keep
// the set's order).
func (g *Gen) sort() []string {
	args := []string{g.pick([]string{"SORT", "SORT", "SORT_RO"}), g.pick(typedKeys)}
	alpha, by := g.chance(3), g.chance(2)
	if alpha {
		args = append(args, "ALPHA")
	} else if by {
		args = append(args, "BY", g.pick([]string{"k*", "*", "h*->f1", "s*"}))
	}
	for n := g.r.IntN(3); n > 0; n-- {
		switch g.r.IntN(4) {
		case 0:
			args = append(args, g.pick([]string{"ASC", "DESC", "desc"}))
		case 1:
			args = append(args, "LIMIT", g.pick([]string{"0", "1", "-1", "5", "x"}), g.pick([]string{"0", "1", "2", "-1", "100"}))
		default:
			args = append(args, "GET", g.pick([]string{"#", "k*", "h*->f1", "h*->", "*", "nostar"}))
		}
	}
	if g.chance(8) {
		args = append(args, g.pick([]string{"LIMIT", "BY", "GET", "bogus", "STORE"}))
	}
	return args
}
