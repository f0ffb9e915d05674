package rdb

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/listpack"
)

// zlEntry is one hand-encoded ziplist entry: its encoding and data bytes.
type zlEntry struct {
	enc  []byte
	want string
}

// buildZiplist lays entries out as ziplist.c does.
func buildZiplist(entries []zlEntry) []byte {
	zl := make([]byte, zlHeaderSize)
	prev, last := 0, zlHeaderSize
	for _, e := range entries {
		start := len(zl)
		if prev < 254 {
			zl = append(zl, byte(prev))
		} else {
			zl = append(zl, 0xFE)
			zl = binary.LittleEndian.AppendUint32(zl, uint32(prev))
		}
		zl = append(zl, e.enc...)
		prev, last = len(zl)-start, start
	}
	zl = append(zl, zlEnd)
	binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
	binary.LittleEndian.PutUint32(zl[4:], uint32(last))
	binary.LittleEndian.PutUint16(zl[8:], uint16(len(entries)))
	return zl
}

func zlStr(s string) zlEntry {
	switch {
	case len(s) < 64:
		return zlEntry{append([]byte{byte(len(s))}, s...), s}
	case len(s) < 1<<14:
		return zlEntry{append([]byte{0x40 | byte(len(s)>>8), byte(len(s))}, s...), s}
	}
	enc := binary.BigEndian.AppendUint32([]byte{0x80}, uint32(len(s)))
	return zlEntry{append(enc, s...), s}
}

func TestZiplistElements(t *testing.T) {
	long := strings.Repeat("m", 300)
	entries := []zlEntry{
		zlStr("a"), {[]byte{0xF1}, "0"}, zlStr(long), {[]byte{0xFD}, "12"},
		zlStr("b"), {[]byte{0xFE, 0x85}, "-123"},
		zlStr("c"), {[]byte{0xC0, 0x39, 0x30}, "12345"},
		zlStr("d"), {[]byte{0xF0, 0x00, 0x00, 0x80}, "-8388608"},
		zlStr("e"), {[]byte{0xD0, 0x00, 0x00, 0x00, 0x80}, "-2147483648"},
		zlStr("f"), {[]byte{0xE0, 1, 0, 0, 0, 1, 0, 0, 0}, "4294967297"},
		zlStr("g"), zlStr("1.5"), zlStr(strings.Repeat("x", 20000)), zlStr("inf"),
	}
	zl := buildZiplist(entries)
	got, err := ziplistElements(zl)
	require.NoError(t, err)
	want := make([]string, len(entries))
	for i, e := range entries {
		want[i] = e.want
	}
	assert.Equal(t, want, got)

	lp, err := ziplistToListpack(zl)
	require.NoError(t, err)
	assert.Equal(t, listpack.FromStrings(want), lp)

	for name, bad := range map[string][]byte{
		"short":      zl[:5],
		"truncated":  zl[:len(zl)-3],
		"bad tail":   append(append([]byte(nil), zl[:4]...), append([]byte{1, 0, 0, 0}, zl[8:]...)...),
		"bad count":  append(append([]byte(nil), zl[:8]...), append([]byte{3, 0}, zl[10:]...)...),
		"bad encode": buildZiplist([]zlEntry{{[]byte{0xFF - 0x0F}, ""}}),
	} {
		if name == "truncated" {
			binary.LittleEndian.PutUint32(bad, uint32(len(bad)))
		}
		_, err := ziplistElements(bad)
		assert.Error(t, err, name)
	}
}

// TestParseZsetZiplist: an RDB 9 sorted set ziplist loads as the listpack
// Redis 7.0 converts it to.
func TestParseZsetZiplist(t *testing.T) {
	snap, err := Parse(zsetZiplistRDB())
	require.NoError(t, err)
	require.Len(t, snap.DBs, 1)
	e := snap.DBs[0].Entries[0]
	assert.Equal(t, TypeZsetListpack, e.Type)
	assert.Equal(t, listpack.FromStrings([]string{"a", "1", "b", "2.5"}), e.Value)

	dup := buildZiplist([]zlEntry{zlStr("a"), {[]byte{0xF2}, "1"}, zlStr("a"), zlStr("2.5")})
	data := append([]byte("REDIS0009"), 0xFE, 0, typeZsetZiplist, 1, 'z', byte(len(dup)))
	data = append(data, dup...)
	data = append(data, 0xFF)
	data = binary.LittleEndian.AppendUint64(data, CRC64(0, data))
	_, err = Parse(data)
	assert.ErrorContains(t, err, "duplicate")
}

// zsetZiplistRDB is an RDB 9 file holding one sorted set ziplist.
func zsetZiplistRDB() []byte {
	zl := buildZiplist([]zlEntry{zlStr("a"), {[]byte{0xF2}, "1"}, zlStr("b"), zlStr("2.5")})
	data := append([]byte("REDIS0009"), 0xFE, 0, typeZsetZiplist, 1, 'z')
	data = append(data, byte(len(zl)))
	data = append(data, zl...)
	data = append(data, 0xFF)
	return binary.LittleEndian.AppendUint64(data, CRC64(0, data))
}
