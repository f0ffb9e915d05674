package checker

import "encoding/binary"

// RDBAuxEnd returns the offset where an RDB file's AUX fields end (the
// first opcode after "REDISnnnn" that is not AUX, 0xFA), read with the
// format's own rules (rdb.h: the length encodings and the special string
// encodings), or -1 when data is not an RDB whose AUX fields parse. It
// knows nothing else of the format, on purpose: it tells a checker
// whether a flipped byte fell among the AUX fields, whose log lines a
// load writes as it reads them.
func RDBAuxEnd(data []byte) int64 {
	const magic = "REDIS"
	if len(data) < 9 || string(data[:5]) != magic {
		return -1
	}
	pos := 9
	for pos < len(data) && data[pos] == 0xFA {
		pos++
		for range 2 { // the field's name and its value
			next, ok := skipRDBString(data, pos)
			if !ok {
				return -1
			}
			pos = next
		}
	}
	if pos >= len(data) {
		return -1
	}
	return int64(pos)
}

// skipRDBString returns the offset after the string encoded at pos.
func skipRDBString(data []byte, pos int) (int, bool) {
	n, special, next, ok := rdbLength(data, pos)
	if !ok {
		return 0, false
	}
	if !special {
		return next + int(n), next+int(n) <= len(data) && n <= uint64(len(data))
	}
	switch n {
	case 0, 1, 2: // an int8, int16 or int32
		end := next + 1<<n
		return end, end <= len(data)
	case 3: // LZF: compressed length, uncompressed length, the bytes
		clen, sp1, p1, ok1 := rdbLength(data, next)
		_, sp2, p2, ok2 := rdbLength(data, p1)
		if !ok1 || !ok2 || sp1 || sp2 || clen > uint64(len(data)) {
			return 0, false
		}
		end := p2 + int(clen)
		return end, end <= len(data)
	}
	return 0, false
}

// rdbLength decodes the length at pos (rdbLoadLenByRef): 6, 14, 32 or 64
// bits, or a special encoding's number when special is set.
func rdbLength(data []byte, pos int) (n uint64, special bool, next int, ok bool) {
	if pos >= len(data) {
		return 0, false, 0, false
	}
	b := data[pos]
	switch b >> 6 {
	case 0:
		return uint64(b & 0x3F), false, pos + 1, true
	case 1:
		if pos+2 > len(data) {
			return 0, false, 0, false
		}
		return uint64(b&0x3F)<<8 | uint64(data[pos+1]), false, pos + 2, true
	case 3:
		return uint64(b & 0x3F), true, pos + 1, true
	}
	switch b {
	case 0x80:
		if pos+5 > len(data) {
			return 0, false, 0, false
		}
		return uint64(binary.BigEndian.Uint32(data[pos+1:])), false, pos + 5, true
	case 0x81:
		if pos+9 > len(data) {
			return 0, false, 0, false
		}
		return binary.BigEndian.Uint64(data[pos+1:]), false, pos + 9, true
	}
	return 0, false, 0, false
}
