package cluster

import (
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/tap"
)

// restoreTypes is the type of value RESTORE writes to each namespace's
// keys (the lists "o" SORT ... STORE writes too).
var restoreTypes = map[byte]string{'s': tap.TypeSet, 'h': tap.TypeHash, 'k': tap.TypeString,
	'l': tap.TypeList, 'o': tap.TypeList, 'z': tap.TypeZset}

// restoreInts are integers of every size a ziplist encodes (a 4-bit
// immediate, int8, int16, int24, int32, int64).
var restoreInts = []string{"0", "7", "12", "-1", "100", "-200", "3000", "-70000", "9000000", "-3000000000"}

// drawRestore draws RESTORE of a value of the key's namespace's type
// (any type on shared keys): with a TTL sometimes (relative, or ABSTTL in
// 1970, which stores nothing), REPLACE, IDLETIME or FREQ. The payload is
// sometimes in the pre-7.0 ziplist encodings, in Redis 2.4's (a linked
// list, a zipmap; an intset, string scores), with lengths and strings in
// their longer, integer or LZF forms, or of RDB version 8 or 9, and
// sometimes broken: a future RDB version, a wrong checksum, a ziplist
// whose byte count is wrong, an unknown length encoding, an LZF string
// that does not expand to its length, an intset or zipmap whose count or
// lengths are wrong, a duplicate member or field, a NaN score, a count
// beyond the payload.
func drawRestore(r *sim.Rand, op *checker.Op, k string, shared bool) {
	typ := restoreTypes[k[0]]
	if shared {
		typ = []string{tap.TypeString, tap.TypeSet, tap.TypeHash, tap.TypeList, tap.TypeZset}[r.IntN(5)]
	}
	val := drawRestoreValue(r, typ)
	version := uint16(checker.DumpVersion)
	switch r.IntN(20) {
	case 0:
		version++
	case 1, 2, 3:
		version -= uint16(1 + r.IntN(2))
	}
	var layout checker.DumpLayout
	layout.Ziplist = r.Chance(0.5)
	if r.IntN(20) == 0 {
		layout.Break = checker.ZiplistBreak(1 + r.IntN(checker.ZiplistBreaks-1))
	}
	layout.Old = r.Chance(0.35)
	if r.Chance(0.5) {
		layout.Forms = r.Uint64() | 1
	}
	if r.IntN(7) == 0 {
		drawOldBreak(r, typ, &val, &layout)
	}
	payload := checker.EncodeDumpAs(typ, val, version, layout)
	if r.IntN(20) == 0 {
		b := []byte(payload)
		b[len(b)-1-r.IntN(8)] ^= 0x20
		payload = string(b)
	}
	ttl := "0"
	abs := false
	switch x := r.IntN(10); {
	case x < 3:
		ttl = itoa(200 + r.IntN(1800))
	case x < 5:
		ttl, abs = itoa(1+r.IntN(100000)), true
	}
	cmd(op, "RESTORE", k, ttl, payload)
	if r.Chance(0.5) || (abs && r.Chance(0.6)) {
		// REPLACE; with a past ABSTTL it deletes what the key held.
		op.Args = append(op.Args, "REPLACE")
	}
	if abs {
		op.Args = append(op.Args, "ABSTTL")
	}
	switch r.IntN(6) {
	case 0:
		op.Args = append(op.Args, "IDLETIME", itoa(r.IntN(1000)))
	case 1:
		op.Args = append(op.Args, "FREQ", itoa(r.IntN(256)))
	}
}

// oldBreaksAll are the ways to break a payload of any type, oldBreaks
// those of each type, with the layouts each needs (checker.OldBreak says
// which apply where).
var oldBreaksAll = []checker.OldBreak{checker.OldLengthEncoding, checker.OldLZFLength, checker.OldLZFShort, checker.OldLZFCut}

var oldBreaks = map[string][]checker.OldBreak{
	tap.TypeString: {checker.OldStringEncoding},
	tap.TypeList:   {checker.OldCount, checker.OldEmpty},
	tap.TypeSet: {checker.OldIntsetCount, checker.OldIntsetWidth, checker.OldDuplicate,
		checker.OldCount, checker.OldEmpty},
	tap.TypeHash: {checker.OldZipmapCount, checker.OldZipmapOverrun, checker.OldDuplicate,
		checker.OldCount, checker.OldEmpty},
	tap.TypeZset: {checker.OldDuplicate, checker.OldNaN, checker.OldCount, checker.OldEmpty},
}

// drawOldBreak breaks a payload of typ in a way that applies to it,
// choosing the layout (and for an intset, integer members) it needs.
func drawOldBreak(r *sim.Rand, typ string, val *string, l *checker.DumpLayout) {
	bs := append(append([]checker.OldBreak(nil), oldBreaksAll...), oldBreaks[typ]...)
	b := bs[r.IntN(len(bs))]
	l.OldBreak = b
	switch b {
	case checker.OldIntsetCount, checker.OldIntsetWidth:
		l.Old = true
		ms := map[string]bool{}
		for n := 1 + r.IntN(4); n > 0; n-- {
			ms[restoreInts[r.IntN(len(restoreInts))]] = true
		}
		var members []string
		for m := range ms {
			members = append(members, m)
		}
		sort.Strings(members)
		*val = tap.EncodeSet(members)
	case checker.OldZipmapCount, checker.OldZipmapOverrun:
		l.Old = true
	case checker.OldDuplicate:
		// A set or sorted set plain, a hash as a zipmap or a ziplist.
		l.Old = typ == tap.TypeHash && r.Chance(0.5)
		l.Ziplist = typ != tap.TypeSet && !l.Old
	case checker.OldNaN, checker.OldCount, checker.OldEmpty:
		l.Ziplist = false
	}
}

// drawRestoreValue draws a small value of type typ in tap's canonical
// encoding.
func drawRestoreValue(r *sim.Rand, typ string) string {
	elem := func() string {
		switch r.IntN(40) {
		case 0:
			// Long enough for a ziplist's 14-bit or 32-bit string length
			// and the 5-byte previous-entry length after it.
			return strings.Repeat("x", []int{70, 300, 16400}[r.IntN(3)])
		case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13:
			return restoreInts[r.IntN(len(restoreInts))]
		case 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26:
			return "m" + itoa(r.IntN(4))
		}
		return itoa(r.IntN(8))
	}
	switch typ {
	case tap.TypeString:
		switch r.IntN(6) {
		case 0:
			return restoreInts[r.IntN(len(restoreInts))]
		case 1:
			// Compressible: LZF back references, short and long.
			return strings.Repeat("ab"+itoa(r.IntN(10)), 1+r.IntN(120))
		}
		return []string{itoa(r.IntN(1000)), "v" + itoa(r.IntN(100)), "", "\x00\xff"}[r.IntN(4)]
	case tap.TypeList:
		var es []string
		for n := 1 + r.IntN(5); n > 0; n-- {
			es = append(es, elem())
		}
		return tap.EncodeList(es)
	case tap.TypeSet:
		var ms []string
		seen := map[string]bool{}
		for n := 1 + r.IntN(4); n > 0; n-- {
			m := itoa(r.IntN(8))
			switch x := r.IntN(10); {
			case x < 3:
				// An intset of 16, 32 or 64 bits, widened as it loads.
				m = restoreInts[r.IntN(len(restoreInts))]
			case x < 5:
				m = "m" + itoa(r.IntN(4))
			}
			if !seen[m] {
				seen[m] = true
				ms = append(ms, m)
			}
		}
		return tap.EncodeSet(ms)
	case tap.TypeZset:
		var ms []tap.ZsetMember
		seen := map[string]bool{}
		for n := 1 + r.IntN(4); n > 0; n-- {
			m := elem()
			if !seen[m] {
				seen[m] = true
				ms = append(ms, tap.ZsetMember{Member: m, Score: float64(r.IntN(200)-100) / []float64{1, 2, 4}[r.IntN(3)]})
			}
		}
		return tap.EncodeZset(ms)
	}
	var ps [][2]string
	seen := map[string]bool{}
	for n := 1 + r.IntN(3); n > 0; n-- {
		f := "f" + itoa(r.IntN(6))
		if !seen[f] {
			seen[f] = true
			v := itoa(r.IntN(100))
			if r.Chance(0.3) {
				v = elem()
			}
			ps = append(ps, [2]string{f, v})
		}
	}
	return tap.EncodeHash(ps)
}
