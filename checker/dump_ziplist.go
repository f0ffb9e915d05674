package checker

import (
	"encoding/binary"
	"strconv"
)

// Ziplists, the compact encoding of small hashes, sorted sets and lists
// in RDB files before version 10 (Redis 7.0 still reads them): zlbytes
// (uint32), zltail (uint32, the offset of the last entry), zllen (uint16,
// 0xFFFF when the count does not fit), the entries, 0xFF. An entry is the
// previous entry's length (one byte below 254, else 0xFE and a uint32),
// an encoding and the data: a string with a 6-, 14- or 32-bit length, or
// an integer (a 4-bit immediate 0 to 12, int8, int16, int24, int32,
// int64). Written and read here from that description, not from the
// node's code.

const zipHeader = 10

// zipInt is the integer encoding a ziplist gives s (ok false when s is a
// string): zipTryEncoding takes canonical decimal integers of 1 to 31
// bytes.
func zipInt(s string) (enc []byte, ok bool) {
	if len(s) == 0 || len(s) >= 32 {
		return nil, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(v, 10) != s {
		return nil, false
	}
	switch {
	case v >= 0 && v <= 12:
		return []byte{0xF1 + byte(v)}, true
	case v >= -1<<7 && v < 1<<7:
		return []byte{0xFE, byte(v)}, true
	case v >= -1<<15 && v < 1<<15:
		return binary.LittleEndian.AppendUint16([]byte{0xC0}, uint16(v)), true
	case v >= -1<<23 && v < 1<<23:
		return []byte{0xF0, byte(v), byte(v >> 8), byte(v >> 16)}, true
	case v >= -1<<31 && v < 1<<31:
		return binary.LittleEndian.AppendUint32([]byte{0xD0}, uint32(v)), true
	}
	return binary.LittleEndian.AppendUint64([]byte{0xE0}, uint64(v)), true
}

// appendZiplist lays elems out as a ziplist.
func appendZiplist(elems []string) []byte {
	zl := make([]byte, zipHeader)
	prev, tail := 0, zipHeader
	for _, s := range elems {
		start := len(zl)
		if prev < 254 {
			zl = append(zl, byte(prev))
		} else {
			zl = binary.LittleEndian.AppendUint32(append(zl, 0xFE), uint32(prev))
		}
		if enc, ok := zipInt(s); ok {
			zl = append(zl, enc...)
		} else {
			switch n := len(s); {
			case n < 1<<6:
				zl = append(zl, byte(n))
			case n < 1<<14:
				zl = append(zl, byte(0x40|n>>8), byte(n))
			default:
				zl = binary.BigEndian.AppendUint32(append(zl, 0x80), uint32(n))
			}
			zl = append(zl, s...)
		}
		prev, tail = len(zl)-start, start
	}
	zl = append(zl, 0xFF)
	binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
	binary.LittleEndian.PutUint32(zl[4:], uint32(tail))
	binary.LittleEndian.PutUint16(zl[8:], uint16(min(len(elems), 0xFFFF)))
	return zl
}

// readZiplist reads a ziplist's elements as strings, ok false unless
// every header field and entry is consistent with the bytes.
func readZiplist(zl []byte) (elems []string, ok bool) {
	if len(zl) < zipHeader+1 || int(binary.LittleEndian.Uint32(zl)) != len(zl) || zl[len(zl)-1] != 0xFF {
		return nil, false
	}
	end := len(zl) - 1
	p, prev, tail := zipHeader, 0, zipHeader
	for p < end {
		start := p
		plen := int(zl[p])
		p++
		if plen == 0xFE {
			if p+4 > end {
				return nil, false
			}
			plen, p = int(binary.LittleEndian.Uint32(zl[p:])), p+4
		}
		if plen != prev || p >= end {
			return nil, false
		}
		s, next, ok := zipEntry(zl[:end], p)
		if !ok {
			return nil, false
		}
		elems = append(elems, s)
		p, prev, tail = next, next-start, start
	}
	n := int(binary.LittleEndian.Uint16(zl[8:]))
	if int(binary.LittleEndian.Uint32(zl[4:])) != tail || (n != 0xFFFF && n != len(elems)) {
		return nil, false
	}
	return elems, true
}

// zipEntry reads the entry whose encoding is at b[p], returning it and
// where the next entry starts.
func zipEntry(b []byte, p int) (string, int, bool) {
	enc := b[p]
	p++
	str := func(n, at int) (string, int, bool) {
		if n < 0 || at+n > len(b) || at > len(b) {
			return "", 0, false
		}
		return string(b[at : at+n]), at + n, true
	}
	ints := map[byte]int{0xFE: 1, 0xC0: 2, 0xF0: 3, 0xD0: 4, 0xE0: 8}
	switch {
	case enc>>6 == 0:
		return str(int(enc&0x3F), p)
	case enc>>6 == 1:
		if p >= len(b) {
			return "", 0, false
		}
		return str(int(enc&0x3F)<<8|int(b[p]), p+1)
	case enc == 0x80:
		if p+4 > len(b) {
			return "", 0, false
		}
		return str(int(binary.BigEndian.Uint32(b[p:])), p+4)
	case enc >= 0xF1 && enc <= 0xFD:
		return strconv.Itoa(int(enc) - 0xF1), p, true
	}
	size, ok := ints[enc]
	if !ok || p+size > len(b) {
		return "", 0, false
	}
	var u uint64
	for i := size - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[p+i])
	}
	v := int64(u<<(64-8*size)) >> (64 - 8*size) // sign-extend
	return strconv.FormatInt(v, 10), p + size, true
}

// breakZiplist breaks zl (a ziplist of at least one entry for
// ZiplistPrevlen) the way b says.
func breakZiplist(zl []byte, b ZiplistBreak) []byte {
	switch b {
	case ZiplistBytes:
		binary.LittleEndian.PutUint32(zl, uint32(len(zl)+1))
	case ZiplistEnd:
		zl[len(zl)-1] = 0xFE
	case ZiplistTail:
		binary.LittleEndian.PutUint32(zl[4:], binary.LittleEndian.Uint32(zl[4:])+1)
	case ZiplistCount:
		binary.LittleEndian.PutUint16(zl[8:], binary.LittleEndian.Uint16(zl[8:])+1)
	case ZiplistPrevlen:
		zl[zipHeader] = 1
	}
	return zl
}
