package intset

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestIntsetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		is := New()
		model := map[int64]bool{}
		val := rapid.OneOf(rapid.Int64Range(-40000, 40000), rapid.Int64(), rapid.Int64Range(-5, 5))
		for range rapid.IntRange(0, 60).Draw(t, "ops") {
			v := val.Draw(t, "v")
			if rapid.Bool().Draw(t, "add") {
				var ok bool
				is, ok = Add(is, v)
				require.Equal(t, !model[v], ok)
				model[v] = true
			} else {
				var ok bool
				is, ok = Remove(is, v)
				require.Equal(t, model[v], ok)
				delete(model, v)
			}
			var want []int64
			for k := range model {
				want = append(want, k)
			}
			slices.Sort(want)
			got := make([]int64, Len(is))
			for i := range got {
				got[i] = Get(is, i)
			}
			require.Equal(t, want, nilIfEmpty(got))
			require.True(t, Len(is) == 0 || Validate(is) == nil)
			for _, k := range want {
				require.True(t, Find(is, k))
			}
		}
	})
}

func nilIfEmpty(s []int64) []int64 {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestIntsetKnownBytes(t *testing.T) {
	is, _ := Add(New(), 5)
	is, _ = Add(is, -1)
	require.Equal(t, []byte{2, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 5, 0}, is)
	is, _ = Add(is, 70000)
	require.Equal(t, []byte{4, 0, 0, 0, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 5, 0, 0, 0, 0x70, 0x11, 1, 0}, is)
	require.Error(t, Validate([]byte{2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0}))
	require.Error(t, Validate([]byte{3, 0, 0, 0, 0, 0, 0, 0}))
}
