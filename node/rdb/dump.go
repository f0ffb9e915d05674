package rdb

import (
	"encoding/binary"
	"errors"
)

// DUMP payloads: one value as Redis's DUMP serializes it (createDumpPayload)
// and RESTORE reads it: the value's type byte and its RDB encoding, then
// the RDB version (2 bytes, little endian) and a CRC-64 of everything
// before it (8 bytes, little endian).

// ErrDumpFooter is a payload shorter than its footer, from a newer RDB
// version than 10, or whose checksum does not match (Redis's "DUMP payload
// version or checksum are wrong").
var ErrDumpFooter = errors.New("rdb: DUMP payload version or checksum are wrong")

// AppendDump appends the DUMP payload of e's value (e.Key and
// e.ExpireAtMs are not part of it). compress is rdbcompression.
func AppendDump(dst []byte, e *Entry, compress bool) []byte {
	var t *lzfTable
	if compress {
		t = lzfTables.Get().(*lzfTable)
		defer lzfTables.Put(t)
	}
	start := len(dst)
	dst = append(dst, byte(e.Type))
	dst = appendValue(dst, t, e)
	dst = append(dst, version&0xff, version>>8)
	return binary.LittleEndian.AppendUint64(dst, CRC64(0, dst[start:]))
}

// VerifyDump checks a payload's footer as verifyDumpPayload does: at least
// 10 bytes, an RDB version of at most 10 and a matching CRC-64 (checked
// unless skipChecksum).
func VerifyDump(p []byte, skipChecksum bool) error {
	if len(p) < 10 {
		return ErrDumpFooter
	}
	footer := p[len(p)-10:]
	if int(footer[0])|int(footer[1])<<8 > version {
		return ErrDumpFooter
	}
	if skipChecksum {
		return nil
	}
	if CRC64(0, p[:len(p)-8]) != binary.LittleEndian.Uint64(footer[2:]) {
		return ErrDumpFooter
	}
	return nil
}

// ParseDump decodes the value of a payload VerifyDump accepted into an
// Entry with key as its Key, checked as Parse checks values. An empty
// collection or an unknown or unsupported type is an error (Redis's "Bad
// data format"). As Redis's RESTORE, it reads the payload as a whole: a
// value may run into the footer's bytes, and bytes after it are ignored.
func ParseDump(p []byte, key string) (Entry, error) {
	if len(p) < 10 {
		return Entry{}, ErrDumpFooter
	}
	ps := parser{r: reader{data: p}, version: version, cur: -1}
	ps.budget = len(ps.r.data) / 3
	t, err := ps.r.byte(desc{what: "the value type"})
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Key: key, Type: Type(t)}
	d := desc{what: "the value of key", key: key, keyed: true}
	switch Type(t) {
	case TypeString:
		v, fresh, err := ps.r.str(d)
		if err != nil {
			return Entry{}, err
		}
		if !fresh {
			v = append([]byte(nil), v...)
		}
		e.Value = v
	case TypeSet, TypeHash, TypeZset2, TypeSetIntset, TypeHashListpack, TypeZsetListpack, TypeListQuicklist2, typeZsetOld,
		typeZsetZiplist, typeListZiplist, typeHashZiplist, typeListQuicklist, typeListOld, typeHashZipmap:
		empty, err := ps.collection(&e, d)
		if err != nil {
			return Entry{}, err
		}
		if empty {
			return Entry{}, errorf(0, "empty collection for %v", d)
		}
	default:
		return Entry{}, errorf(0, "unsupported value type %d", t)
	}
	return e, nil
}
