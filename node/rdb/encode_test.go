package rdb

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// b concatenates byte and string pieces into a file image.
func b(parts ...any) []byte {
	var out []byte
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			out = append(out, v...)
		case int:
			out = append(out, byte(v))
		case rune:
			out = append(out, byte(v))
		case []byte:
			out = append(out, v...)
		default:
			panic("bad part")
		}
	}
	return out
}

func TestAppendGoldenSmall(t *testing.T) {
	s := &Snapshot{
		Aux: []AuxField{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}},
		DBs: []DB{{Index: 0, Entries: []Entry{
			{Key: "a", Value: []byte("1")},
			{Key: "key", Value: []byte("hello"), ExpireAtMs: 0x0102030405060708},
		}}},
	}
	want := b("REDIS0010",
		0xFA, 9, "redis-ver", 6, "7.0.15",
		0xFA, 10, "redis-bits", 0xC0, 64,
		0xFE, 0, 0xFB, 2, 1,
		0x00, 1, "a", 0xC0, 1,
		0xFC, 8, 7, 6, 5, 4, 3, 2, 1, 0x00, 3, "key", 5, "hello",
		0xFF)
	got := Append(nil, s, Options{Compress: true})
	require.Equal(t, append(want, 0, 0, 0, 0, 0, 0, 0, 0), got)

	withSum := Append([]byte("prefix"), s, Options{Compress: true, Checksum: true})
	require.Equal(t, "prefix", string(withSum[:6]))
	require.Equal(t, want, withSum[6:len(withSum)-8])
	require.Equal(t, CRC64(0, want), binary.LittleEndian.Uint64(withSum[len(withSum)-8:]))
}

func TestAppendGoldenEmpty(t *testing.T) {
	want := b("REDIS0010", 0xFF, 0, 0, 0, 0, 0, 0, 0, 0)
	require.Equal(t, want, Append(nil, &Snapshot{DBs: []DB{{Index: 3}}}, Options{}))
	require.Equal(t, want, Append(nil, nil, Options{}))
}

func TestAppendGoldenSeveralDBs(t *testing.T) {
	s := &Snapshot{DBs: []DB{
		{Index: 2, Entries: []Entry{{Key: "x", Value: []byte("y"), ExpireAtMs: -1}}},
		{Index: 0},
		{Index: 100, Entries: []Entry{{Key: "", Value: nil}}},
	}}
	want := b("REDIS0010",
		0xFE, 2, 0xFB, 1, 1, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, "x", 1, "y",
		0xFE, 0x40, 100, 0xFB, 1, 0, 0, 0, 0,
		0xFF, 0, 0, 0, 0, 0, 0, 0, 0)
	require.Equal(t, want, Append(nil, s, Options{}))
}

func TestAppendLen(t *testing.T) {
	cases := []struct {
		n    uint64
		want []byte
	}{
		{0, b(0x00)},
		{63, b(0x3F)},
		{64, b(0x40, 0x40)},
		{16383, b(0x7F, 0xFF)},
		{16384, b(0x80, 0, 0, 0x40, 0)},
		{1<<32 - 1, b(0x80, 0xFF, 0xFF, 0xFF, 0xFF)},
		{1 << 32, b(0x81, 0, 0, 0, 1, 0, 0, 0, 0)},
	}
	for _, c := range cases {
		require.Equal(t, c.want, appendLen(nil, c.n), "length %d", c.n)
		r := reader{data: c.want}
		n, err := r.length(desc{what: "test"})
		require.NoError(t, err)
		require.Equal(t, c.n, n)
	}
}

func TestAppendStringEncodings(t *testing.T) {
	fifty := strings.Repeat("a", 50)
	cases := []struct {
		s        string
		compress bool
		want     []byte
	}{
		{"0", false, b(0xC0, 0)},
		{"-128", false, b(0xC0, 0x80)},
		{"127", false, b(0xC0, 0x7F)},
		{"128", false, b(0xC1, 0x80, 0)},
		{"-32768", false, b(0xC1, 0, 0x80)},
		{"32768", false, b(0xC2, 0, 0x80, 0, 0)},
		{"2147483647", false, b(0xC2, 0xFF, 0xFF, 0xFF, 0x7F)},
		{"-2147483648", false, b(0xC2, 0, 0, 0, 0x80)},
		{"2147483648", false, b(10, "2147483648")},
		{"12345678901", false, b(11, "12345678901")},
		{"007", false, b(3, "007")},
		{"-0", false, b(2, "-0")},
		{"+1", false, b(2, "+1")},
		{" 1", false, b(2, " 1")},
		{"-", false, b(1, "-")},
		{"", false, b(0)},
		{fifty, false, b(50, fifty)},
		{fifty, true, b(0xC3, 9, 50, 0x01, 'a', 'a', 0xE0, 0x25, 0x00, 0x01, 'a', 'a')},
		// 20 bytes: Redis does not try LZF at all.
		{strings.Repeat("a", 20), true, b(20, strings.Repeat("a", 20))},
		// Compressible but not by four bytes: stays raw.
		{"0123456789abcdefghij123456x", true, b(27, "0123456789abcdefghij123456x")},
	}
	for _, c := range cases {
		var tab *lzfTable
		if c.compress {
			tab = new(lzfTable)
		}
		require.Equal(t, c.want, appendString(nil, tab, c.s), "string %q", c.s)
		require.Equal(t, c.want, appendString(nil, tab, []byte(c.s)), "[]byte %q", c.s)
		r := reader{data: c.want}
		got, _, err := r.str(desc{what: "test"})
		require.NoError(t, err)
		require.Equal(t, c.s, string(got))
		require.Zero(t, r.left())
	}
}

func TestStandardAux(t *testing.T) {
	a := StandardAux("7.0.15", 1700000000, 123456)
	require.Equal(t, []AuxField{
		{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"ctime", "1700000000"},
		{"used-mem", "123456"}, {"aof-base", "0"},
	}, a)
	got := Append(nil, &Snapshot{Aux: a}, Options{})
	want := b("REDIS0010",
		0xFA, 9, "redis-ver", 6, "7.0.15",
		0xFA, 10, "redis-bits", 0xC0, 64,
		0xFA, 5, "ctime", 0xC2, 0x00, 0xF1, 0x53, 0x65,
		0xFA, 8, "used-mem", 0xC2, 0x40, 0xE2, 0x01, 0x00,
		0xFA, 8, "aof-base", 0xC0, 0,
		0xFF, 0, 0, 0, 0, 0, 0, 0, 0)
	require.Equal(t, want, got)

	r := StandardReplAux("7.0.15", 1, 2, 0, strings.Repeat("f", 40), 42)
	keys := make([]string, len(r))
	for i, f := range r {
		keys[i] = f.Key
	}
	require.Equal(t, []string{"redis-ver", "redis-bits", "ctime", "used-mem", "repl-stream-db", "repl-id", "repl-offset", "aof-base"}, keys)
	s := &Snapshot{Aux: r}
	v, ok := s.AuxValue("REPL-OFFSET")
	require.True(t, ok)
	require.Equal(t, "42", v)
	_, ok = s.AuxValue("nope")
	require.False(t, ok)
}
