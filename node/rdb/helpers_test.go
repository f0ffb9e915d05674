package rdb

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// sampleSnapshot has every feature the writer supports: standard AUX
// fields, several DBs (one empty), integers, binary and empty strings,
// compressible and incompressible long values, expiries and, if big, a
// value long enough for a 32-bit length.
func sampleSnapshot(expireBase int64, big bool) *Snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		return p
	}
	db0 := []Entry{
		{Key: "int:small", Value: []byte("7")},
		{Key: "int:neg", Value: []byte("-300")},
		{Key: "int:32", Value: []byte("2147483647")},
		{Key: "int:big", Value: []byte("9223372036854775807")},
		{Key: "int:lead0", Value: []byte("0042")},
		{Key: "12345", Value: []byte("integer key")},
		{Key: "empty", Value: nil},
		{Key: "bin\x00\xff\r\n", Value: []byte("\x00\x01\x02\xfe\xff\r\n")},
		{Key: "lzf:repeat", Value: []byte(strings.Repeat("abcdefgh", 100))},
		{Key: "lzf:text", Value: []byte(strings.Repeat("the quick brown fox jumps over the lazy dog; ", 30))},
		{Key: "lzf:border", Value: []byte("0123456789abcdefghij123456x")},
		{Key: "noise", Value: noise(300)},
		{Key: strings.Repeat("long-key-", 20), Value: []byte("v")},
	}
	if big {
		db0 = append(db0, Entry{Key: "noise:big", Value: noise(20000)})
	}
	for i := range 5 {
		db0 = append(db0, Entry{
			Key:        fmt.Sprintf("ttl:%d", i),
			Value:      []byte(fmt.Sprintf("expiring value %d %s", i, strings.Repeat("z", i*10))),
			ExpireAtMs: expireBase + int64(i)*1000,
		})
	}
	db3 := []Entry{
		{Key: "db3:a", Value: []byte("hello")},
		{Key: "db3:b", Value: []byte("-1"), ExpireAtMs: expireBase + 7},
	}
	var db15 []Entry
	for i := range 100 {
		db15 = append(db15, Entry{Key: fmt.Sprintf("k%03d", i), Value: []byte(fmt.Sprint(i * i * i))})
	}
	return &Snapshot{
		Aux: StandardAux("7.0.15", 1700000000, 1234567),
		DBs: []DB{{Index: 0, Entries: db0}, {Index: 1}, {Index: 3, Entries: db3}, {Index: 15, Entries: db15}},
	}
}

// normalize makes a written snapshot comparable with its parsed form:
// empty DBs vanish and empty values read back as nil.
func normalize(s *Snapshot) *Snapshot {
	out := &Snapshot{Aux: s.Aux}
	for _, db := range s.DBs {
		if len(db.Entries) == 0 {
			continue
		}
		d := DB{Index: db.Index}
		for _, e := range db.Entries {
			if len(e.Value) == 0 {
				e.Value = nil
			}
			d.Entries = append(d.Entries, e)
		}
		out.DBs = append(out.DBs, d)
	}
	return out
}
