package checker

import (
	"encoding/binary"
	"errors"
	"math"
	"sort"
	"strconv"

	"github.com/replsim/replsim/tap"
)

// DUMP payloads, written independently of the node's RDB code: a value in
// the RDB format (a type byte, then the value), the RDB version as two
// bytes little-endian, then the CRC64 (Jones polynomial, reflected, no
// inversion, as Redis computes it) of all that, little-endian. The
// encoder writes plain layouts (a string, a set as a list of members, a
// hash as a list of pairs, a sorted set with binary scores) and the
// pre-7.0 ziplist ones Redis 7.0 still restores (dump_ziplist.go); the
// decoder reads those back, so the model and the stream replay can apply
// a RESTORE.

// Payload type bytes (RDB_TYPE_STRING, _SET, _HASH, _ZSET_2,
// _LIST_ZIPLIST, _ZSET_ZIPLIST, _HASH_ZIPLIST, _LIST_QUICKLIST).
const (
	rdbTypeString        = 0
	rdbTypeSet           = 2
	rdbTypeHash          = 4
	rdbTypeZset2         = 5
	rdbTypeListZiplist   = 10
	rdbTypeZsetZiplist   = 12
	rdbTypeHashZiplist   = 13
	rdbTypeListQuicklist = 14
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

// DumpLayout says how EncodeDumpAs lays a value out. Strings and sets
// have one layout (a plain string, a list of members); without Ziplist a
// hash is a list of pairs, a sorted set a list of members and binary
// scores (RDB_TYPE_ZSET_2) and a list a quicklist of ziplists.
type DumpLayout struct {
	// Ziplist writes a hash, sorted set or list as one ziplist (RDB types
	// 13, 12 and 10), as Redis before 3.2 (lists) or 7.0 did.
	Ziplist bool
	// Break breaks every ziplist as it says (ZiplistIntact for none).
	Break ZiplistBreak
	// Old writes a list, hash or sorted set in Redis 2.4's encodings, a
	// set of integers as an intset (dump_old.go); it wins over Ziplist.
	Old bool
	// Forms, when not 0, seeds the choice of each length's and string's
	// form: its shortest, a longer length encoding, an integer encoding,
	// LZF.
	Forms uint64
	// OldBreak breaks the payload as it says (OldIntact for none).
	OldBreak OldBreak
}

// ZiplistBreak is a way to break a ziplist that RESTORE refuses as "Bad
// data format".
type ZiplistBreak int

// The ways: a byte count one too high, no end marker, a tail offset or
// an entry count one too high, a first entry that claims a previous one.
const (
	ZiplistIntact ZiplistBreak = iota
	ZiplistBytes
	ZiplistEnd
	ZiplistTail
	ZiplistCount
	ZiplistPrevlen
)

// ZiplistBreaks is the number of ZiplistBreak values.
const ZiplistBreaks = 6

// EncodeDump returns a DUMP payload of the value typ/val (tap's canonical
// encoding; a string's val is itself) with the given RDB version.
func EncodeDump(typ, val string, version uint16) string {
	return EncodeDumpAs(typ, val, version, DumpLayout{})
}

// EncodeDumpAs is EncodeDump with the layout l.
func EncodeDumpAs(typ, val string, version uint16, l DumpLayout) string {
	var b []byte
	elems, _ := tap.DecodeElems(val)
	w := &dumpWriter{x: l.Forms, brk: l.OldBreak}
	zl := func(b []byte, elems []string) []byte {
		z := breakZiplist(appendZiplist(elems), l.Break)
		return w.str(b, string(z))
	}
	old, isOld := []byte(nil), false
	if l.Old {
		old, isOld = w.encodeOld(typ, elems)
	}
	switch {
	case isOld:
		b = old
	case typ == tap.TypeString:
		b = w.str(append(b, rdbTypeString), val)
	case l.Ziplist && typ == tap.TypeZset:
		b = zl(append(b, rdbTypeZsetZiplist), w.duplicate(scoreOrder(elems), 2))
	case l.Ziplist && typ != tap.TypeSet:
		if typ == tap.TypeHash {
			elems = w.duplicate(elems, 2)
		}
		b = zl(append(b, map[string]byte{tap.TypeHash: rdbTypeHashZiplist, tap.TypeList: rdbTypeListZiplist}[typ]), elems)
	case typ == tap.TypeList:
		// Nodes of at most two elements, as a quicklist with a small
		// list-max-ziplist-size writes them.
		b = w.count(append(b, rdbTypeListQuicklist), (len(elems)+1)/2)
		for i := 0; i < len(elems); i += 2 {
			b = zl(b, elems[i:min(i+2, len(elems))])
		}
	case typ == tap.TypeZset:
		elems = w.duplicate(elems, 2)
		b = w.count(append(b, rdbTypeZset2), len(elems)/2)
		for i := 0; i+1 < len(elems); i += 2 {
			f, _ := parseScore(elems[i+1])
			b = binary.LittleEndian.AppendUint64(w.str(b, elems[i]), math.Float64bits(w.nan(i, f)))
		}
	case typ == tap.TypeSet || typ == tap.TypeHash:
		if typ == tap.TypeSet {
			// Not a hash: Redis 7.0.15 without deep sanitization loads a
			// small one's duplicate fields into a listpack, and crashes.
			elems = w.duplicate(elems, 1)
		}
		n := len(elems)
		if typ == tap.TypeSet {
			b = append(b, rdbTypeSet)
		} else {
			b, n = append(b, rdbTypeHash), n/2
		}
		b = w.count(b, n)
		for _, e := range elems {
			b = w.str(b, e)
		}
	default:
		panic("checker: no DUMP encoding for a " + typ)
	}
	switch {
	case l.OldBreak == OldLengthEncoding:
		b[1] = 0x82
	case l.OldBreak == OldStringEncoding && typ == tap.TypeString:
		b[1] = 0xC4
	}
	b = binary.LittleEndian.AppendUint16(b, version)
	return string(binary.LittleEndian.AppendUint64(b, crc64Jones(b)))
}

// scoreOrder orders a sorted set's member, score pairs by score, then
// member, as a ziplist keeps them (Redis trusts a payload's order).
func scoreOrder(elems []string) []string {
	type pair struct {
		m, s string
		f    float64
	}
	ps := make([]pair, 0, len(elems)/2)
	for i := 0; i+1 < len(elems); i += 2 {
		f, _ := parseScore(elems[i+1])
		ps = append(ps, pair{elems[i], elems[i+1], f})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].f < ps[j].f || (ps[i].f == ps[j].f && ps[i].m < ps[j].m) })
	out := make([]string, 0, len(elems))
	for _, p := range ps {
		out = append(out, p.m, p.s)
	}
	return out
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

// decodeDump reads back a payload EncodeDumpAs wrote (ok false for any
// other encoding, or a payload RESTORE refuses).
func decodeDump(p string) (Value, bool) {
	b, err := checkDumpFooter(p)
	if err != nil || len(b) == 0 {
		return Value{}, false
	}
	d := dumpReader{b: b[1:]}
	var elems []string
	ok := true
	switch b[0] {
	case rdbTypeString:
		s := d.str(&ok)
		return Value{Exists: true, Val: s}, ok && len(d.b) == 0
	case rdbTypeSet, rdbTypeHash, rdbTypeZset2, rdbTypeList, rdbTypeZset:
		n := d.len(&ok)
		if b[0] == rdbTypeHash {
			n *= 2
		}
		if n > len(d.b) {
			return Value{}, false
		}
		for i := 0; i < n && ok; i++ {
			elems = append(elems, d.str(&ok))
			switch b[0] {
			case rdbTypeZset2:
				elems = append(elems, d.double(&ok))
			case rdbTypeZset:
				elems = append(elems, d.scoreString(&ok))
			}
		}
	case rdbTypeZipmap:
		if blob := d.str(&ok); ok {
			elems, ok = zipmapPairsOf([]byte(blob))
		}
	case rdbTypeIntset:
		if blob := d.str(&ok); ok {
			elems, ok = intsetMembers([]byte(blob))
		}
	case rdbTypeListZiplist, rdbTypeZsetZiplist, rdbTypeHashZiplist:
		if blob := d.str(&ok); ok {
			elems, ok = readZiplist([]byte(blob))
		}
	case rdbTypeListQuicklist:
		for n := d.len(&ok); n > 0 && ok; n-- {
			var node []string
			if blob := d.str(&ok); ok {
				node, ok = readZiplist([]byte(blob))
			}
			elems = append(elems, node...)
		}
	default:
		return Value{}, false
	}
	if !ok || len(d.b) != 0 || len(elems) == 0 {
		return Value{}, false
	}
	return dumpValue(b[0], elems)
}

// dumpValue makes the value of a payload's elements, ok false for what
// RESTORE refuses: duplicate members or fields, an odd pair count.
func dumpValue(typ byte, elems []string) (Value, bool) {
	switch typ {
	case rdbTypeListZiplist, rdbTypeListQuicklist, rdbTypeList:
		return listValue(elems), true
	case rdbTypeSet, rdbTypeIntset:
		s := map[string]bool{}
		sadd(s, elems)
		return setValue(s), len(s) == len(elems)
	}
	if len(elems)%2 != 0 {
		return Value{}, false
	}
	if typ == rdbTypeHash || typ == rdbTypeHashZiplist || typ == rdbTypeZipmap {
		h := map[string]string{}
		for i := 0; i < len(elems); i += 2 {
			h[elems[i]] = elems[i+1]
		}
		return hashValue(h), len(h) == len(elems)/2
	}
	z := map[string]float64{}
	for i := 0; i < len(elems); i += 2 {
		f, ok := parseScore(elems[i+1])
		if !ok || math.IsNaN(f) {
			return Value{}, false
		}
		z[elems[i]] = f
	}
	return zsetValue(z), len(z) == len(elems)/2
}

// dumpReader reads a payload's RDB lengths and strings; a read past the
// end clears *ok.
type dumpReader struct{ b []byte }

func (d *dumpReader) len(ok *bool) int {
	b := d.b
	switch {
	case len(b) >= 1 && b[0]>>6 == 3:
		// rdbLoadLen takes a string encoding byte's low six bits.
		d.b = b[1:]
		return int(b[0] & 0x3f)
	case len(b) >= 9 && b[0] == 0x81:
		d.b = b[9:]
		n := binary.BigEndian.Uint64(b[1:])
		if n > math.MaxInt32 {
			*ok = false
			return 0
		}
		return int(n)
	case len(b) >= 1 && b[0]>>6 == 0:
		d.b = b[1:]
		return int(b[0])
	case len(b) >= 2 && b[0]>>6 == 1:
		d.b = b[2:]
		return int(b[0]&0x3f)<<8 | int(b[1])
	case len(b) >= 5 && b[0] == 0x80:
		d.b = b[5:]
		return int(binary.BigEndian.Uint32(b[1:]))
	}
	*ok = false
	return 0
}

// str reads a string in any of its forms: a length and the bytes, an
// integer (0xC0 to 0xC2) or LZF (0xC3).
func (d *dumpReader) str(ok *bool) string {
	if len(d.b) > 0 && d.b[0]>>6 == 3 {
		return d.encoded(ok)
	}
	n := d.len(ok)
	if !*ok || n > len(d.b) {
		*ok = false
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// double reads a binary score as its canonical string.
func (d *dumpReader) double(ok *bool) string {
	if len(d.b) < 8 {
		*ok = false
		return ""
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return tap.FormatScore(f)
}

func (d *dumpReader) encoded(ok *bool) string {
	enc := d.b[0]
	d.b = d.b[1:]
	if enc == 0xC3 {
		clen := d.len(ok)
		ulen := d.len(ok)
		if !*ok || clen > len(d.b) {
			*ok = false
			return ""
		}
		out, good := lzfExpand(d.b[:clen], ulen)
		d.b = d.b[clen:]
		if !good {
			*ok = false
			return ""
		}
		return string(out)
	}
	size := map[byte]int{0xC0: 1, 0xC1: 2, 0xC2: 4}[enc]
	if size == 0 || len(d.b) < size {
		*ok = false
		return ""
	}
	var u uint64
	for i := size - 1; i >= 0; i-- {
		u = u<<8 | uint64(d.b[i])
	}
	d.b = d.b[size:]
	return strconv.FormatInt(int64(u<<(64-8*size))>>(64-8*size), 10)
}

// scoreString reads a RDB_TYPE_ZSET score: a length byte and a decimal,
// or 254 (+inf) or 255 (-inf); 253 (NaN) or a bad decimal clears *ok.
func (d *dumpReader) scoreString(ok *bool) string {
	if len(d.b) < 1 {
		*ok = false
		return ""
	}
	n := int(d.b[0])
	d.b = d.b[1:]
	switch n {
	case 254:
		return tap.FormatScore(math.Inf(1))
	case 255:
		return tap.FormatScore(math.Inf(-1))
	}
	if n == 253 || n > len(d.b) {
		*ok = false
		return ""
	}
	f, good := parseScore(string(d.b[:n]))
	d.b = d.b[n:]
	if !good {
		*ok = false
		return ""
	}
	return tap.FormatScore(f)
}
