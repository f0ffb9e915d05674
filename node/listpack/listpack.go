// Package listpack implements Redis's listpack: a compact, contiguous
// encoding of a sequence of strings and integers, byte-compatible with
// Redis 7.0 (listpack.c). Redis stores small hashes, sorted sets and list
// nodes this way and writes the very bytes into RDB files.
//
// A listpack is a []byte: a 4-byte little-endian total length, a 2-byte
// element count (65535 when unknown), the entries, and a 0xFF terminator.
// Each entry is an encoding byte (and length or integer bytes), the data,
// and a back-length so the list can be walked backwards. Positions are
// byte offsets of entries; End marks the terminator.
package listpack

import (
	"encoding/binary"
	"strconv"
)

const (
	hdrSize    = 6
	eof        = 0xFF
	numUnknown = 65535
)

// New returns an empty listpack.
func New() []byte { return []byte{hdrSize + 1, 0, 0, 0, 0, 0, eof} }

// Entry is one element: a string (Str, which aliases the listpack) or an
// integer (IsInt).
type Entry struct {
	Str   []byte
	Int   int64
	IsInt bool
}

// Append appends e's string form to dst.
func (e Entry) Append(dst []byte) []byte {
	if e.IsInt {
		return strconv.AppendInt(dst, e.Int, 10)
	}
	return append(dst, e.Str...)
}

// String is e's string form.
func (e Entry) String() string {
	if e.IsInt {
		return strconv.FormatInt(e.Int, 10)
	}
	return string(e.Str)
}

// Equal reports whether e's string form is s, as lpCompare decides it.
func (e Entry) Equal(s []byte) bool {
	if !e.IsInt {
		return string(e.Str) == string(s)
	}
	v, ok := StringToInt(s)
	return ok && v == e.Int
}

// Len returns the number of elements.
func Len(lp []byte) int {
	n := int(binary.LittleEndian.Uint16(lp[4:]))
	if n != numUnknown {
		return n
	}
	n = 0
	for p := First(lp); p != End(lp); p = Next(lp, p) {
		n++
	}
	return n
}

// First is the position of the first entry (End when empty).
func First(lp []byte) int { return hdrSize }

// End is the position of the terminator.
func End(lp []byte) int { return len(lp) - 1 }

// StringToInt is lpStringToInt64: s as an int64 when it is the canonical
// decimal form of one (no '+', no leading zeros, no "-0", at most 20
// bytes).
func StringToInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	neg := s[0] == '-'
	d := s
	if neg {
		d = s[1:]
	}
	if len(d) == 0 || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		x := uint64(c - '0')
		if v > (1<<64-1)/10 || v*10 > 1<<64-1-x {
			return 0, false
		}
		v = v*10 + x
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// encodedSize is the size of the entry at p without its back-length.
func encodedSize(lp []byte, p int) int {
	b := lp[p]
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xC0 == 0x80:
		return 1 + int(b&0x3F)
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 2 + (int(b&0x0F)<<8 | int(lp[p+1]))
	case b == 0xF1:
		return 3
	case b == 0xF2:
		return 4
	case b == 0xF3:
		return 5
	case b == 0xF4:
		return 9
	case b == 0xF0:
		return 5 + int(binary.LittleEndian.Uint32(lp[p+1:]))
	}
	return 1 // eof
}

func backlenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

func appendBacklen(dst []byte, l int) []byte {
	switch backlenSize(l) {
	case 1:
		return append(dst, byte(l))
	case 2:
		return append(dst, byte(l>>7), byte(l&127)|128)
	case 3:
		return append(dst, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case 4:
		return append(dst, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(dst, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}

// entrySize is the full size of the entry at p, back-length included.
func entrySize(lp []byte, p int) int {
	l := encodedSize(lp, p)
	return l + backlenSize(l)
}

// Next returns the position after the entry at p.
func Next(lp []byte, p int) int { return p + entrySize(lp, p) }

// Prev returns the position of the entry before p (p may be End), or -1
// at the first entry.
func Prev(lp []byte, p int) int {
	if p <= hdrSize {
		return -1
	}
	// Decode the back-length ending at p-1, read from right to left.
	q := p - 1
	var l, shift int
	for {
		b := lp[q]
		l |= int(b&127) << shift
		if b&128 == 0 {
			break
		}
		shift += 7
		q--
	}
	return p - l - backlenSize(l)
}

// Get decodes the entry at p.
func Get(lp []byte, p int) Entry {
	b := lp[p]
	switch {
	case b&0x80 == 0:
		return Entry{Int: int64(b), IsInt: true}
	case b&0xC0 == 0x80:
		n := int(b & 0x3F)
		return Entry{Str: lp[p+1 : p+1+n]}
	case b&0xE0 == 0xC0:
		v := int64(b&0x1F)<<8 | int64(lp[p+1])
		if v >= 1<<12 {
			v -= 1 << 13
		}
		return Entry{Int: v, IsInt: true}
	case b&0xF0 == 0xE0:
		n := int(b&0x0F)<<8 | int(lp[p+1])
		return Entry{Str: lp[p+2 : p+2+n]}
	case b == 0xF1:
		return Entry{Int: int64(int16(binary.LittleEndian.Uint16(lp[p+1:]))), IsInt: true}
	case b == 0xF2:
		v := int64(lp[p+1]) | int64(lp[p+2])<<8 | int64(lp[p+3])<<16
		if v >= 1<<23 {
			v -= 1 << 24
		}
		return Entry{Int: v, IsInt: true}
	case b == 0xF3:
		return Entry{Int: int64(int32(binary.LittleEndian.Uint32(lp[p+1:]))), IsInt: true}
	case b == 0xF4:
		return Entry{Int: int64(binary.LittleEndian.Uint64(lp[p+1:])), IsInt: true}
	case b == 0xF0:
		n := int(binary.LittleEndian.Uint32(lp[p+1:]))
		return Entry{Str: lp[p+5 : p+5+n]}
	}
	return Entry{}
}

// appendEntry encodes s as one entry (lpEncodeGetType's choice of an
// integer or string encoding) with its back-length.
func appendEntry(dst []byte, s []byte) []byte {
	start := len(dst)
	if v, ok := StringToInt(s); ok {
		dst = appendIntEnc(dst, v)
	} else {
		n := len(s)
		switch {
		case n < 64:
			dst = append(dst, byte(n)|0x80)
		case n < 4096:
			dst = append(dst, byte(n>>8)|0xE0, byte(n))
		default:
			dst = append(dst, 0xF0)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
		}
		dst = append(dst, s...)
	}
	return appendBacklen(dst, len(dst)-start)
}

func appendIntEnc(dst []byte, v int64) []byte {
	switch {
	case v >= 0 && v <= 127:
		return append(dst, byte(v))
	case v >= -4096 && v <= 4095:
		u := v
		if u < 0 {
			u += 1 << 13
		}
		return append(dst, byte(u>>8)|0xC0, byte(u))
	case v >= -32768 && v <= 32767:
		return binary.LittleEndian.AppendUint16(append(dst, 0xF1), uint16(v))
	case v >= -8388608 && v <= 8388607:
		u := uint32(v)
		return append(dst, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case v >= -2147483648 && v <= 2147483647:
		return binary.LittleEndian.AppendUint32(append(dst, 0xF3), uint32(v))
	}
	return binary.LittleEndian.AppendUint64(append(dst, 0xF4), uint64(v))
}

// EntryBytes is the encoded size of s as an entry, back-length included.
func EntryBytes(s []byte) int { return len(appendEntry(nil, s)) }

func setHeader(lp []byte, count int) {
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	if count >= numUnknown || count < 0 {
		count = numUnknown
	}
	binary.LittleEndian.PutUint16(lp[4:], uint16(count))
}

// recount sets the header of lp, whose count was old (-1 unknown) before
// delta elements were added (or removed).
func recount(lp []byte, old, delta int) {
	if old < 0 {
		binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
		setHeader(lp, Len(lp))
		return
	}
	setHeader(lp, old+delta)
}

func count(lp []byte) int {
	n := int(binary.LittleEndian.Uint16(lp[4:]))
	if n == numUnknown {
		return -1
	}
	return n
}

// Insert inserts the elements ss before position p (End appends) and
// returns the new listpack; positions after p move.
func Insert(lp []byte, p int, ss ...[]byte) []byte {
	var enc []byte
	for _, s := range ss {
		enc = appendEntry(enc, s)
	}
	out := make([]byte, 0, len(lp)+len(enc))
	out = append(out, lp[:p]...)
	out = append(out, enc...)
	out = append(out, lp[p:]...)
	recount(out, count(lp), len(ss))
	return out
}

// Append adds the elements ss at the end.
func Append(lp []byte, ss ...[]byte) []byte {
	old := count(lp)
	lp = lp[:End(lp)]
	for _, s := range ss {
		lp = appendEntry(lp, s)
	}
	lp = append(lp, eof)
	recount(lp, old, len(ss))
	return lp
}

// Delete removes up to k entries starting at position p.
func Delete(lp []byte, p, k int) []byte {
	q, d := p, 0
	for ; d < k && q != End(lp); d++ {
		q = Next(lp, q)
	}
	old := count(lp)
	lp = append(lp[:p], lp[q:]...)
	recount(lp, old, -d)
	return lp
}

// Replace replaces the entry at p with s.
func Replace(lp []byte, p int, s []byte) []byte {
	q := Next(lp, p)
	enc := appendEntry(nil, s)
	if len(enc) == q-p {
		copy(lp[p:], enc)
		return lp
	}
	out := make([]byte, 0, len(lp)-(q-p)+len(enc))
	out = append(out, lp[:p]...)
	out = append(out, enc...)
	out = append(out, lp[q:]...)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	return out
}

// Seek returns the position of element i (negative counts from the end),
// or -1 when out of range.
func Seek(lp []byte, i int) int {
	n := Len(lp)
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return -1
	}
	if i < n/2 {
		p := First(lp)
		for ; i > 0; i-- {
			p = Next(lp, p)
		}
		return p
	}
	p := End(lp)
	for k := n - i; k > 0; k-- {
		p = Prev(lp, p)
	}
	return p
}

// FromStrings builds a listpack of ss.
func FromStrings[S ~string | ~[]byte](ss []S) []byte {
	lp := New()
	lp = lp[:hdrSize]
	for _, s := range ss {
		lp = appendEntry(lp, []byte(s))
	}
	lp = append(lp, eof)
	setHeader(lp, len(ss))
	return lp
}
