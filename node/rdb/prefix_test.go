package rdb

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePrefix(t *testing.T) {
	snap := &Snapshot{DBs: []DB{{Index: 0, Entries: []Entry{{Key: "k", Value: []byte("v")}}}}}
	data := Append(nil, snap, Options{Checksum: true})
	tail := []byte("*1\r\n$4\r\nPING\r\n")
	got, n, err := ParsePrefix(append(append([]byte(nil), data...), tail...))
	require.NoError(t, err)
	assert.Equal(t, len(data), n)
	assert.Equal(t, "k", got.DBs[0].Entries[0].Key)

	_, _, err = ParsePrefix(data[:len(data)-3])
	assert.Error(t, err, "a cut RDB is an error")
	bad := append([]byte(nil), data...)
	bad[len(bad)-1] ^= 1
	_, _, err = ParsePrefix(append(bad, tail...))
	assert.Error(t, err, "the checksum is checked")
}
