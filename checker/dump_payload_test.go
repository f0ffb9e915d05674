package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

// The CRC is Redis's: its check value for "123456789" (crc64.c's test).
func TestCRC64Jones(t *testing.T) {
	assert.Equal(t, uint64(0xe9c6d914c4b8d9ca), crc64Jones([]byte("123456789")))
}

// A payload is what redis-server 7.0.15 answers to DUMP of the same
// string (taken from it: SET k hello, DUMP k), and decodes back.
func TestEncodeDump(t *testing.T) {
	assert.Equal(t, "\x00\x05hello\n\x00cr\xdfve4 \n", EncodeDump(tap.TypeString, "hello", DumpVersion))
	for _, v := range []Value{
		{Exists: true, Val: ""},
		{Exists: true, Val: string(make([]byte, 70))},
		setValue(map[string]bool{"1": true, "m2": true}),
		hashValue(map[string]string{"f": "1", "g": string(make([]byte, 20000))}),
	} {
		p := EncodeDump(v.Type, v.Val, DumpVersion)
		got, ok := decodeDump(p)
		require.True(t, ok)
		assert.Equal(t, v, got)
		_, ok = decodeDump(p[:len(p)-1] + "x")
		assert.False(t, ok, "a corrupt checksum")
		_, ok = decodeDump(EncodeDump(v.Type, v.Val, DumpVersion+1))
		assert.False(t, ok, "a version from the future")
	}
}
