package tap

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestCanonicalValues(t *testing.T) {
	require.Equal(t, EncodeSet([]string{"b", "a"}), EncodeSet([]string{"a", "b"}))
	require.Equal(t, "1:a1:b", EncodeSet([]string{"b", "a"}))
	require.Equal(t, "1:f1:1", EncodeHash([][2]string{{"f", "1"}}))
	require.Equal(t, "1:m3:1.5", EncodeZset([]ZsetMember{{"m", 1.5}}))
	require.Equal(t, "1:m3:inf1:n4:-inf", EncodeZset([]ZsetMember{{"n", math.Inf(-1)}, {"m", math.Inf(1)}}))
	require.Equal(t, "1:b1:a", EncodeList([]string{"b", "a"}))
	_, ok := DecodeElems("3:ab")
	require.False(t, ok)
}

func TestEncodeListRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		elems := rapid.SliceOf(rapid.String()).Draw(t, "elems")
		got, ok := DecodeElems(EncodeList(elems))
		require.True(t, ok)
		if len(elems) == 0 {
			require.Empty(t, got)
			return
		}
		require.Equal(t, elems, got)
	})
}

// A zero score's sign is Redis's encoding's business (a listpack stores 0,
// a skiplist keeps -0): the canonical value drops it (seeds 1444, 2945).
func TestEncodeZsetDropsTheSignOfZero(t *testing.T) {
	neg := math.Copysign(0, -1)
	require.Equal(t, EncodeZset([]ZsetMember{{Member: "b", Score: 0}}), EncodeZset([]ZsetMember{{Member: "b", Score: neg}}))
	require.NotEqual(t, EncodeZset([]ZsetMember{{Member: "b", Score: 0}}), EncodeZset([]ZsetMember{{Member: "b", Score: -1e-300}}))
}
