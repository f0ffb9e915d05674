package rdb

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func stringish() *rapid.Generator[[]byte] {
	return rapid.OneOf(
		rapid.SliceOf(rapid.Byte()),
		compressible(),
		rapid.Map(rapid.Int64(), func(v int64) []byte { return strconv.AppendInt(nil, v, 10) }),
		rapid.Map(rapid.Int32Range(-40000, 40000), func(v int32) []byte { return strconv.AppendInt(nil, int64(v), 10) }),
		rapid.Map(rapid.StringMatching(`[-+0 ]?[0-9]{0,12}`), func(s string) []byte { return []byte(s) }),
	)
}

func snapshotGen() *rapid.Generator[*Snapshot] {
	return rapid.Custom(func(t *rapid.T) *Snapshot {
		s := &Snapshot{}
		for _, a := range rapid.SliceOfN(rapid.Custom(func(t *rapid.T) AuxField {
			return AuxField{Key: string(stringish().Draw(t, "k")), Value: string(stringish().Draw(t, "v"))}
		}), 0, 6).Draw(t, "aux") {
			s.Aux = append(s.Aux, a)
		}
		ids := rapid.SliceOfNDistinct(rapid.IntRange(0, 20000), 0, 5, rapid.ID[int]).Draw(t, "dbs")
		for _, id := range ids {
			db := DB{Index: id}
			keys := rapid.SliceOfNDistinct(stringish(), 0, 12, func(b []byte) string { return string(b) }).Draw(t, "keys")
			for _, k := range keys {
				e := Entry{Key: string(k), Value: stringish().Draw(t, "value")}
				if rapid.Bool().Draw(t, "expires") {
					e.ExpireAtMs = rapid.Int64().Filter(func(v int64) bool { return v != 0 }).Draw(t, "at")
				}
				db.Entries = append(db.Entries, e)
			}
			s.DBs = append(s.DBs, db)
		}
		return s
	})
}

func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := snapshotGen().Draw(t, "snapshot")
		o := Options{Compress: rapid.Bool().Draw(t, "compress"), Checksum: rapid.Bool().Draw(t, "checksum")}
		data := Append(nil, s, o)
		got, err := Parse(data)
		require.NoError(t, err)
		require.Equal(t, normalize(s), got)
		// Writing what was read gives the same bytes.
		require.Equal(t, data, Append(nil, got, o))
	})
}

func TestRoundTripSample(t *testing.T) {
	s := sampleSnapshot(1_800_000_000_000, true)
	for _, o := range []Options{{}, {Compress: true}, {Checksum: true}, {Compress: true, Checksum: true}} {
		data := Append(nil, s, o)
		got, err := Parse(data)
		require.NoError(t, err, "%+v", o)
		require.Equal(t, normalize(s), got, "%+v", o)
	}
}
