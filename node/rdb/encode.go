package rdb

import (
	"encoding/binary"
	"strconv"
)

// File layout bytes.
const (
	magic   = "REDIS"
	version = 10

	opFunction2  = 0xF5
	opFunction   = 0xF6
	opModuleAux  = 0xF7
	opIdle       = 0xF8
	opFreq       = 0xF9
	opAux        = 0xFA
	opResizeDB   = 0xFB
	opExpireMs   = 0xFC
	opExpireSec  = 0xFD
	opSelectDB   = 0xFE
	opEOF        = 0xFF
	typeString   = 0
	len32        = 0x80
	len64        = 0x81
	encInt8      = 0xC0
	encInt16     = 0xC1
	encInt32     = 0xC2
	encLZF       = 0xC3
	lzfMinLength = 21 // Redis does not try LZF on shorter strings
)

// Append encodes s as an RDB v10 file appended to dst: "REDIS0010", AUX
// fields in s.Aux order, then per DB with entries (in DBs order; empty DBs
// are skipped) 0xFE dbid, 0xFB <len entries> <len entries-with-expiry>, per
// entry [0xFC int64-LE ms] 0x00 key value, then 0xFF and the 8-byte CRC-64
// (little endian) when o.Checksum, else 8 zero bytes.
//
// Strings are encoded as Redis's rdbSaveRawString does, so a snapshot of
// a Redis keyspace comes out byte for byte as Redis 7.0 would write it
// (collections in a table encoding in the order given).
// Append does not validate: DB indexes must be non-negative and unique,
// keys unique within a DB, and ExpireAtMs 0 means no expiry.
func Append(dst []byte, s *Snapshot, o Options) []byte {
	var t *lzfTable
	if o.Compress {
		t = lzfTables.Get().(*lzfTable)
		defer lzfTables.Put(t)
	}
	start := len(dst)
	dst = append(dst, magic...)
	dst = append(dst, '0', '0', '1', '0')
	if s != nil {
		for _, a := range s.Aux {
			dst = append(dst, opAux)
			dst = appendString(dst, t, a.Key)
			dst = appendString(dst, t, a.Value)
		}
		for i := range s.DBs {
			dst = appendDB(dst, t, &s.DBs[i])
		}
	}
	dst = append(dst, opEOF)
	var sum uint64
	if o.Checksum {
		sum = CRC64(0, dst[start:])
	}
	return binary.LittleEndian.AppendUint64(dst, sum)
}

func appendDB(dst []byte, t *lzfTable, db *DB) []byte {
	if len(db.Entries) == 0 {
		return dst
	}
	expires := 0
	for i := range db.Entries {
		if db.Entries[i].ExpireAtMs != 0 {
			expires++
		}
	}
	dst = append(dst, opSelectDB)
	dst = appendLen(dst, uint64(db.Index))
	dst = append(dst, opResizeDB)
	dst = appendLen(dst, uint64(len(db.Entries)))
	dst = appendLen(dst, uint64(expires))
	for i := range db.Entries {
		e := &db.Entries[i]
		if e.ExpireAtMs != 0 {
			dst = append(dst, opExpireMs)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(e.ExpireAtMs))
		}
		dst = append(dst, byte(e.Type))
		dst = appendString(dst, t, e.Key)
		dst = appendValue(dst, t, e)
	}
	return dst
}

// appendLen appends an RDB length: 6 bit, 14 bit big endian, or a marker
// byte and a 32 or 64 bit big-endian number.
func appendLen(dst []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(dst, byte(n))
	case n < 1<<14:
		return append(dst, byte(n>>8)|0x40, byte(n))
	case n <= 1<<32-1:
		return binary.BigEndian.AppendUint32(append(dst, len32), uint32(n))
	default:
		return binary.BigEndian.AppendUint64(append(dst, len64), n)
	}
}

// appendString appends s the way rdbSaveRawString does: as an 8, 16 or 32
// bit integer when s is the canonical decimal form of one, else LZF
// compressed when t is non-nil (compression on), s is longer than 20 bytes
// and compresses into at most len(s)-4 bytes, else length-prefixed.
func appendString[S string | []byte](dst []byte, t *lzfTable, s S) []byte {
	if v, ok := smallInt(s); ok {
		switch {
		case v == int64(int8(v)):
			return append(dst, encInt8, byte(v))
		case v == int64(int16(v)):
			return binary.LittleEndian.AppendUint16(append(dst, encInt16), uint16(v))
		default:
			return binary.LittleEndian.AppendUint32(append(dst, encInt32), uint32(v))
		}
	}
	if t != nil && len(s) >= lzfMinLength {
		var ok bool
		if t.scratch, ok = lzfCompress(t, t.scratch[:0], s, len(s)-4); ok {
			dst = append(dst, encLZF)
			dst = appendLen(dst, uint64(len(t.scratch)))
			dst = appendLen(dst, uint64(len(s)))
			return append(dst, t.scratch...)
		}
	}
	dst = appendLen(dst, uint64(len(s)))
	return append(dst, s...)
}

// smallInt reports whether s is the canonical decimal form (no sign but
// '-', no leading zeros, no "-0") of an int64 in the int32 range, which is
// what Redis stores integer-encoded.
func smallInt[S string | []byte](s S) (int64, bool) {
	if len(s) == 0 || len(s) > 11 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	i, neg := 0, false
	if s[0] == '-' {
		neg, i = true, 1
	}
	if i == len(s) || s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v int64
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int64(s[i]-'0') // at most 11 digits: no overflow
	}
	if neg {
		v = -v
	}
	if v != int64(int32(v)) {
		return 0, false
	}
	return v, true
}

// appendInt appends the decimal form of v, as Redis's ll2string does.
func appendInt(dst []byte, v int64) []byte {
	return strconv.AppendInt(dst, v, 10)
}
