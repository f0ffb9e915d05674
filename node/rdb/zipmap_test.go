package rdb

import (
	"encoding/binary"
	"testing"

	"github.com/replsim/replsim/node/listpack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payload wraps a value's bytes in a DUMP footer (RDB version 10).
func payload(value []byte) []byte {
	p := append(append([]byte(nil), value...), 10, 0)
	return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
}

// Redis 7.0 RESTOREs Redis 2.4's encodings (rdbLoadObject's RDB_TYPE_LIST
// and RDB_TYPE_HASH_ZIPMAP); checked with redis-server 7.0.15.
func TestParseDumpOldEncodings(t *testing.T) {
	// A zipmap: count 2, "f1" -> "v" with one free byte, a 5-byte field
	// length, then the end.
	zm := b(2, 2, "f1", 1, 1, "v", "?", 0xFE, 2, 0, 0, 0, "f2", 0, 0, 0xFF)
	e, err := ParseDump(payload(b(9, len(zm), zm)), "h")
	require.NoError(t, err)
	assert.Equal(t, TypeHash, e.Type)
	assert.Equal(t, []string{"f1", "v", "f2", ""}, e.Items)

	e, err = ParseDump(payload(b(1, 3, 1, "a", 0xC0, 0xFF, 0xC1, 0x39, 0x30)), "l")
	require.NoError(t, err)
	require.Equal(t, TypeListQuicklist2, e.Type)
	require.Len(t, e.Nodes, 1)
	assert.Equal(t, listpack.FromStrings([]string{"a", "-1", "12345"}), e.Nodes[0].Data)

	bad := map[string][]byte{
		"zipmap count":       b(1, 2, 2, "f1", 1, 0, "v", 0xFF),
		"zipmap empty":       b(0, 0xFF),
		"zipmap no end":      b(1, 2, "f", 1, 0, "v", 0),
		"zipmap overrun":     b(1, 2, "f", 9, 0, "v", 0xFF),
		"zipmap free":        b(1, 1, "f", 1, 7, "v", 0xFF),
		"zipmap duplicate":   b(2, 1, "f", 1, 0, "v", 1, "f", 1, 0, "w", 0xFF),
		"zipmap big overrun": b(1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, "f", 0, 0, 0xFF),
	}
	for name, zm := range bad {
		_, err := ParseDump(payload(b(9, len(zm), zm)), "h")
		assert.Error(t, err, name)
	}
	_, err = ParseDump(payload(b(1, 0)), "l")
	assert.Error(t, err, "empty list")
	_, err = ParseDump(payload(b(1, 60, 1, "a")), "l")
	assert.Error(t, err, "list longer than the payload")
}

// A length may be written as a string encoding byte: Redis's rdbLoadLen
// takes its low six bits (SELECTDB 1 here, a set of 2 members in the
// payload); the node refused both.
func TestLengthTakesAnEncodingByte(t *testing.T) {
	s, err := Parse(withCRC(b("REDIS0010", 0xFE, 0xC1, 0x00, 1, "k", 1, "v", 0xFF)))
	require.NoError(t, err)
	require.Len(t, s.DBs, 1)
	assert.Equal(t, 1, s.DBs[0].Index)

	e, err := ParseDump(payload(b(2, 0xC2, 1, "a", 0xC0, 7)), "s")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "7"}, e.Items)
}
