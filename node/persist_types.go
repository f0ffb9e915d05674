package node

import (
	"github.com/replsim/replsim/node/intset"
	"github.com/replsim/replsim/node/rdb"
)

// rdbEntry is e as an RDB entry in the encoding Redis 7.0 would write for
// it. Blobs are copied and table encodings listed, so the entry stays
// valid while the dataset changes (a snapshot for a background save).
func (e *entry) rdbEntry() rdb.Entry {
	out := rdb.Entry{Key: e.key, ExpireAtMs: e.expireAt}
	switch v := e.obj.(type) {
	case *hashValue:
		if v.lp != nil {
			out.Type, out.Value = rdb.TypeHashListpack, append([]byte(nil), v.lp...)
			break
		}
		out.Type = rdb.TypeHash
		out.Items = make([]string, 0, 2*len(v.pairs))
		for _, kv := range v.pairs {
			out.Items = append(out.Items, kv.field, kv.value)
		}
	case *setValue:
		if v.is != nil {
			out.Type, out.Value = rdb.TypeSetIntset, append([]byte(nil), v.is...)
			break
		}
		out.Type, out.Items = rdb.TypeSet, append([]string(nil), v.members...)
	default:
		out.Value = []byte(e.val)
	}
	return out
}

// valueFromRDB builds the value of a loaded entry, choosing the encoding
// as rdbLoadObject does under this node's thresholds: a blob too big for
// them converts, a table small enough becomes compact again.
func (n *Node) valueFromRDB(re *rdb.Entry) (string, value) {
	switch re.Type {
	case rdb.TypeHashListpack:
		// Redis 7.0 converts a loaded listpack hash by its length only: a
		// value longer than hash-max-listpack-value stays (7.2 checks it).
		h := &hashValue{lp: append([]byte(nil), re.Value...)}
		if int64(h.len()) > n.cfg.HashMaxListpackEntries {
			h.convert()
		}
		return "", h
	case rdb.TypeHash:
		h := newHash()
		if int64(len(re.Items)/2) > n.cfg.HashMaxListpackEntries {
			h.convert()
		}
		for i := 0; i+1 < len(re.Items); i += 2 {
			h.set(n, re.Items[i], re.Items[i+1])
		}
		return "", h
	case rdb.TypeSetIntset:
		s := &setValue{is: append([]byte(nil), re.Value...)}
		if int64(intset.Len(re.Value)) > n.cfg.SetMaxIntsetEntries {
			s.convert()
		}
		return "", s
	case rdb.TypeSet:
		var s *setValue
		if int64(len(re.Items)) > n.cfg.SetMaxIntsetEntries {
			s = newTableSet(len(re.Items))
		} else {
			s = newIntSet()
		}
		for _, m := range re.Items {
			s.add(n, m)
		}
		return "", s
	}
	return string(re.Value), nil
}

// loadableType reports whether valueFromRDB knows t.
func loadableType(t rdb.Type) bool {
	switch t {
	case rdb.TypeString, rdb.TypeHashListpack, rdb.TypeHash, rdb.TypeSetIntset, rdb.TypeSet:
		return true
	}
	return false
}
