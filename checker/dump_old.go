package checker

import (
	"encoding/binary"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/replsim/replsim/tap"
)

// The other forms Redis 7.0's RESTORE reads (rdbLoadObject), written and
// read here from the RDB format's description, not from the node's code:
//
//   - a length in any of its encodings: 6-bit (00xxxxxx), 14-bit
//     (01xxxxxx and a byte), 32-bit (0x80 and a big-endian uint32), 64-bit
//     (0x81 and a big-endian uint64), not only the shortest; a count
//     also as a string encoding byte (11xxxxxx), which rdbLoadLen reads
//     as its low six bits;
//   - a string as an integer (0xC0, 0xC1, 0xC2: int8, int16, int32
//     little endian, read back in decimal) or LZF-compressed (0xC3, the
//     compressed and uncompressed lengths, the LZF data);
//   - Redis 2.4's encodings: a list as a length and its elements
//     (RDB_TYPE_LIST, 1), a hash as a zipmap (RDB_TYPE_HASH_ZIPMAP, 9);
//     a set of integers as an intset (RDB_TYPE_SET_INTSET, 11) and a
//     sorted set with its scores as strings (RDB_TYPE_ZSET, 3).

// Payload type bytes of the old encodings.
const (
	rdbTypeList   = 1
	rdbTypeZset   = 3
	rdbTypeZipmap = 9
	rdbTypeIntset = 11
)

// OldBreak is a way to break a payload in the old forms that Redis
// 7.0.15 refuses as "Bad data format" with its default
// sanitize-dump-payload no (it accepts an intset whose values are not
// ascending, or with no values, without deep sanitization: never sent).
type OldBreak int

// The ways: the first length an unknown encoding (0x82); every LZF string
// claiming one byte more than it expands to; an intset's count one too
// high, or its width 3; a zipmap's count byte one too high, or its first
// field's length past the end; the first element of a set, hash or
// sorted set twice (not in an intset: out of order there, which Redis
// accepts; not in a plain hash, which Redis 7.0.15 without deep
// sanitization loads into a listpack with both fields, then crashes); a sorted set's first score NaN (not in a ziplist, whose
// scores Redis does not parse); a collection's count 1000 too high, or 0
// (an empty collection, which RESTORE refuses); every LZF string
// claiming one byte less than it expands to, or its data's last byte
// cut; a string value's encoding byte an unknown one (0xC4).
const (
	OldIntact OldBreak = iota
	OldLengthEncoding
	OldLZFLength
	OldIntsetCount
	OldIntsetWidth
	OldZipmapCount
	OldZipmapOverrun
	OldDuplicate
	OldNaN
	OldCount
	OldEmpty
	OldLZFShort
	OldLZFCut
	OldStringEncoding
)

// OldBreaks is the number of OldBreak values.
const OldBreaks = 14

// dumpWriter writes lengths and strings in the forms its seed picks.
type dumpWriter struct {
	x       uint64 // xorshift state; 0 writes every length and string in its shortest plain form
	brk     OldBreak
	counted bool // a count was written (OldCount breaks the first)
}

// count writes a collection's element count.
func (w *dumpWriter) count(b []byte, n int) []byte {
	switch {
	case w.counted:
	case w.brk == OldCount:
		n += 1000
	case w.brk == OldEmpty:
		n = 0
	}
	w.counted = true
	if n < 64 && w.pick(6) == 0 {
		// Redis's rdbLoadLen reads a string encoding byte as a length.
		return append(b, 0xC0|byte(n))
	}
	return w.len(b, n)
}

// nan is the score to write: NaN for the first with OldNaN.
func (w *dumpWriter) nan(i int, f float64) float64 {
	if w.brk == OldNaN && i == 0 {
		return math.NaN()
	}
	return f
}

// duplicate repeats the first k elements after themselves for
// OldDuplicate.
func (w *dumpWriter) duplicate(elems []string, k int) []string {
	if w.brk != OldDuplicate || len(elems) < k {
		return elems
	}
	return append(append(append([]string(nil), elems[:k]...), elems[:k]...), elems[k:]...)
}

func (w *dumpWriter) pick(n uint64) uint64 {
	if w.x == 0 {
		return 0
	}
	w.x ^= w.x << 13
	w.x ^= w.x >> 7
	w.x ^= w.x << 17
	return w.x % n
}

func (w *dumpWriter) len(b []byte, n int) []byte {
	switch w.pick(6) {
	case 4:
		if n < 1<<14 {
			return append(b, byte(0x40|n>>8), byte(n))
		}
		return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	case 5:
		return binary.BigEndian.AppendUint64(append(b, 0x81), uint64(n))
	}
	return appendRDBLen(b, n)
}

func (w *dumpWriter) str(b []byte, s string) []byte {
	k := w.pick(5)
	lzfBreak := w.brk == OldLZFLength || w.brk == OldLZFShort || w.brk == OldLZFCut
	if lzfBreak && len(s) >= 2 {
		k = 4
	}
	switch k {
	case 3:
		if v, err := strconv.ParseInt(s, 10, 32); err == nil && strconv.FormatInt(v, 10) == s {
			switch {
			case v == int64(int8(v)):
				return append(b, 0xC0, byte(v))
			case v == int64(int16(v)):
				return binary.LittleEndian.AppendUint16(append(b, 0xC1), uint16(v))
			}
			return binary.LittleEndian.AppendUint32(append(b, 0xC2), uint32(v))
		}
	case 4:
		if len(s) >= 2 {
			c := lzfSqueeze([]byte(s))
			ulen := len(s)
			switch w.brk {
			case OldLZFLength:
				ulen++
			case OldLZFShort:
				ulen--
			case OldLZFCut:
				c = c[:len(c)-1]
			}
			b = w.len(w.len(append(b, 0xC3), len(c)), ulen)
			return append(b, c...)
		}
	}
	return append(w.len(b, len(s)), s...)
}

// lzfSqueeze compresses p in LZF's format: a control byte below 32 starts
// a run of that many plus one literal bytes; otherwise its top three bits
// are a match length minus two (7: a byte with the rest follows), its low
// five bits and the next byte the distance back minus one. Greedy, with
// a short window: good enough to exercise every form.
func lzfSqueeze(p []byte) []byte {
	var out, lit []byte
	flush := func() {
		for len(lit) > 0 {
			n := min(len(lit), 32)
			out = append(append(out, byte(n-1)), lit[:n]...)
			lit = lit[n:]
		}
	}
	for i := 0; i < len(p); {
		best, dist := 0, 0
		for d := 1; d <= min(i, 300); d++ {
			n := 0
			for i+n < len(p) && n < 264 && p[i+n] == p[i-d+n] {
				n++
			}
			if n > best {
				best, dist = n, d
			}
		}
		if best < 3 {
			lit = append(lit, p[i])
			i++
			continue
		}
		flush()
		n, off := best-2, dist-1
		if n < 7 {
			out = append(out, byte(n<<5|off>>8), byte(off))
		} else {
			out = append(out, byte(7<<5|off>>8), byte(n-7), byte(off))
		}
		i += best
	}
	flush()
	return out
}

// lzfExpand decompresses LZF data to exactly ulen bytes (ok false for
// anything else, as Redis's "Invalid LZF compressed string").
func lzfExpand(c []byte, ulen int) ([]byte, bool) {
	out := make([]byte, 0, ulen)
	for i := 0; i < len(c); {
		ctl := int(c[i])
		i++
		if ctl < 32 {
			n := ctl + 1
			if i+n > len(c) || len(out)+n > ulen {
				return nil, false
			}
			out = append(out, c[i:i+n]...)
			i += n
			continue
		}
		n := ctl >> 5
		if n == 7 {
			if i >= len(c) {
				return nil, false
			}
			n += int(c[i])
			i++
		}
		if i >= len(c) {
			return nil, false
		}
		back := (ctl&0x1F)<<8 | int(c[i]) + 1
		i++
		n += 2
		if back > len(out) || len(out)+n > ulen {
			return nil, false
		}
		for k := 0; k < n; k++ {
			out = append(out, out[len(out)-back])
		}
	}
	return out, len(out) == ulen
}

// intsetOf lays out the canonical integer members ms as an intset of
// width w bytes (at least the widest value's), ok false when a member is
// not an integer.
func intsetOf(ms []string, wider bool) ([]byte, bool) {
	vs := make([]int64, 0, len(ms))
	w := 2
	for _, m := range ms {
		v, err := strconv.ParseInt(m, 10, 64)
		if err != nil || strconv.FormatInt(v, 10) != m {
			return nil, false
		}
		vs = append(vs, v)
		switch {
		case v != int64(int32(v)):
			w = 8
		case v != int64(int16(v)):
			w = max(w, 4)
		}
	}
	if wider && w < 8 {
		w *= 2
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	b := binary.LittleEndian.AppendUint32(nil, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vs)))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))[:len(b)+w]
	}
	return b, true
}

// intsetMembers reads an intset as RESTORE's shallow check does: a width
// of 2, 4 or 8, the size matching the count; ok false too for what this
// package never writes (no values, values not ascending).
func intsetMembers(b []byte) ([]string, bool) {
	if len(b) < 8 {
		return nil, false
	}
	w := int(binary.LittleEndian.Uint32(b))
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if (w != 2 && w != 4 && w != 8) || 8+n*uint64(w) != uint64(len(b)) || n == 0 {
		return nil, false
	}
	var out []string
	prev := int64(0)
	for i := 0; i < int(n); i++ {
		var u uint64
		for k := w - 1; k >= 0; k-- {
			u = u<<8 | uint64(b[8+i*w+k])
		}
		v := int64(u<<(64-8*w)) >> (64 - 8*w)
		if i > 0 && v <= prev {
			return nil, false
		}
		prev = v
		out = append(out, strconv.FormatInt(v, 10))
	}
	return out, true
}

// zipmapOf lays out a hash's field, value pairs as a zipmap: a count byte
// (254 if it does not fit), per pair the field's length, the field, the
// value's length, a free-space byte, the value and that many spare bytes,
// then 0xFF. A length is a byte below 254, or 254 and a little-endian
// uint32 for a longer one.
func (w *dumpWriter) zipmapOf(pairs []string) []byte {
	// Only the shortest length: Redis's zipmapNext skips a length by the
	// size its value needs, misreading a longer form.
	zl := func(b []byte, n int) []byte {
		if n < 254 {
			return append(b, byte(n))
		}
		return binary.LittleEndian.AppendUint32(append(b, 254), uint32(n))
	}
	zm := []byte{byte(min(len(pairs)/2, 254))}
	if w.brk == OldZipmapCount {
		zm[0] = byte(len(pairs)/2 + 1)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		n := len(pairs[i])
		if i == 0 && w.brk == OldZipmapOverrun {
			n += 1000
		}
		zm = append(zl(zm, n), pairs[i]...)
		free := int(w.pick(3))
		zm = append(zl(zm, len(pairs[i+1])), byte(free))
		zm = append(append(zm, pairs[i+1]...), strings.Repeat("\x00", free)...)
	}
	return append(zm, 0xFF)
}

// zipmapPairsOf reads a zipmap's pairs, ok false unless every entry lies
// inside it, there is at least one, the count byte is 254 or right, and
// no field repeats (zipmapValidateIntegrity, always deep, and the
// duplicate check of the conversion).
func zipmapPairsOf(zm []byte) ([]string, bool) {
	if len(zm) < 2 || zm[len(zm)-1] != 0xFF {
		return nil, false
	}
	end := len(zm) - 1
	p := 1
	length := func() (int, bool) {
		if zm[p] < 254 {
			p++
			return int(zm[p-1]), p <= end
		}
		if p+5 > end {
			return 0, false
		}
		n := int64(binary.LittleEndian.Uint32(zm[p+1:]))
		p += 5
		return int(n), n <= int64(end)
	}
	var out []string
	seen := map[string]bool{}
	for zm[p] != 0xFF {
		fl, ok := length()
		if !ok || p+fl > end {
			return nil, false
		}
		f := string(zm[p : p+fl])
		p += fl
		vl, ok := length()
		if !ok || p >= end {
			return nil, false
		}
		free := int(zm[p])
		p++
		if p+vl+free > end || seen[f] {
			return nil, false
		}
		seen[f] = true
		out = append(out, f, string(zm[p:p+vl]))
		p += vl + free
	}
	if len(out) == 0 || (zm[0] != 254 && int(zm[0]) != len(out)/2) {
		return nil, false
	}
	return out, true
}

// encodeOld writes typ/val's elements in an old layout: a list as
// RDB_TYPE_LIST, a sorted set as RDB_TYPE_ZSET, a hash as a zipmap, a set
// of integers as an intset (else a plain set). ok false when there is no
// old layout for it (a string).
func (w *dumpWriter) encodeOld(typ string, elems []string) ([]byte, bool) {
	var b []byte
	switch typ {
	case tap.TypeList:
		b = w.count(append(b, rdbTypeList), len(elems))
		for _, e := range elems {
			b = w.str(b, e)
		}
	case tap.TypeZset:
		elems = w.duplicate(elems, 2)
		b = w.count(append(b, rdbTypeZset), len(elems)/2)
		for i := 0; i+1 < len(elems); i += 2 {
			f, _ := parseScore(elems[i+1])
			b = w.str(b, elems[i])
			switch f = w.nan(i, f); {
			case math.IsNaN(f):
				b = append(b, 253)
			case math.IsInf(f, 1):
				b = append(b, 254)
			case math.IsInf(f, -1):
				b = append(b, 255)
			default:
				s := strconv.FormatFloat(f, 'g', -1, 64)
				b = append(append(b, byte(len(s))), s...)
			}
		}
	case tap.TypeHash:
		b = w.str(append(b, rdbTypeZipmap), string(w.zipmapOf(w.duplicate(elems, 2))))
	case tap.TypeSet:
		is, ok := intsetOf(elems, w.pick(3) == 0)
		if !ok {
			return nil, false
		}
		switch w.brk {
		case OldIntsetCount:
			binary.LittleEndian.PutUint32(is[4:], binary.LittleEndian.Uint32(is[4:])+1)
		case OldIntsetWidth:
			binary.LittleEndian.PutUint32(is, 3)
		}
		b = w.str(append(b, rdbTypeIntset), string(is))
	default:
		return nil, false
	}
	return b, true
}
