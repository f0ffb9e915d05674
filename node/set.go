package node

import (
	"strconv"

	"github.com/replsim/replsim/node/intset"
)

// setValue is a set. While every member is an integer and there are at
// most set-max-intset-entries of them it is an intset (Redis's bytes,
// sorted); otherwise a table (hashtable): members in a dense slice indexed
// by a map, so iteration order depends only on the history of operations.
type setValue struct {
	is      []byte // nil once a table
	members []string
	// index finds a member's position in members (keyindex.go: 11-21
	// bytes a member, where a Go map takes 40-50).
	index keyIndex
}

func newIntSet() *setValue { return &setValue{is: intset.New()} }

func newTableSet(capacity int) *setValue {
	s := &setValue{members: make([]string, 0, capacity)}
	s.index.strs = &s.members
	if capacity > 0 {
		s.index.reserve(capacity)
	}
	return s
}

// newSetFor is setTypeCreate: an intset when the first member is an
// integer.
func newSetFor(first string) *setValue {
	if _, ok := parseInt([]byte(first)); ok {
		return newIntSet()
	}
	return newTableSet(0)
}

func (s *setValue) kind() valueKind { return kindSet }

func (s *setValue) encoding() string {
	if s.is != nil {
		return "intset"
	}
	return "hashtable"
}

func (s *setValue) len() int {
	if s.is != nil {
		return intset.Len(s.is)
	}
	return len(s.members)
}

func (s *setValue) convert() {
	if s.is == nil {
		return
	}
	n := intset.Len(s.is)
	s.members = make([]string, 0, n)
	s.index = keyIndex{strs: &s.members}
	s.index.reserve(n)
	for i := 0; i < n; i++ {
		s.tableAdd(strconv.FormatInt(intset.Get(s.is, i), 10))
	}
	s.is = nil
}

func (s *setValue) tableAdd(m string) bool {
	if s.index.find(m) >= 0 {
		return false
	}
	s.members = append(s.members, m)
	s.index.insert(m, int32(len(s.members)-1))
	return true
}

// add is setTypeAdd.
func (s *setValue) add(n *Node, m string) bool {
	if s.is != nil {
		v, ok := parseInt([]byte(m))
		if !ok {
			s.convert()
			return s.tableAdd(m)
		}
		var added bool
		s.is, added = intset.Add(s.is, v)
		if added {
			limit := n.cfg.SetMaxIntsetEntries
			if limit >= 1<<30 {
				limit = 1 << 30
			}
			if int64(intset.Len(s.is)) > limit {
				s.convert()
			}
		}
		return added
	}
	return s.tableAdd(m)
}

// remove is setTypeRemove.
func (s *setValue) remove(m string) bool {
	if s.is != nil {
		v, ok := parseInt([]byte(m))
		if !ok {
			return false
		}
		var removed bool
		s.is, removed = intset.Remove(s.is, v)
		return removed
	}
	i := s.index.find(m)
	if i < 0 {
		return false
	}
	s.index.remove(m, i)
	last := len(s.members) - 1
	if int(i) != last {
		s.members[i] = s.members[last]
		s.index.move(s.members[i], int32(last), i)
	}
	s.members[last] = ""
	s.members = s.members[:last]
	return true
}

func (s *setValue) has(m string) bool {
	if s.is != nil {
		v, ok := parseInt([]byte(m))
		return ok && intset.Find(s.is, v)
	}
	return s.index.find(m) >= 0
}

// at returns the i-th member in iteration order.
func (s *setValue) at(i int) string {
	if s.is != nil {
		return strconv.FormatInt(intset.Get(s.is, i), 10)
	}
	return s.members[i]
}

// each calls fn for every member in iteration order until it returns false.
func (s *setValue) each(fn func(m string) bool) {
	for i, n := 0, s.len(); i < n; i++ {
		if !fn(s.at(i)) {
			return
		}
	}
}

func (s *setValue) digest(d *digest) {
	s.each(func(m string) bool {
		d.xorString(m)
		return true
	})
}

func (s *setValue) clone() *setValue {
	if s.is != nil {
		return &setValue{is: append([]byte(nil), s.is...)}
	}
	c := newTableSet(len(s.members))
	for _, m := range s.members {
		c.tableAdd(m)
	}
	return c
}
