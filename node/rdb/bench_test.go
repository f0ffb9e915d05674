package rdb

import (
	"fmt"
	"strings"
	"testing"
)

// benchSnapshot has 1000 keys: a third small integers, a third short
// strings, a third compressible 200-byte values, every tenth with an expiry.
func benchSnapshot() *Snapshot {
	entries := make([]Entry, 1000)
	for i := range entries {
		e := Entry{Key: fmt.Sprintf("key:%06d", i)}
		switch i % 3 {
		case 0:
			e.Value = []byte(fmt.Sprint(i * 7))
		case 1:
			e.Value = []byte(fmt.Sprintf("value-%d", i))
		default:
			e.Value = []byte(strings.Repeat(fmt.Sprintf("payload %d ", i), 20)[:200])
		}
		if i%10 == 0 {
			e.ExpireAtMs = 1_800_000_000_000 + int64(i)
		}
		entries[i] = e
	}
	return &Snapshot{Aux: StandardAux("7.0.15", 1700000000, 1<<20), DBs: []DB{{Index: 0, Entries: entries}}}
}

func BenchmarkAppend(b *testing.B) {
	s := benchSnapshot()
	for _, o := range []Options{{Checksum: true}, {Compress: true, Checksum: true}} {
		b.Run(optionName(o), func(b *testing.B) {
			b.ReportAllocs()
			buf := Append(nil, s, o)
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				buf = Append(buf[:0], s, o)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	s := benchSnapshot()
	for _, o := range []Options{{Checksum: true}, {Compress: true, Checksum: true}} {
		b.Run(optionName(o), func(b *testing.B) {
			b.ReportAllocs()
			data := Append(nil, s, o)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
