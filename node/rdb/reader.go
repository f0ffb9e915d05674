package rdb

import (
	"encoding/binary"
	"math"
	"strconv"
)

// reader walks the file, checking every read against the bytes left, so
// that no length taken from the file can cause a read or an allocation
// beyond the input.
type reader struct {
	data []byte
	pos  int
}

// desc says what is being read, for error messages; it is only formatted
// when something goes wrong.
type desc struct {
	what  string
	key   string
	keyed bool
	db    int
	inDB  bool
}

func (d desc) String() string {
	s := d.what
	if d.keyed {
		s += " " + quote(d.key)
	}
	if d.inDB {
		s += " in DB " + strconv.Itoa(d.db)
	}
	return s
}

func (r *reader) left() int { return len(r.data) - r.pos }

func (r *reader) eof(at, need int, d desc) *Error {
	return errorf(at, "unexpected end of file while reading %v (need %d bytes, %d left)", d, need, len(r.data)-at)
}

func (r *reader) bytes(n int, d desc) ([]byte, error) {
	if n > r.left() {
		return nil, r.eof(r.pos, n, d)
	}
	b := r.data[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *reader) byte(d desc) (byte, error) {
	if r.pos >= len(r.data) {
		return 0, r.eof(r.pos, 1, d)
	}
	b := r.data[r.pos]
	r.pos++
	return b, nil
}

// lengthOrEnc reads a length, or the kind of a special string encoding
// (0xC0..0xFF), in which case enc is true and n is the low six bits.
func (r *reader) lengthOrEnc(d desc) (n uint64, enc bool, err error) {
	at := r.pos
	b, err := r.byte(d)
	if err != nil {
		return 0, false, err
	}
	switch {
	case b>>6 == 3:
		return uint64(b & 0x3F), true, nil
	case b>>6 == 0:
		return uint64(b), false, nil
	case b>>6 == 1:
		c, err := r.byte(d)
		if err != nil {
			return 0, false, r.eof(at, 2, d)
		}
		return uint64(b&0x3F)<<8 | uint64(c), false, nil
	case b == len32:
		v, err := r.bytes(4, d)
		if err != nil {
			return 0, false, r.eof(at, 5, d)
		}
		return uint64(binary.BigEndian.Uint32(v)), false, nil
	case b == len64:
		v, err := r.bytes(8, d)
		if err != nil {
			return 0, false, r.eof(at, 9, d)
		}
		return binary.BigEndian.Uint64(v), false, nil
	default:
		return 0, false, errorf(at, "unknown length encoding 0x%02X while reading %v", b, d)
	}
}

// length reads a plain length. As Redis's rdbLoadLen, it takes a string
// encoding byte (0xC0 to 0xFF) for the length in its low six bits.
func (r *reader) length(d desc) (uint64, error) {
	n, _, err := r.lengthOrEnc(d)
	return n, err
}

// str reads a string in any encoding. fresh says whether the result was
// newly allocated (else it aliases the input).
func (r *reader) str(d desc) (s []byte, fresh bool, err error) {
	at := r.pos
	n, enc, err := r.lengthOrEnc(d)
	if err != nil {
		return nil, false, err
	}
	if !enc {
		if n > uint64(r.left()) {
			return nil, false, r.eof(at, int(min(n, math.MaxInt32))+r.pos-at, d)
		}
		s, _ := r.bytes(int(n), d)
		return s, false, nil
	}
	switch n | 0xC0 {
	case encInt8:
		b, err := r.bytes(1, d)
		if err != nil {
			return nil, false, r.eof(at, 2, d)
		}
		return appendInt(nil, int64(int8(b[0]))), true, nil
	case encInt16:
		b, err := r.bytes(2, d)
		if err != nil {
			return nil, false, r.eof(at, 3, d)
		}
		return appendInt(nil, int64(int16(binary.LittleEndian.Uint16(b)))), true, nil
	case encInt32:
		b, err := r.bytes(4, d)
		if err != nil {
			return nil, false, r.eof(at, 5, d)
		}
		return appendInt(nil, int64(int32(binary.LittleEndian.Uint32(b)))), true, nil
	case encLZF:
		return r.lzf(at, d)
	default:
		return nil, false, errorf(at, "unknown string encoding 0x%02X while reading %v", n|0xC0, d)
	}
}

func (r *reader) lzf(at int, d desc) ([]byte, bool, error) {
	clen, err := r.length(d)
	if err != nil {
		return nil, false, err
	}
	ulen, err := r.length(d)
	if err != nil {
		return nil, false, err
	}
	if clen > uint64(r.left()) {
		return nil, false, r.eof(at, int(min(clen, math.MaxInt32))+r.pos-at, d)
	}
	src, _ := r.bytes(int(clen), d)
	if ulen > uint64(len(src))*lzfMaxExpansion {
		return nil, false, errorf(at, "LZF string of %d bytes cannot expand to the %d bytes it claims, while reading %v", clen, ulen, d)
	}
	out, err := LZFDecompress(nil, src, int(ulen))
	if err != nil {
		return nil, false, errorf(at, "invalid LZF compressed string while reading %v: %v", d, err)
	}
	return out, true, nil
}
