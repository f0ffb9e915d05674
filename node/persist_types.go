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
	case *zsetValue:
		if v.lp != nil {
			out.Type, out.Value = rdb.TypeZsetListpack, append([]byte(nil), v.lp...)
			break
		}
		// Redis writes a skiplist from the highest element down.
		out.Type = rdb.TypeZset2
		out.Items = make([]string, 0, v.len())
		out.Scores = make([]float64, 0, v.len())
		for x := v.sl.tail; x != nil; x = x.backward {
			out.Items = append(out.Items, x.member)
			out.Scores = append(out.Scores, x.score)
		}
	case *listValue:
		out.Type = rdb.TypeListQuicklist2
		out.Nodes = make([]rdb.ListNode, len(v.nodes))
		for i, nd := range v.nodes {
			out.Nodes[i] = rdb.ListNode{Plain: nd.plain, Data: append([]byte(nil), nd.lp...)}
		}
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
		if int64(h.len()) > n.cfg.HashMaxListpackEntries && !n.bug(BugLoadKeepsListpack) {
			h.convert()
		}
		return "", h
	case rdb.TypeHash:
		h := newHash()
		if int64(len(re.Items)/2) > n.cfg.HashMaxListpackEntries {
			h.convert()
			// Sized once: growing by appends leaves up to a quarter of
			// the pairs' array unused.
			h.pairs = make([]hashPair, 0, len(re.Items)/2)
			h.index.reserve(len(re.Items) / 2)
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
	case rdb.TypeListQuicklist2:
		l := newList(n.cfg.ListMaxListpackSize)
		l.packed = &n.listPacked
		for _, nd := range re.Nodes {
			l.addNode(nd.Data, nd.Plain)
		}
		return "", l
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
	case rdb.TypeZsetListpack:
		z := &zsetValue{lp: append([]byte(nil), re.Value...)}
		if int64(z.len()) > n.cfg.ZsetMaxListpackEntries {
			z.convert()
		}
		return "", z
	case rdb.TypeZset2:
		z := newZsetSkiplist()
		// Sized once: a 1M-member zset otherwise rehashes its index 17
		// times while it loads (4x slower than Redis's load).
		z.nodes = make([]*zslNode, 0, len(re.Items))
		z.index.reserve(len(re.Items))
		maxlen := 0
		for i, m := range re.Items {
			if _, dup := z.score(m); !dup {
				z.insertNew(re.Scores[i], m)
				maxlen = max(maxlen, len(m))
			}
		}
		z.convertToListpackIfNeeded(n, maxlen)
		return "", z
	}
	return string(re.Value), nil
}

// loadableType reports whether valueFromRDB knows t.
func loadableType(t rdb.Type) bool {
	switch t {
	case rdb.TypeString, rdb.TypeHashListpack, rdb.TypeHash, rdb.TypeSetIntset, rdb.TypeSet,
		rdb.TypeZsetListpack, rdb.TypeZset2, rdb.TypeListQuicklist2:
		return true
	}
	return false
}
