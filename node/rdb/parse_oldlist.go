package rdb

import "github.com/replsim/replsim/node/listpack"

// oldList reads a list as Redis before 7.0 wrote it, one ziplist
// (RDB_TYPE_LIST_ZIPLIST) or a quicklist of ziplists
// (RDB_TYPE_LIST_QUICKLIST), into TypeListQuicklist2 nodes of listpacks:
// empty ziplists are dropped, as Redis 7.0 drops them.
func (p *parser) oldList(e *Entry, d desc) (bool, error) {
	at := p.r.pos
	n := uint64(1)
	if e.Type == typeListQuicklist {
		var err error
		if n, err = p.r.length(d); err != nil {
			return false, err
		}
		if n > uint64(p.r.left()) {
			return false, errorf(at, "%v claims %d quicklist nodes, more than the bytes left", d, n)
		}
	}
	e.Type = TypeListQuicklist2
	for i := uint64(0); i < n; i++ {
		zlAt := p.r.pos
		zl, _, err := p.r.str(d)
		if err != nil {
			return false, err
		}
		elems, err := ziplistElements(zl)
		if err != nil {
			return false, errorf(zlAt, "bad ziplist for %v: %v", d, err)
		}
		if len(elems) > 0 {
			e.Nodes = append(e.Nodes, ListNode{Data: listpack.FromStrings(elems)})
		}
	}
	return len(e.Nodes) == 0, nil
}
