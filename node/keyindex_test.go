package node

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The keyspace's index agrees with a map model under any sequence of
// puts, removes, reserves and clears, and every key stays reachable
// (backward-shift deletion keeps probe runs whole).
func TestKeyIndexMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ks := newKeyspace()
		model := map[string]string{}
		keyN := rapid.IntRange(1, 300).Draw(t, "keys")
		steps := rapid.IntRange(0, 2000).Draw(t, "steps")
		for s := 0; s < steps; s++ {
			k := "k" + strconv.Itoa(rapid.IntRange(0, keyN-1).Draw(t, "key"))
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op < 5:
				v := strconv.Itoa(s)
				ks.set(k, v, 0)
				model[k] = v
			case op < 9:
				_, had := model[k]
				require.Equal(t, had, ks.remove(k))
				delete(model, k)
			case op == 9 && s%50 == 0:
				ks.clear()
				clear(model)
			default:
				ks.reserve(rapid.IntRange(0, 500).Draw(t, "reserve"))
			}
		}
		require.Equal(t, len(model), ks.len())
		require.Equal(t, len(model), ks.index.used)
		for k, v := range model {
			e := ks.lookup(k)
			require.NotNil(t, e, k)
			require.Equal(t, v, e.val)
		}
		for i := 0; i < keyN; i++ {
			k := "k" + strconv.Itoa(i)
			if _, ok := model[k]; !ok {
				require.Nil(t, ks.lookup(k), k)
			}
		}
	})
}

// Keys whose hashes collide in their home slots still all resolve (a
// small table forces long probe runs and wrap-around).
func TestKeyIndexDenseTable(t *testing.T) {
	ks := newKeyspace()
	for i := 0; i < 6; i++ {
		ks.set("x"+strconv.Itoa(i), strconv.Itoa(i), 0)
	}
	require.Len(t, ks.index.slots, 8)
	for i := 0; i < 6; i += 2 {
		require.True(t, ks.remove("x"+strconv.Itoa(i)))
	}
	for i := 1; i < 6; i += 2 {
		require.Equal(t, strconv.Itoa(i), ks.lookup("x"+strconv.Itoa(i)).val)
	}
}
