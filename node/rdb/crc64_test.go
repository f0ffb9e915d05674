package rdb

import (
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestCRC64CheckVector(t *testing.T) {
	require.Equal(t, uint64(0xe9c6d914c4b8d9ca), CRC64(0, []byte("123456789")))
	require.Equal(t, uint64(0), CRC64(0, nil))
}

func TestCRC64IsIncremental(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SliceOf(rapid.Byte()).Draw(t, "p")
		cut := rapid.IntRange(0, len(p)).Draw(t, "cut")
		require.Equal(t, CRC64(0, p), CRC64(CRC64(0, p[:cut]), p[cut:]))
	})
}
