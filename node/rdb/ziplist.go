package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/replsim/replsim/node/listpack"
)

// typeZsetZiplist is RDB_TYPE_ZSET_ZIPLIST: a small sorted set as a
// ziplist of member, score, member, score... (RDB before 10). Redis 7.0
// converts it to a listpack on load, and so does the parser: the entry
// comes back as TypeZsetListpack.
const typeZsetZiplist = 12

// The other pre-7.0 ziplist encodings: a list as one ziplist
// (RDB_TYPE_LIST_ZIPLIST), a hash as a ziplist of field, value...
// (RDB_TYPE_HASH_ZIPLIST) and a list as a quicklist of ziplists
// (RDB_TYPE_LIST_QUICKLIST). Redis 7.0 converts them on load into the
// listpack encodings, and so does the parser.
const (
	typeListZiplist   = 10
	typeHashZiplist   = 13
	typeListQuicklist = 14
)

// ziplistConverted is the type a ziplist-encoded hash or sorted set is
// read into.
var ziplistConverted = map[Type]Type{typeZsetZiplist: TypeZsetListpack, typeHashZiplist: TypeHashListpack}

// Ziplist layout: zlbytes (uint32), zltail (uint32), zllen (uint16), the
// entries, 0xFF. Each entry: the previous entry's length (1 byte, or 0xFE
// and 4 bytes), an encoding, the data.
const (
	zlHeaderSize = 10
	zlEnd        = 0xFF
)

// ziplistElements decodes a ziplist into its elements as strings,
// checking every length against the blob (ziplistValidateIntegrity with
// deep checking).
func ziplistElements(zl []byte) ([]string, error) {
	if len(zl) < zlHeaderSize+1 {
		return nil, errors.New("ziplist shorter than its header")
	}
	if int(binary.LittleEndian.Uint32(zl)) != len(zl) {
		return nil, fmt.Errorf("ziplist header says %d bytes, has %d", binary.LittleEndian.Uint32(zl), len(zl))
	}
	if zl[len(zl)-1] != zlEnd {
		return nil, errors.New("ziplist does not end with 0xFF")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	count := int(binary.LittleEndian.Uint16(zl[8:]))
	var out []string
	p, prev, last := zlHeaderSize, 0, -1
	for zl[p] != zlEnd {
		start := p
		// Previous entry length.
		var prevlen int
		if zl[p] < 0xFE {
			prevlen = int(zl[p])
			p++
		} else {
			if p+5 > len(zl)-1 {
				return nil, errors.New("ziplist entry runs past the end")
			}
			prevlen = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		}
		if prevlen != prev {
			return nil, fmt.Errorf("ziplist entry at %d says the previous one is %d bytes, it is %d", start, prevlen, prev)
		}
		if p >= len(zl)-1 {
			return nil, errors.New("ziplist entry runs past the end")
		}
		enc := zl[p]
		var s string
		need := func(k int) error {
			if p+k > len(zl)-1 {
				return errors.New("ziplist entry runs past the end")
			}
			return nil
		}
		switch {
		case enc>>6 == 0: // 00pppppp: string, 6-bit length
			n := int(enc & 0x3F)
			p++
			if err := need(n); err != nil {
				return nil, err
			}
			s, p = string(zl[p:p+n]), p+n
		case enc>>6 == 1: // 01pppppp qqqqqqqq: 14-bit length, big endian
			if err := need(2); err != nil {
				return nil, err
			}
			n := int(enc&0x3F)<<8 | int(zl[p+1])
			p += 2
			if err := need(n); err != nil {
				return nil, err
			}
			s, p = string(zl[p:p+n]), p+n
		case enc == 0x80: // 10000000 + 4 bytes big endian length
			if err := need(5); err != nil {
				return nil, err
			}
			n := int(binary.BigEndian.Uint32(zl[p+1:]))
			p += 5
			if n < 0 || n > len(zl) {
				return nil, errors.New("ziplist entry runs past the end")
			}
			if err := need(n); err != nil {
				return nil, err
			}
			s, p = string(zl[p:p+n]), p+n
		default:
			var v int64
			var size int
			switch enc {
			case 0xC0:
				size = 2
			case 0xD0:
				size = 4
			case 0xE0:
				size = 8
			case 0xF0:
				size = 3
			case 0xFE:
				size = 1
			default:
				if enc < 0xF1 || enc > 0xFD {
					return nil, fmt.Errorf("ziplist entry has a bad encoding 0x%02X", enc)
				}
				v = int64(enc&0x0F) - 1
			}
			p++
			if err := need(size); err != nil {
				return nil, err
			}
			switch size {
			case 1:
				v = int64(int8(zl[p]))
			case 2:
				v = int64(int16(binary.LittleEndian.Uint16(zl[p:])))
			case 3:
				v = int64(int32(uint32(zl[p])<<8|uint32(zl[p+1])<<16|uint32(zl[p+2])<<24) >> 8)
			case 4:
				v = int64(int32(binary.LittleEndian.Uint32(zl[p:])))
			case 8:
				v = int64(binary.LittleEndian.Uint64(zl[p:]))
			}
			p += size
			s = strconv.FormatInt(v, 10)
		}
		out = append(out, s)
		prev, last = p-start, start
	}
	if p != len(zl)-1 {
		return nil, errors.New("ziplist has bytes after its end marker")
	}
	if (last < 0 && tail != zlHeaderSize) || (last >= 0 && tail != last) {
		return nil, fmt.Errorf("ziplist tail offset %d is wrong", tail)
	}
	if count != 0xFFFF && count != len(out) {
		return nil, fmt.Errorf("ziplist header says %d entries, has %d", count, len(out))
	}
	return out, nil
}

// ziplistToListpack is the conversion Redis 7.0 applies to a ziplist on
// load: the same elements in a listpack.
func ziplistToListpack(zl []byte) ([]byte, error) {
	elems, err := ziplistElements(zl)
	if err != nil {
		return nil, err
	}
	return listpack.FromStrings(elems), nil
}
