package rdb

import (
	"encoding/binary"
	"errors"

	"github.com/replsim/replsim/node/listpack"
)

// The encodings of Redis 2.4 and older that Redis 7.0 still loads:
// RDB_TYPE_LIST, a list as a length and its elements (read into
// TypeListQuicklist2), and RDB_TYPE_HASH_ZIPMAP, a small hash as a zipmap
// (read into TypeHash, so that the node chooses its encoding by the
// number of pairs and their lengths, as Redis does for a zipmap).
const (
	typeListOld    = 1
	typeHashZipmap = 9
)

// zipmapBigLen is the length byte after which a 4-byte length follows;
// zipmapEnd ends the zipmap (and may not start a length).
const (
	zipmapBigLen = 254
	zipmapEnd    = 0xFF
)

// zipmapPairs decodes a zipmap: a count byte (254 when it does not fit),
// then per pair the field's length, the field, the value's length, a byte
// of free space after the value, the value and the free bytes, then 0xFF.
// A length is one byte below 254, else 254 and a little-endian uint32. It
// checks what zipmapValidateIntegrity checks deeply (Redis always does for
// a zipmap): every entry inside the blob, at least one pair, the count
// byte matching.
func zipmapPairs(zm []byte) ([]string, error) {
	if len(zm) < 2 {
		return nil, errors.New("zipmap shorter than its header")
	}
	if zm[len(zm)-1] != zipmapEnd {
		return nil, errors.New("zipmap does not end with 0xFF")
	}
	last := len(zm) - 1
	p := 1
	// length reads a length at p; ok false when its bytes or what it
	// claims run past the end marker.
	length := func() (int, bool) {
		if zm[p] < zipmapBigLen {
			p++
			return int(zm[p-1]), p <= last
		}
		if p+5 > last {
			return 0, false
		}
		n := binary.LittleEndian.Uint32(zm[p+1:])
		p += 5
		return int(n), uint64(n) <= uint64(last)
	}
	var out []string
	for zm[p] != zipmapEnd {
		fl, ok := length()
		if !ok || p+fl > last {
			return nil, errors.New("zipmap field runs past the end")
		}
		field := string(zm[p : p+fl])
		p += fl
		vl, ok := length()
		if !ok || p >= last {
			return nil, errors.New("zipmap value runs past the end")
		}
		free := int(zm[p])
		p++
		if p+vl+free > last {
			return nil, errors.New("zipmap value runs past the end")
		}
		out = append(out, field, string(zm[p:p+vl]))
		p += vl + free
	}
	if len(out) == 0 {
		return nil, errors.New("empty zipmap")
	}
	if zm[0] != zipmapBigLen && int(zm[0]) != len(out)/2 {
		return nil, errors.New("zipmap count byte does not match its pairs")
	}
	return out, nil
}

// zipmap reads a RDB_TYPE_HASH_ZIPMAP value into e as TypeHash, refusing
// duplicate fields as Redis does.
func (p *parser) zipmap(e *Entry, d desc) error {
	at := p.r.pos
	blob, _, err := p.r.str(d)
	if err != nil {
		return err
	}
	items, err := zipmapPairs(blob)
	if err != nil {
		return errorf(at, "bad zipmap for %v: %v", d, err)
	}
	seen := make(map[string]struct{}, len(items)/2)
	for i := 0; i < len(items); i += 2 {
		if _, dup := seen[items[i]]; dup {
			return errorf(at, "zipmap for %v has a duplicate field %s", d, quote(items[i]))
		}
		seen[items[i]] = struct{}{}
	}
	e.Type, e.Items = TypeHash, items
	return nil
}

// linkedList reads a RDB_TYPE_LIST value into e as one listpack node; it
// reports an empty list, which Redis skips.
func (p *parser) linkedList(e *Entry, d desc) (bool, error) {
	at := p.r.pos
	n, err := p.r.length(d)
	if err != nil {
		return false, err
	}
	if n == 0 {
		return true, nil
	}
	if n > uint64(p.r.left()) {
		return false, errorf(at, "%v claims %d elements, more than the bytes left", d, n)
	}
	elems := make([][]byte, 0, n)
	for i := uint64(0); i < n; i++ {
		s, _, err := p.r.str(d)
		if err != nil {
			return false, err
		}
		elems = append(elems, s)
	}
	e.Type = TypeListQuicklist2
	e.Nodes = []ListNode{{Data: listpack.FromStrings(elems)}}
	return false, nil
}
