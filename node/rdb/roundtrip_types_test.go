package rdb

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/node/intset"
	"github.com/replsim/replsim/node/listpack"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func distinctStrings(t *rapid.T, label string, min, max int) []string {
	bs := rapid.SliceOfNDistinct(stringish(), min, max, func(b []byte) string { return string(b) }).Draw(t, label)
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

// typedEntry draws a valid entry of any collection type.
func typedEntry(t *rapid.T, key string) Entry {
	e := Entry{Key: key}
	switch rapid.IntRange(0, 6).Draw(t, "type") {
	case 0:
		e.Type, e.Items = TypeSet, distinctStrings(t, "members", 1, 20)
	case 1:
		e.Type = TypeHash
		for _, f := range distinctStrings(t, "fields", 1, 20) {
			e.Items = append(e.Items, f, string(stringish().Draw(t, "value")))
		}
	case 2:
		e.Type = TypeSetIntset
		is := intset.New()
		for _, v := range rapid.SliceOfN(rapid.Int64(), 1, 30).Draw(t, "ints") {
			is, _ = intset.Add(is, v)
		}
		e.Value = is
	case 3:
		e.Type = TypeHashListpack
		var items []string
		for _, f := range distinctStrings(t, "fields", 1, 20) {
			items = append(items, f, string(stringish().Draw(t, "value")))
		}
		e.Value = listpack.FromStrings(items)
	case 4:
		e.Type = TypeZsetListpack
		var items []string
		for _, m := range distinctStrings(t, "members", 1, 20) {
			items = append(items, m, strconv.FormatFloat(rapid.Float64().Draw(t, "score"), 'g', 17, 64))
		}
		e.Value = listpack.FromStrings(items)
	case 5:
		e.Type, e.Items = TypeZset2, distinctStrings(t, "members", 1, 20)
		for range e.Items {
			e.Scores = append(e.Scores, rapid.Float64().Draw(t, "score"))
		}
	default:
		e.Type = TypeListQuicklist2
		for range rapid.IntRange(1, 4).Draw(t, "nodes") {
			if rapid.Bool().Draw(t, "plain") {
				e.Nodes = append(e.Nodes, ListNode{Plain: true, Data: rapid.SliceOfN(rapid.Byte(), 1, 100).Draw(t, "big")})
				continue
			}
			var els []string
			for _, b := range rapid.SliceOfN(stringish(), 1, 10).Draw(t, "els") {
				els = append(els, string(b))
			}
			e.Nodes = append(e.Nodes, ListNode{Data: listpack.FromStrings(els)})
		}
	}
	return e
}

func TestRoundTripTypes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := &Snapshot{}
		db := DB{Index: rapid.IntRange(0, 15).Draw(t, "db")}
		for i, k := range distinctStrings(t, "keys", 1, 8) {
			e := typedEntry(t, k)
			if i%2 == 0 {
				e.ExpireAtMs = rapid.Int64Range(1, 1<<50).Draw(t, "at")
			}
			db.Entries = append(db.Entries, e)
		}
		s.DBs = []DB{db}
		o := Options{Compress: rapid.Bool().Draw(t, "compress"), Checksum: true}
		data := Append(nil, s, o)
		got, err := Parse(data)
		require.NoError(t, err)
		require.Equal(t, s, got)
		require.Equal(t, data, Append(nil, got, o))
	})
}

func TestParseRejectsBadCollections(t *testing.T) {
	good := listpack.FromStrings([]string{"a", "1"})
	cases := map[string]Entry{
		"dup set member":    {Key: "k", Type: TypeSet, Items: []string{"a", "a"}},
		"dup hash field":    {Key: "k", Type: TypeHash, Items: []string{"a", "1", "a", "2"}},
		"odd listpack hash": {Key: "k", Type: TypeHashListpack, Value: listpack.FromStrings([]string{"a"})},
		"dup listpack hash": {Key: "k", Type: TypeHashListpack, Value: listpack.FromStrings([]string{"a", "1", "a", "2"})},
		"bad listpack":      {Key: "k", Type: TypeHashListpack, Value: good[:len(good)-1]},
		"bad intset":        {Key: "k", Type: TypeSetIntset, Value: []byte{2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 1, 0}},
		"zset bad score":    {Key: "k", Type: TypeZsetListpack, Value: listpack.FromStrings([]string{"a", "x"})},
	}
	for name, e := range cases {
		data := Append(nil, &Snapshot{DBs: []DB{{Entries: []Entry{e}}}}, Options{Checksum: true})
		_, err := Parse(data)
		require.Error(t, err, name)
	}
	// Empty collections are skipped, as Redis skips them.
	data := Append(nil, &Snapshot{DBs: []DB{{Entries: []Entry{{Key: "e", Type: TypeSet}, {Key: "s", Value: []byte("v")}}}}}, Options{})
	got, err := Parse(data)
	require.NoError(t, err)
	require.Len(t, got.DBs[0].Entries, 1)
}
