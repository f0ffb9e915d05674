package rdb

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// compressible draws byte strings with plenty of repetition.
func compressible() *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte {
		alphabet := rapid.SliceOfN(rapid.Byte(), 1, 4).Draw(t, "alphabet")
		chunks := rapid.SliceOfN(rapid.SliceOfN(rapid.SampledFrom(alphabet), 1, 40), 0, 30).Draw(t, "chunks")
		var b []byte
		for _, c := range chunks {
			b = append(b, c...)
			b = append(b, c...)
		}
		return b
	})
}

func TestLZFRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapid.OneOf(rapid.SliceOf(rapid.Byte()), compressible()).Draw(t, "src")
		prefix := []byte("prefix")
		c := LZFCompress(append([]byte(nil), prefix...), src)
		if c == nil {
			return
		}
		require.True(t, bytes.HasPrefix(c, prefix))
		comp := c[len(prefix):]
		require.Less(t, len(comp), len(src))
		out, err := LZFDecompress([]byte("x"), comp, len(src))
		require.NoError(t, err)
		require.Equal(t, append([]byte("x"), src...), out)
	})
}

func TestLZFRedisBoundRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapid.OneOf(rapid.SliceOf(rapid.Byte()), compressible()).Draw(t, "src")
		tab := new(lzfTable)
		// Reuse the table on an unrelated input first: output must not depend on it.
		_, _ = lzfCompress(tab, nil, rapid.SliceOf(rapid.Byte()).Draw(t, "before"), 1<<20)
		got, ok := lzfCompress(tab, nil, src, len(src)-4)
		fresh, freshOK := lzfCompress(new(lzfTable), nil, src, len(src)-4)
		require.Equal(t, freshOK, ok)
		require.Equal(t, fresh, got)
		if !ok {
			return
		}
		require.LessOrEqual(t, len(got), len(src)-4)
		out, err := LZFDecompress(nil, got, len(src))
		require.NoError(t, err)
		require.Equal(t, src, out)
	})
}

func TestLZFKnownOutput(t *testing.T) {
	// Worked by hand from liblzf's algorithm: two literals (a match at
	// position 0 is never taken), a 46-byte back reference at distance 1
	// that stops two bytes before the end, and a final two-byte literal.
	got := LZFCompress(nil, []byte(strings.Repeat("a", 50)))
	require.Equal(t, []byte{0x01, 'a', 'a', 0xE0, 0x25, 0x00, 0x01, 'a', 'a'}, got)
}

func TestLZFIncompressible(t *testing.T) {
	require.Nil(t, LZFCompress(nil, nil))
	require.Nil(t, LZFCompress(nil, []byte("a")))
	require.Nil(t, LZFCompress([]byte("dst"), []byte("abcdefghijklmnopqrstuvwxyz")))
}

func TestLZFDecompressRejectsCorruptInput(t *testing.T) {
	cases := map[string]struct {
		src  []byte
		ulen int
	}{
		"literal past input":       {[]byte{0x05, 'a'}, 6},
		"literal past output":      {[]byte{0x01, 'a', 'b'}, 1},
		"reference before start":   {[]byte{0x00, 'a', 0x20, 0x05}, 4},
		"reference missing offset": {[]byte{0x00, 'a', 0x20}, 4},
		"long reference truncated": {[]byte{0x00, 'a', 0xE0}, 20},
		"output too short":         {[]byte{0x00, 'a'}, 2},
		"output too long":          {[]byte{0x00, 'a', 0x20, 0x00}, 3},
		"impossible expansion":     {[]byte{0x00}, 1000},
		"negative length":          {[]byte{0x00, 'a'}, -1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := LZFDecompress([]byte("keep"), c.src, c.ulen)
			require.Error(t, err)
			require.Equal(t, []byte("keep"), out)
		})
	}
}

func TestLZFDecompressOverlappingReference(t *testing.T) {
	out, err := LZFDecompress(nil, []byte{0x01, 'a', 'b', 0x60, 0x01}, 7)
	require.NoError(t, err)
	require.Equal(t, "abababa", string(out))
}
