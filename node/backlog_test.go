package node

import (
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestBacklogKeepsTheNewestBytes: whatever is written, the backlog holds
// exactly the last min(size, total) bytes, with the right first offset, and
// serves any offset inside its window.
func TestBacklogKeepsTheNewestBytes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		size := rapid.Int64Range(1, 40000).Draw(t, "size")
		start := rapid.Int64Range(0, 1000).Draw(t, "start")
		b := newBacklog(size, start)
		var all []byte
		for _, chunk := range rapid.SliceOf(rapid.SliceOfN(rapid.Byte(), 0, 20000)).Draw(t, "writes") {
			b.write(chunk)
			all = append(all, chunk...)
			keep := int64(len(all))
			if keep > size {
				keep = size
			}
			require.Equal(t, keep, b.histlen)
			require.Equal(t, start+1+int64(len(all))-keep, b.first)
			require.Equal(t, string(all[int64(len(all))-keep:]), string(b.from(b.first)))
			require.LessOrEqual(t, int64(len(b.buf)), size)
		}
		if b.histlen > 0 {
			off := b.first + rapid.Int64Range(0, b.histlen).Draw(t, "off")
			require.True(t, b.has(off))
			require.Equal(t, string(all[off-start-1:]), string(b.from(off)))
		}
		require.False(t, b.has(b.first-1))
		require.False(t, b.has(b.first+b.histlen+1))
		newSize := rapid.Int64Range(1, 40000).Draw(t, "newSize")
		before := b.from(b.first)
		b.resize(newSize)
		keep := int64(len(before))
		if keep > newSize {
			keep = newSize
		}
		require.Equal(t, string(before[int64(len(before))-keep:]), string(b.from(b.first)))
	})
}
