package rdb

import (
	"errors"
	"testing"

	"github.com/replsim/replsim/node/listpack"

	"github.com/stretchr/testify/require"
)

// FuzzParse feeds arbitrary bytes to Parse: it must return a snapshot or an
// *Error, never panic, and whatever it accepts must survive a write and a
// second parse unchanged. Seeds live in testdata/fuzz/FuzzParse (written by
// Append and by a real Redis 7.0.15).
func FuzzParse(f *testing.F) {
	f.Add(Append(nil, sampleSnapshot(1_800_000_000_000, false), Options{Compress: true, Checksum: true}))
	f.Add(Append(nil, &Snapshot{}, Options{}))
	f.Add(Append(nil, typedSample(), Options{Compress: true, Checksum: true}))
	f.Add(zsetZiplistRDB())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "error %v is not an *Error", err)
			require.Nil(t, s)
			require.GreaterOrEqual(t, e.Offset, int64(0))
			require.LessOrEqual(t, e.Offset, int64(len(data)))
			return
		}
		again, err := Parse(Append(nil, s, Options{Compress: true, Checksum: true}))
		require.NoError(t, err)
		require.Equal(t, s, again)
	})
}

// typedSample has one entry of each collection type.
func typedSample() *Snapshot {
	return &Snapshot{DBs: []DB{{Index: 2, Entries: []Entry{
		{Key: "set", Type: TypeSet, Items: []string{"a", "b", "12345678901234567890123"}},
		{Key: "hash", Type: TypeHash, Items: []string{"f", "v", "g", "1"}, ExpireAtMs: 99},
		{Key: "intset", Type: TypeSetIntset, Value: []byte{2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0}},
		{Key: "hlp", Type: TypeHashListpack, Value: listpack.FromStrings([]string{"f", "1", "g", "hello"})},
		{Key: "zlp", Type: TypeZsetListpack, Value: listpack.FromStrings([]string{"m", "1.5", "n", "2"})},
		{Key: "z", Type: TypeZset2, Items: []string{"m", "n"}, Scores: []float64{1.5, -2}},
		{Key: "l", Type: TypeListQuicklist2, Nodes: []ListNode{{Data: listpack.FromStrings([]string{"a", "7"})}, {Plain: true, Data: []byte("big")}}},
	}}}}
}
