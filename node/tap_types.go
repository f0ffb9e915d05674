package node

import (
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/tap"
)

// keyValue is e as the checkers see it: a string, or a collection's type
// and canonical encoding.
func (e *entry) keyValue(db int) tap.KeyValue {
	kv := tap.KeyValue{DB: db, Key: e.key, Value: e.val, ExpireAt: e.expireAt}
	switch v := e.obj.(type) {
	case *hashValue:
		pairs := make([][2]string, 0, v.len())
		v.each(func(f, val string) bool {
			pairs = append(pairs, [2]string{f, val})
			return true
		})
		kv.Type, kv.Value = tap.TypeHash, tap.EncodeHash(pairs)
	case *setValue:
		members := make([]string, 0, v.len())
		v.each(func(m string) bool {
			members = append(members, m)
			return true
		})
		kv.Type, kv.Value = tap.TypeSet, tap.EncodeSet(members)
	case *zsetValue:
		members := make([]tap.ZsetMember, 0, v.len())
		v.walk(0, false, func(m string, s float64) bool {
			members = append(members, tap.ZsetMember{Member: m, Score: s})
			return true
		})
		kv.Type, kv.Value = tap.TypeZset, tap.EncodeZset(members)
	case *listValue:
		kv.Type, kv.Value = tap.TypeList, tap.EncodeList(v.strings())
	case collectionKV:
		kv.Type, kv.Value = v.tapValue()
	}
	return kv
}

// collectionKV is a collection that renders its own tap value.
type collectionKV interface {
	tapValue() (typ, value string)
}

// rdbKeyValue is a loaded RDB entry as the checkers see it.
func (n *Node) rdbKeyValue(db int, re *rdb.Entry) tap.KeyValue {
	val, obj := n.valueFromRDB(re)
	e := entry{key: re.Key, val: val, obj: obj, expireAt: re.ExpireAtMs}
	return e.keyValue(db)
}
