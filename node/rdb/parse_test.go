package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// withCRC appends the EOF opcode's checksum trailer to a hand-made file.
func withCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint64(body, CRC64(0, body))
}

func requireRDBError(t *testing.T, err error, offset int64, msg string) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, offset, e.Offset, "%v", err)
	require.Contains(t, e.Msg, msg)
}

func TestParseTruncatedAtEveryOffset(t *testing.T) {
	data := Append(nil, sampleSnapshot(1_800_000_000_000, false), Options{Compress: true, Checksum: true})
	for i := range len(data) {
		s, err := Parse(data[:i])
		require.Nil(t, s, "prefix of %d bytes", i)
		var e *Error
		require.ErrorAs(t, err, &e, "prefix of %d bytes", i)
		require.Contains(t, e.Msg, "unexpected end of file", "prefix of %d bytes", i)
		require.LessOrEqual(t, e.Offset, int64(i))
	}
}

func TestParseFlippedByte(t *testing.T) {
	data := Append(nil, sampleSnapshot(1_800_000_000_000, false), Options{Compress: true, Checksum: true})
	for i := range len(data) {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x5A
		s, err := Parse(bad)
		require.Nil(t, s, "flip at %d", i)
		var e *Error
		require.ErrorAs(t, err, &e, "flip at %d", i)
	}
	// A flip inside a raw key leaves the structure intact: only the CRC sees it.
	bad := append([]byte(nil), data...)
	bad[bytes.Index(bad, []byte("db3:a"))] ^= 1
	_, err := Parse(bad)
	requireRDBError(t, err, int64(len(bad)-8), "checksum mismatch")
}

func TestParseZeroChecksumIsNotChecked(t *testing.T) {
	data := Append(nil, sampleSnapshot(1_800_000_000_000, false), Options{Compress: true})
	data[bytes.Index(data, []byte("db3:a"))] ^= 1
	s, err := Parse(data)
	require.NoError(t, err)
	require.Equal(t, "eb3:a", s.DBs[1].Entries[0].Key)
}

func TestParseVersions(t *testing.T) {
	body := b(0x00, 1, "k", 1, "v", 0xFF)
	for v := 1; v <= 10; v++ {
		file := append([]byte("REDIS"), []byte{'0', '0', byte('0' + v/10), byte('0' + v%10)}...)
		file = append(file, body...)
		if v >= 5 {
			file = withCRC(file)
		}
		s, err := Parse(file)
		require.NoError(t, err, "version %d", v)
		require.Equal(t, []DB{{Index: 0, Entries: []Entry{{Key: "k", Value: []byte("v")}}}}, s.DBs)
	}
	_, err := Parse(withCRC(b("REDIS0011", 0xFF)))
	requireRDBError(t, err, 5, "can't handle RDB format version 11")
	_, err = Parse(withCRC(b("REDIS0000", 0xFF)))
	requireRDBError(t, err, 5, "can't handle RDB format version 0")
	_, err = Parse(withCRC(b("REDIS00x1", 0xFF)))
	requireRDBError(t, err, 5, "bad RDB version field")
	_, err = Parse(withCRC(b("RODIS0010", 0xFF)))
	requireRDBError(t, err, 0, "not an RDB file")
	_, err = Parse(nil)
	requireRDBError(t, err, 0, "unexpected end of file while reading the header")
}

func TestParseOpcodes(t *testing.T) {
	file := withCRC(b("REDIS0010",
		0xFA, 3, "foo", 3, "bar", // unknown AUX: kept
		0xFE, 5, 0xFB, 3, 2,
		0xFD, 0x10, 0, 0, 0, 0x00, 1, "s", 1, "1", // expiry in seconds
		0xF8, 0x40, 0x10, 0xF9, 7, 0x00, 1, "t", 1, "2", // LRU idle and LFU freq are dropped
		0xFC, 1, 0, 0, 0, 0, 0, 0, 0, 0xF9, 3, 0x00, 1, "u", 1, "3",
		0xFE, 0, 0x00, 1, "v", 1, "4",
		0xFE, 5, 0x00, 1, "w", 1, "5", // DB 5 again: merged
		0xFF))
	s, err := Parse(file)
	require.NoError(t, err)
	require.Equal(t, []AuxField{{"foo", "bar"}}, s.Aux)
	require.Equal(t, []DB{
		{Index: 5, Entries: []Entry{
			{Key: "s", Value: []byte("1"), ExpireAtMs: 16000},
			{Key: "t", Value: []byte("2")},
			{Key: "u", Value: []byte("3"), ExpireAtMs: 1},
			{Key: "w", Value: []byte("5")},
		}},
		{Index: 0, Entries: []Entry{{Key: "v", Value: []byte("4")}}},
	}, s.DBs)
}

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name   string
		file   []byte
		offset int64
		msg    string
	}{
		{"truncated linked list", withCRC(b("REDIS0010", 0xFE, 0, 0x01, 3, "foo", 0xFF)), 16,
			`claims 63 elements, more than the bytes left`},
		{"truncated zipmap", withCRC(b("REDIS0010", 0x09, 1, "h", 0xFF)), 12,
			`unknown string encoding 0xFF`},
		{"stream", withCRC(b("REDIS0010", 0x15)), 9, "unknown value type or opcode 21"},
		{"stream2", withCRC(b("REDIS0010", 0x13, 1, "s")), 9, `unsupported value type 19 (stream) for key "s"`},
		{"module", withCRC(b("REDIS0010", 0x07)), 9, "unsupported value type 7 (module)"},
		{"module aux", withCRC(b("REDIS0010", 0xF7, 1, 2, 0xFF)), 9, "unsupported module AUX data"},
		{"function", withCRC(b("REDIS0010", 0xF5, 0xFF)), 9, "unsupported function library (opcode 0xF5)"},
		{"unknown opcode", withCRC(b("REDIS0010", 0xF0)), 9, "unknown value type or opcode 240"},
		{"duplicate key", withCRC(b("REDIS0010", 0x00, 1, "k", 1, "a", 0x00, 1, "k", 1, "b", 0xFF)), 14,
			`duplicate key "k" in DB 0`},
		{"expiry zero", withCRC(b("REDIS0010", 0xFC, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 1, "k", 1, "a", 0xFF)), 18,
			"expiry time 0"},
		{"trailing bytes", append(withCRC(b("REDIS0010", 0xFF)), 0), 18, "1 unexpected bytes after the end"},
		{"bad checksum", b("REDIS0010", 0xFF, 1, 0, 0, 0, 0, 0, 0, 0), 10, "checksum mismatch"},
		{"missing checksum", b("REDIS0010", 0xFF, 1, 2), 10, "unexpected end of file while reading the checksum"},
		{"bad string encoding", withCRC(b("REDIS0010", 0x00, 0xC4, 0xFF)), 10, "unknown string encoding 0xC4"},
		{"bad length encoding", withCRC(b("REDIS0010", 0x00, 0x82, 0xFF)), 10, "unknown length encoding 0x82"},
		{"huge length", withCRC(b("REDIS0010", 0x00, 1, "k", 0x81, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0xFF)), 12,
			`unexpected end of file while reading the value of key "k" in DB 0`},
		{"huge db", withCRC(b("REDIS0010", 0xFE, 0x81, 1, 0, 0, 0, 0, 0, 0, 0, 0xFF)), 10, "DB number 72057594037927936 out of range"},
		{"lzf bomb", withCRC(b("REDIS0010", 0x00, 1, "k", 0xC3, 1, 0x80, 0x7F, 0, 0, 0, 0xE0, 0xFF)), 12,
			"cannot expand"},
		{"lzf corrupt", withCRC(b("REDIS0010", 0x00, 1, "k", 0xC3, 2, 5, 0x20, 0, 0xFF)), 12,
			"invalid LZF compressed string while reading the value of key \"k\""},
		{"truncated int", b("REDIS0010", 0x00, 1, "k", 0xC2, 1), 12, "unexpected end of file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse(c.file)
			require.Nil(t, s)
			requireRDBError(t, err, c.offset, c.msg)
		})
	}
}

func TestErrorText(t *testing.T) {
	err := error(&Error{Offset: 123, Msg: `unsupported value type 14 (list) for key "foo"`})
	require.Equal(t, `rdb: unsupported value type 14 (list) for key "foo" at offset 123`, err.Error())
	var e *Error
	require.True(t, errors.As(err, &e))
}

func TestQuoteShortensLongKeys(t *testing.T) {
	q := quote(string(make([]byte, 100)))
	require.Contains(t, q, "(100 bytes)")
	require.Less(t, len(q), 300)
}
