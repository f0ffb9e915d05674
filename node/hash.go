package node

import "github.com/replsim/replsim/node/listpack"

// hashValue is a hash. Small ones are a listpack of field, value, field,
// value... in insertion order (OBJECT ENCODING listpack), exactly Redis's
// bytes; past hash-max-listpack-entries fields or a field or value longer
// than hash-max-listpack-value bytes they become a table (hashtable):
// fields in a dense slice indexed by a map, so iteration order depends only
// on the history of operations, never on Go's map order.
type hashValue struct {
	lp    []byte // nil once a table
	pairs []hashPair
	index keyIndex // over pairs (keyindex.go)
}

type hashPair struct{ field, value string }

func newHash() *hashValue { return &hashValue{lp: listpack.New()} }

func (h *hashValue) kind() valueKind { return kindHash }

func (h *hashValue) encoding() string {
	if h.lp != nil {
		return "listpack"
	}
	return "hashtable"
}

func (h *hashValue) len() int {
	if h.lp != nil {
		return listpack.Len(h.lp) / 2
	}
	return len(h.pairs)
}

// lpFind returns the position of field's entry in the listpack, or -1.
func (h *hashValue) lpFind(field string) int {
	lp := h.lp
	for p := listpack.First(lp); p != listpack.End(lp); p = listpack.Next(lp, listpack.Next(lp, p)) {
		if listpack.Get(lp, p).Equal([]byte(field)) {
			return p
		}
	}
	return -1
}

// get returns field's value.
func (h *hashValue) get(field string) (string, bool) {
	if h.lp != nil {
		p := h.lpFind(field)
		if p < 0 {
			return "", false
		}
		return listpack.Get(h.lp, listpack.Next(h.lp, p)).String(), true
	}
	i := h.index.find(field)
	if i < 0 {
		return "", false
	}
	return h.pairs[i].value, true
}

func (h *hashValue) exists(field string) bool {
	if h.lp != nil {
		return h.lpFind(field) >= 0
	}
	return h.index.find(field) >= 0
}

// convert turns a listpack hash into a table (hashTypeConvert).
func (h *hashValue) convert() {
	if h.lp == nil {
		return
	}
	n := h.len()
	h.pairs = make([]hashPair, 0, n)
	h.index = keyIndex{pairs: &h.pairs}
	h.index.reserve(n)
	h.each(func(f, v string) bool {
		h.pairs = append(h.pairs, hashPair{f, v})
		h.index.insert(f, int32(len(h.pairs)-1))
		return true
	})
	h.lp = nil
}

// tryConversion is hashTypeTryConversion: a listpack hash becomes a table
// before storing any of args longer than the value limit.
func (h *hashValue) tryConversion(n *Node, args [][]byte) {
	if h.lp == nil {
		return
	}
	for _, a := range args {
		if int64(len(a)) > n.cfg.HashMaxListpackValue {
			h.convert()
			return
		}
	}
}

// set is hashTypeSet: it stores value under field and reports whether the
// field existed.
func (h *hashValue) set(n *Node, field, value string) bool {
	if h.lp != nil && (int64(len(field)) > n.cfg.HashMaxListpackValue || int64(len(value)) > n.cfg.HashMaxListpackValue) {
		h.convert()
	}
	if h.lp != nil {
		update := false
		if p := h.lpFind(field); p >= 0 {
			h.lp = listpack.Replace(h.lp, listpack.Next(h.lp, p), []byte(value))
			update = true
		} else {
			h.lp = listpack.Append(h.lp, []byte(field), []byte(value))
		}
		// Checked after an update too: a lowered hash-max-listpack-entries
		// converts the hash on its next write, as in Redis.
		if int64(h.len()) > n.cfg.HashMaxListpackEntries {
			h.convert()
		}
		return update
	}
	if i := h.index.find(field); i >= 0 {
		h.pairs[i].value = value
		return true
	}
	h.pairs = append(h.pairs, hashPair{field, value})
	h.index.insert(field, int32(len(h.pairs)-1))
	return false
}

// del removes field and reports whether it was there.
func (h *hashValue) del(field string) bool {
	if h.lp != nil {
		p := h.lpFind(field)
		if p < 0 {
			return false
		}
		h.lp = listpack.Delete(h.lp, p, 2)
		return true
	}
	i := h.index.find(field)
	if i < 0 {
		return false
	}
	h.index.remove(field, i)
	last := len(h.pairs) - 1
	if int(i) != last {
		h.pairs[i] = h.pairs[last]
		h.index.move(h.pairs[i].field, int32(last), i)
	}
	h.pairs[last] = hashPair{}
	h.pairs = h.pairs[:last]
	return true
}

// each calls fn for every field and value in iteration order until it
// returns false.
func (h *hashValue) each(fn func(field, value string) bool) {
	if h.lp != nil {
		lp := h.lp
		for p := listpack.First(lp); p != listpack.End(lp); {
			v := listpack.Next(lp, p)
			if !fn(listpack.Get(lp, p).String(), listpack.Get(lp, v).String()) {
				return
			}
			p = listpack.Next(lp, v)
		}
		return
	}
	for _, kv := range h.pairs {
		if !fn(kv.field, kv.value) {
			return
		}
	}
}

// at returns the i-th field and value in iteration order.
func (h *hashValue) at(i int) (string, string) {
	if h.lp != nil {
		p := listpack.Seek(h.lp, 2*i)
		return listpack.Get(h.lp, p).String(), listpack.Get(h.lp, listpack.Next(h.lp, p)).String()
	}
	return h.pairs[i].field, h.pairs[i].value
}

func (h *hashValue) digest(d *digest) {
	h.each(func(f, v string) bool {
		var e digest
		e.mixString(f)
		e.mixString(v)
		d.xorDigest(&e)
		return true
	})
}

// clone returns an independent copy (COPY, snapshots).
func (h *hashValue) clone() *hashValue {
	if h.lp != nil {
		return &hashValue{lp: append([]byte(nil), h.lp...)}
	}
	c := &hashValue{pairs: append([]hashPair(nil), h.pairs...)}
	c.index.pairs = &c.pairs
	c.index.reserve(len(c.pairs))
	for i, kv := range c.pairs {
		c.index.insert(kv.field, int32(i))
	}
	return c
}
