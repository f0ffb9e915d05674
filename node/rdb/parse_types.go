package rdb

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/replsim/replsim/node/intset"
	"github.com/replsim/replsim/node/listpack"
)

// typeZsetOld is RDB_TYPE_ZSET: scores as strings (RDB before 8); it is
// read into TypeZset2.
const typeZsetOld = 3

// collection reads the value of a non-string entry into e, checking it as
// Redis's loader does with deep sanitisation: blobs well formed, no
// duplicate members or fields, no NaN scores. It reports an empty
// collection, which Redis skips.
func (p *parser) collection(e *Entry, d desc) (bool, error) {
	at := p.r.pos
	switch e.Type {
	case TypeSet, TypeHash, TypeZset2, typeZsetOld:
		return p.table(e, d)
	case TypeListQuicklist2:
		return p.quicklist(e, d)
	case typeListZiplist, typeListQuicklist:
		return p.oldList(e, d)
	case typeListOld:
		return p.linkedList(e, d)
	case typeHashZipmap:
		return false, p.zipmap(e, d)
	}
	blob, fresh, err := p.r.str(d)
	if err != nil {
		return false, err
	}
	if !fresh {
		blob = append([]byte(nil), blob...)
	}
	e.Value = blob
	if e.Type == typeZsetZiplist || e.Type == typeHashZiplist {
		lp, err := ziplistToListpack(blob)
		if err != nil {
			return false, errorf(at, "bad ziplist for %v: %v", d, err)
		}
		e.Type, e.Value = ziplistConverted[e.Type], lp
		blob = lp
	}
	switch e.Type {
	case TypeSetIntset:
		if err := intset.Validate(blob); err != nil {
			return false, errorf(at, "bad intset for %v: %v", d, err)
		}
	case TypeHashListpack, TypeZsetListpack:
		n, err := listpack.Validate(blob)
		if err != nil {
			return false, errorf(at, "bad listpack for %v: %v", d, err)
		}
		if n == 0 {
			return true, nil
		}
		if n%2 != 0 {
			return false, errorf(at, "listpack for %v has an odd number of elements", d)
		}
		seen := make(map[string]struct{}, n/2)
		for q, i := listpack.First(blob), 0; q != listpack.End(blob); q, i = listpack.Next(blob, q), i+1 {
			el := listpack.Get(blob, q)
			if i%2 == 1 {
				if e.Type == TypeZsetListpack {
					if _, ok := parseScore(el.String()); !ok {
						return false, errorf(at, "listpack for %v has a bad score %q", d, el.String())
					}
				}
				continue
			}
			s := el.String()
			if _, dup := seen[s]; dup {
				return false, errorf(at, "listpack for %v has a duplicate element %s", d, quote(s))
			}
			seen[s] = struct{}{}
		}
	}
	return false, nil
}

// parseScore reads a score as strtod would for a listpack-held score.
func parseScore(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRange(err) {
		return 0, false
	}
	return f, !math.IsNaN(f)
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// table reads a length-prefixed collection of strings (and scores).
func (p *parser) table(e *Entry, d desc) (bool, error) {
	at := p.r.pos
	n, err := p.r.length(d)
	if err != nil {
		return false, err
	}
	if n == 0 {
		return true, nil
	}
	per := uint64(1)
	if e.Type == TypeHash {
		per = 2
	}
	// Every element takes at least one byte: a length beyond what is left
	// is corrupt, and bounds what is allocated.
	if n > uint64(p.r.left()) || n*per > uint64(p.r.left()) {
		return false, errorf(at, "%v claims %d elements, more than the bytes left", d, n)
	}
	legacy := e.Type == typeZsetOld
	if legacy {
		e.Type = TypeZset2
	}
	if e.Type == TypeZset2 {
		e.Scores = make([]float64, 0, n)
	}
	kind := e.Type
	e.Items = make([]string, 0, n*per)
	seen := make(map[string]struct{}, n)
	for i := uint64(0); i < n; i++ {
		s, _, err := p.r.str(d)
		if err != nil {
			return false, err
		}
		key := string(s)
		if _, dup := seen[key]; dup {
			return false, errorf(at, "%v has a duplicate element %s", d, quote(key))
		}
		seen[key] = struct{}{}
		e.Items = append(e.Items, key)
		switch kind {
		case TypeHash:
			v, _, err := p.r.str(d)
			if err != nil {
				return false, err
			}
			e.Items = append(e.Items, string(v))
		case TypeZset2:
			score := p.score
			if legacy {
				score = p.stringScore
			}
			f, err := score(d)
			if err != nil {
				return false, err
			}
			e.Scores = append(e.Scores, f)
		}
	}
	return false, nil
}

// score reads a binary double (RDB_TYPE_ZSET_2).
func (p *parser) score(d desc) (float64, error) {
	at := p.r.pos
	b, err := p.r.bytes(8, d)
	if err != nil {
		return 0, err
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(b))
	if math.IsNaN(f) {
		return 0, errorf(at, "NaN score in %v", d)
	}
	return f, nil
}

// stringScore reads a score as a length-prefixed decimal (RDB_TYPE_ZSET),
// with 254 and 255 for +inf and -inf.
func (p *parser) stringScore(d desc) (float64, error) {
	at := p.r.pos
	n, err := p.r.byte(d)
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return 0, errorf(at, "NaN score in %v", d)
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	b, err := p.r.bytes(int(n), d)
	if err != nil {
		return 0, err
	}
	f, ok := parseScore(string(b))
	if !ok {
		return 0, errorf(at, "bad score %q in %v", b, d)
	}
	return f, nil
}

// quicklist reads RDB_TYPE_LIST_QUICKLIST_2: nodes of a container kind and
// bytes; empty listpack nodes are dropped, as Redis does.
func (p *parser) quicklist(e *Entry, d desc) (bool, error) {
	at := p.r.pos
	n, err := p.r.length(d)
	if err != nil {
		return false, err
	}
	if n > uint64(p.r.left())/2 {
		return false, errorf(at, "%v claims %d quicklist nodes, more than the bytes left", d, n)
	}
	for i := uint64(0); i < n; i++ {
		kindAt := p.r.pos
		kind, err := p.r.length(d)
		if err != nil {
			return false, err
		}
		if kind != 1 && kind != 2 {
			return false, errorf(kindAt, "unknown quicklist container %d in %v", kind, d)
		}
		data, fresh, err := p.r.str(d)
		if err != nil {
			return false, err
		}
		if !fresh {
			data = append([]byte(nil), data...)
		}
		if kind == 2 {
			k, err := listpack.Validate(data)
			if err != nil {
				return false, errorf(kindAt, "bad listpack node in %v: %v", d, err)
			}
			if k == 0 {
				continue
			}
		}
		e.Nodes = append(e.Nodes, ListNode{Plain: kind == 1, Data: data})
	}
	return len(e.Nodes) == 0, nil
}
