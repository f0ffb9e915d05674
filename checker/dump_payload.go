package checker

import (
	"encoding/binary"
	"errors"

	"github.com/replsim/replsim/tap"
)

// DUMP payloads, written independently of the node's RDB code: a value in
// the RDB format (a type byte, then the value), the RDB version as two
// bytes little-endian, then the CRC64 (Jones polynomial, reflected, no
// inversion, as Redis computes it) of all that, little-endian. The
// encoder writes the simplest encodings RESTORE accepts (plain strings, a
// set as a list of members, a hash as a list of pairs); the decoder reads
// those back, so the stream replay can apply a propagated RESTORE.

// Payload type bytes (RDB_TYPE_STRING, RDB_TYPE_SET, RDB_TYPE_HASH).
const (
	rdbTypeString = 0
	rdbTypeSet    = 2
	rdbTypeHash   = 4
)

// DumpVersion is the RDB version Redis 7.0 writes in a DUMP payload and
// the highest RESTORE accepts.
const DumpVersion = 10

var crc64Table = func() (t [256]uint64) {
	const poly = 0x95ac9329ac4bc9b5 // 0xad93d23594c935a9 bit-reversed
	for i := range t {
		c := uint64(i)
		for k := 0; k < 8; k++ {
			if c&1 == 1 {
				c = c>>1 ^ poly
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crc64Jones is Redis's CRC64 of p.
func crc64Jones(p []byte) uint64 {
	var c uint64
	for _, b := range p {
		c = crc64Table[byte(c)^b] ^ c>>8
	}
	return c
}

func appendRDBLen(b []byte, n int) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(0x40|n>>8), byte(n))
	}
	return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
}

func appendRDBString(b []byte, s string) []byte {
	return append(appendRDBLen(b, len(s)), s...)
}

// EncodeDump returns a DUMP payload of the value typ/val (tap's canonical
// encoding; a string's val is itself) with the given RDB version.
func EncodeDump(typ, val string, version uint16) string {
	var b []byte
	switch typ {
	case tap.TypeString:
		b = appendRDBString(append(b, rdbTypeString), val)
	case tap.TypeSet, tap.TypeHash:
		elems, _ := tap.DecodeElems(val)
		n := len(elems)
		if typ == tap.TypeSet {
			b = append(b, rdbTypeSet)
		} else {
			b, n = append(b, rdbTypeHash), n/2
		}
		b = appendRDBLen(b, n)
		for _, e := range elems {
			b = appendRDBString(b, e)
		}
	default:
		panic("checker: no DUMP encoding for a " + typ)
	}
	b = binary.LittleEndian.AppendUint16(b, version)
	return string(binary.LittleEndian.AppendUint64(b, crc64Jones(b)))
}

var errDump = errors.New("DUMP payload version or checksum are wrong")

// checkDumpFooter checks a payload's version and checksum as RESTORE does,
// returning the value part.
func checkDumpFooter(p string) ([]byte, error) {
	b := []byte(p)
	if len(b) < 10 {
		return nil, errDump
	}
	body := b[:len(b)-8]
	ver := binary.LittleEndian.Uint16(body[len(body)-2:])
	if ver > DumpVersion || binary.LittleEndian.Uint64(b[len(b)-8:]) != crc64Jones(body) {
		return nil, errDump
	}
	return body[:len(body)-2], nil
}

// decodeDump reads back a payload EncodeDump wrote (ok false for any
// other encoding, or a payload RESTORE refuses).
func decodeDump(p string) (Value, bool) {
	b, err := checkDumpFooter(p)
	if err != nil || len(b) == 0 {
		return Value{}, false
	}
	typ, b := b[0], b[1:]
	readLen := func() (int, bool) {
		switch {
		case len(b) >= 1 && b[0]>>6 == 0:
			n := int(b[0])
			b = b[1:]
			return n, true
		case len(b) >= 2 && b[0]>>6 == 1:
			n := int(b[0]&0x3f)<<8 | int(b[1])
			b = b[2:]
			return n, true
		case len(b) >= 5 && b[0] == 0x80:
			n := int(binary.BigEndian.Uint32(b[1:]))
			b = b[5:]
			return n, true
		}
		return 0, false
	}
	readStr := func() (string, bool) {
		n, ok := readLen()
		if !ok || n > len(b) {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, true
	}
	switch typ {
	case rdbTypeString:
		s, ok := readStr()
		return Value{Exists: true, Val: s}, ok && len(b) == 0
	case rdbTypeSet, rdbTypeHash:
		n, ok := readLen()
		if !ok {
			return Value{}, false
		}
		if typ == rdbTypeHash {
			n *= 2
		}
		elems := make([]string, 0, n)
		for i := 0; i < n; i++ {
			s, ok := readStr()
			if !ok {
				return Value{}, false
			}
			elems = append(elems, s)
		}
		if len(b) != 0 || n == 0 {
			return Value{}, false
		}
		if typ == rdbTypeSet {
			s := map[string]bool{}
			sadd(s, elems)
			return setValue(s), len(s) == n
		}
		h := map[string]string{}
		for i := 0; i < n; i += 2 {
			h[elems[i]] = elems[i+1]
		}
		return hashValue(h), len(h) == n/2
	}
	return Value{}, false
}
