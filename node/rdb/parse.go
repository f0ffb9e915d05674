package rdb

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Parse decodes a whole RDB file of version 1 to 10 holding strings and
// collections in the encodings Redis 7.0 writes (see Type; sorted sets with
// string scores, type 3, come back as TypeZset2). Blobs and collections are
// checked deeply (listpacks and intsets well formed, no duplicate members);
// empty collections are skipped, as Redis skips them.
//
// All AUX fields are kept, in file order, including ones Parse does not
// know. Expiries may be given in milliseconds (0xFC) or seconds (0xFD);
// RESIZEDB hints and LRU/LFU hints (0xF8, 0xF9) are read and dropped. A
// non-zero CRC-64 trailer (version 5 and later) must match. Keys appear in
// file order; entries of a DB selected more than once are merged; empty
// values come back as nil. Ziplists (RDB before 10) come back as the
// listpacks Redis 7.0 converts them to: a sorted set's or a hash's as
// TypeZsetListpack or TypeHashListpack, a list's (one ziplist, or a
// quicklist of them) as TypeListQuicklist2; Redis 2.4's linked lists
// as TypeListQuicklist2 and zipmaps as TypeHash. Streams, modules, module AUX data and function libraries give an *Error, as
// do truncation, duplicate keys, an expiry of exactly 0 (which Entry
// cannot represent) and bytes after the end of the file.
func Parse(data []byte) (*Snapshot, error) {
	p := parser{r: reader{data: data}}
	if err := p.header(); err != nil {
		return nil, err
	}
	if err := p.body(); err != nil {
		return nil, err
	}
	if err := p.trailer(); err != nil {
		return nil, err
	}
	return &p.snap, nil
}

type parser struct {
	r       reader
	version int
	snap    Snapshot
	// cur is the index in snap.DBs of the selected DB, or -1 if no entry
	// has been stored in it yet (curID tells which it is).
	cur   int
	curID int
	// hint is the RESIZEDB key count, bounded by budget: the number of
	// entries that may still be preallocated from untrusted hints in total.
	hint   int
	budget int
	// seen holds the keys of every DB in snap.DBs, to reject duplicates.
	seen []map[string]struct{}
}

func (p *parser) header() error {
	b, err := p.r.bytes(9, desc{what: "the header"})
	if err != nil {
		return err
	}
	if string(b[:5]) != magic {
		return errorf(0, "not an RDB file: header %q does not start with %q", b, magic)
	}
	v := 0
	for _, c := range b[5:] {
		if c < '0' || c > '9' {
			return errorf(5, "bad RDB version field %q", b[5:])
		}
		v = v*10 + int(c-'0')
	}
	if v < 1 || v > version {
		return errorf(5, "can't handle RDB format version %d", v)
	}
	p.version = v
	p.cur = -1
	p.budget = len(p.r.data) / 3 // an entry takes at least 3 bytes
	return nil
}

func (p *parser) body() error {
	expire, expireSet := int64(0), false
	for {
		at := p.r.pos
		op, err := p.r.byte(desc{what: "an opcode or value type"})
		if err != nil {
			return err
		}
		switch op {
		case opEOF:
			return nil
		case opExpireMs:
			b, err := p.r.bytes(8, desc{what: "a millisecond expiry"})
			if err != nil {
				return err
			}
			expire, expireSet = int64(binary.LittleEndian.Uint64(b)), true
		case opExpireSec:
			b, err := p.r.bytes(4, desc{what: "a second expiry"})
			if err != nil {
				return err
			}
			expire, expireSet = int64(int32(binary.LittleEndian.Uint32(b)))*1000, true
		case opFreq:
			if _, err := p.r.byte(desc{what: "an LFU frequency"}); err != nil {
				return err
			}
		case opIdle:
			if _, err := p.r.length(desc{what: "an LRU idle time"}); err != nil {
				return err
			}
		case opSelectDB:
			id, err := p.r.length(desc{what: "a DB number"})
			if err != nil {
				return err
			}
			if id > math.MaxInt32 {
				return errorf(at+1, "DB number %d out of range", id)
			}
			p.selectDB(int(id))
		case opResizeDB:
			n, err := p.r.length(desc{what: "the RESIZEDB key count"})
			if err != nil {
				return err
			}
			if _, err := p.r.length(desc{what: "the RESIZEDB expiry count"}); err != nil {
				return err
			}
			p.hint = int(min(n, uint64(p.budget)))
		case opAux:
			if err := p.aux(); err != nil {
				return err
			}
		case opModuleAux:
			return errorf(at, "unsupported module AUX data (opcode 0xF7)")
		case opFunction, opFunction2:
			return errorf(at, "unsupported function library (opcode 0x%X)", op)
		case typeString, byte(TypeSet), byte(TypeHash), byte(TypeZset2), byte(TypeSetIntset),
			byte(TypeHashListpack), byte(TypeZsetListpack), byte(TypeListQuicklist2), typeZsetOld, typeZsetZiplist,
			typeListZiplist, typeHashZiplist, typeListQuicklist, typeListOld, typeHashZipmap:
			if err := p.entry(at, Type(op), expire, expireSet); err != nil {
				return err
			}
			expire, expireSet = 0, false
		default:
			return p.unsupported(at, op)
		}
	}
}

func (p *parser) selectDB(id int) {
	p.curID, p.cur, p.hint = id, -1, 0
	for i := range p.snap.DBs {
		if p.snap.DBs[i].Index == id {
			p.cur = i
		}
	}
}

func (p *parser) aux() error {
	k, _, err := p.r.str(desc{what: "an AUX field name"})
	if err != nil {
		return err
	}
	key := string(k)
	v, _, err := p.r.str(desc{what: "the value of AUX field", key: key, keyed: true})
	if err != nil {
		return err
	}
	p.snap.Aux = append(p.snap.Aux, AuxField{Key: key, Value: string(v)})
	return nil
}

func (p *parser) entry(at int, t Type, expire int64, expireSet bool) error {
	k, _, err := p.r.str(desc{what: "a key", db: p.curID, inDB: true})
	if err != nil {
		return err
	}
	key := string(k)
	e := Entry{Key: key, Type: t, ExpireAtMs: expire}
	d := desc{what: "the value of key", key: key, keyed: true, db: p.curID, inDB: true}
	if t == TypeString {
		v, fresh, err := p.r.str(d)
		if err != nil {
			return err
		}
		if !fresh {
			v = append([]byte(nil), v...)
		}
		e.Value = v
	} else {
		empty, err := p.collection(&e, d)
		if err != nil {
			return err
		}
		if empty {
			return nil // Redis skips empty collections
		}
	}
	if expireSet && expire == 0 {
		return errorf(at, "key %s has expiry time 0, which Entry cannot represent", quote(key))
	}
	if p.cur < 0 {
		p.budget -= p.hint
		p.snap.DBs = append(p.snap.DBs, DB{Index: p.curID, Entries: make([]Entry, 0, p.hint+1)})
		p.seen = append(p.seen, make(map[string]struct{}, p.hint+1))
		p.cur = len(p.snap.DBs) - 1
	}
	if _, dup := p.seen[p.cur][key]; dup {
		return errorf(at, "duplicate key %s in DB %d", quote(key), p.curID)
	}
	p.seen[p.cur][key] = struct{}{}
	db := &p.snap.DBs[p.cur]
	db.Entries = append(db.Entries, e)
	return nil
}

// typeNames names the value types Redis knows but this package does not load.
var typeNames = map[byte]string{
	1: "list", 2: "set", 3: "zset", 4: "hash", 5: "zset", 6: "module", 7: "module",
	9: "hash", 10: "list", 11: "set", 12: "zset", 13: "hash", 14: "list",
	15: "stream", 16: "hash", 17: "zset", 18: "list", 19: "stream",
}

func (p *parser) unsupported(at int, t byte) error {
	name, known := typeNames[t]
	if !known {
		return errorf(at, "unknown value type or opcode %d (0x%02X)", t, t)
	}
	k, _, err := p.r.str(desc{what: "the key of a " + name + " value"})
	if err != nil {
		return errorf(at, "unsupported value type %d (%s)", t, name)
	}
	return errorf(at, "unsupported value type %d (%s) for key %s", t, name, quote(string(k)))
}

func (p *parser) trailer() error {
	if p.version >= 5 {
		end := p.r.pos
		b, err := p.r.bytes(8, desc{what: "the checksum"})
		if err != nil {
			return err
		}
		stored := binary.LittleEndian.Uint64(b)
		if stored != 0 {
			if got := CRC64(0, p.r.data[:end]); got != stored {
				return errorf(end, "checksum mismatch: file says %016x, content has %016x", stored, got)
			}
		}
	}
	if n := p.r.left(); n > 0 {
		return errorf(p.r.pos, "%d unexpected bytes after the end of the file", n)
	}
	return nil
}

// quote renders a key for an error message, shortened if long.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q... (%d bytes)", s[:max], len(s))
	}
	return fmt.Sprintf("%q", s)
}
