package rdb

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/listpack"
)

// oldPayload is a DUMP payload (RDB version 9) of type t whose value is
// the ziplists zls, preceded by their count for a quicklist.
func oldPayload(t byte, zls ...[]byte) []byte {
	p := []byte{t}
	if t == typeListQuicklist {
		p = append(p, byte(len(zls)))
	}
	for _, zl := range zls {
		p = append(append(p, 0x40|byte(len(zl)>>8), byte(len(zl))), zl...)
	}
	p = append(p, 9, 0)
	return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
}

// TestParseDumpZiplists: RESTORE's reader takes the pre-7.0 ziplist
// encodings as Redis 7.0 does, converted to listpacks (empty quicklist
// nodes dropped), and refuses empty or broken ones.
func TestParseDumpZiplists(t *testing.T) {
	ab := buildZiplist([]zlEntry{zlStr("a"), {[]byte{0xF2}, "1"}, zlStr("b"), zlStr("2.5")})
	empty := buildZiplist(nil)
	cases := []struct {
		p     []byte
		typ   Type
		want  []string
		nodes int
	}{
		{oldPayload(typeHashZiplist, ab), TypeHashListpack, []string{"a", "1", "b", "2.5"}, 0},
		{oldPayload(typeZsetZiplist, ab), TypeZsetListpack, []string{"a", "1", "b", "2.5"}, 0},
		{oldPayload(typeListZiplist, ab), TypeListQuicklist2, []string{"a", "1", "b", "2.5"}, 1},
		{oldPayload(typeListQuicklist, ab, empty, ab), TypeListQuicklist2, []string{"a", "1", "b", "2.5", "a", "1", "b", "2.5"}, 2},
	}
	for _, c := range cases {
		e, err := ParseDump(c.p, "k")
		require.NoError(t, err, "type %d", c.p[0])
		assert.Equal(t, c.typ, e.Type)
		if c.nodes == 0 {
			assert.Equal(t, listpack.FromStrings(c.want), e.Value)
			continue
		}
		require.Len(t, e.Nodes, c.nodes)
		var got []string
		for _, n := range e.Nodes {
			got = append(got, listpackStrings(t, n.Data)...)
		}
		assert.Equal(t, c.want, got)
	}
	bad := append([]byte(nil), ab...)
	bad[0]++
	dup := buildZiplist([]zlEntry{zlStr("a"), zlStr("1"), zlStr("a"), zlStr("2")})
	for _, p := range [][]byte{
		oldPayload(typeListZiplist, empty), oldPayload(typeListQuicklist, empty), oldPayload(typeListQuicklist),
		oldPayload(typeHashZiplist, empty), oldPayload(typeHashZiplist, dup), oldPayload(typeZsetZiplist, dup),
		oldPayload(typeListZiplist, bad), oldPayload(typeListQuicklist, ab, bad), oldPayload(typeHashZiplist, bad),
	} {
		_, err := ParseDump(p, "k")
		assert.Error(t, err, "%x", p)
	}
}

func listpackStrings(t *testing.T, lp []byte) []string {
	var out []string
	for q := listpack.First(lp); q != listpack.End(lp); q = listpack.Next(lp, q) {
		out = append(out, listpack.Get(lp, q).String())
	}
	return out
}
