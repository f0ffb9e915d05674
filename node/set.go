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
	index   map[string]int32
}

func newIntSet() *setValue { return &setValue{is: intset.New()} }

func newTableSet(capacity int) *setValue {
	return &setValue{index: make(map[string]int32, capacity), members: make([]string, 0, capacity)}
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
	s.index = make(map[string]int32, n)
	for i := 0; i < n; i++ {
		s.tableAdd(strconv.FormatInt(intset.Get(s.is, i), 10))
	}
	s.is = nil
}

func (s *setValue) tableAdd(m string) bool {
	if _, ok := s.index[m]; ok {
		return false
	}
	s.index[m] = int32(len(s.members))
	s.members = append(s.members, m)
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
	i, ok := s.index[m]
	if !ok {
		return false
	}
	last := len(s.members) - 1
	if int(i) != last {
		s.members[i] = s.members[last]
		s.index[s.members[i]] = i
	}
	s.members[last] = ""
	s.members = s.members[:last]
	delete(s.index, m)
	return true
}

func (s *setValue) has(m string) bool {
	if s.is != nil {
		v, ok := parseInt([]byte(m))
		return ok && intset.Find(s.is, v)
	}
	_, ok := s.index[m]
	return ok
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
