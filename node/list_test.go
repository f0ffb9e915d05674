package node

import (
	"slices"
	"strconv"
	"testing"

	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// checkList verifies l's invariants against the model: the elements in
// order, each node a valid non-empty listpack whose count is recorded,
// and the total count.
func checkList(t require.TestingT, l *listValue, model []string) {
	require.Equal(t, len(model), l.len())
	got := l.strings()
	if len(model) == 0 {
		require.Empty(t, got)
	} else {
		require.Equal(t, model, got)
	}
	total := 0
	for i, nd := range l.nodes {
		if nd.plain {
			require.Equal(t, 1, nd.n, "plain node %d", i)
			total++
			continue
		}
		n, err := listpack.Validate(nd.lp)
		require.NoError(t, err, "node %d", i)
		require.Equal(t, n, nd.n, "node %d count", i)
		require.Positive(t, nd.n, "node %d is empty", i)
		total += nd.n
	}
	require.Equal(t, l.count, total)
}

func listElem(t *rapid.T, label string) string {
	return rapid.OneOf(
		rapid.Map(rapid.IntRange(-100, 100), strconv.Itoa),
		rapid.SampledFrom([]string{"", "a", "01", "9223372036854775807", "-9223372036854775808", "x y"}),
		rapid.StringN(0, 300, -1),
	).Draw(t, label)
}

// TestListMatchesModel runs random list operations on a listValue and on
// a plain slice, under several fills.
func TestListMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fill := rapid.SampledFrom([]int64{-2, -1, -5, 1, 2, 3, 8}).Draw(t, "fill")
		l := newList(fill)
		packed := rapid.SampledFrom([]int64{0, 1, 5, 30, 200}).Draw(t, "packed")
		l.packed = &packed
		var model []string
		for step := rapid.IntRange(0, 200).Draw(t, "steps"); step > 0; step-- {
			switch op := rapid.IntRange(0, 8).Draw(t, "op"); {
			case op <= 2:
				v := listElem(t, "v")
				head := rapid.Bool().Draw(t, "head")
				l.push([]byte(v), head)
				if head {
					model = slices.Insert(model, 0, v)
				} else {
					model = append(model, v)
				}
			case op == 3 && len(model) > 0:
				head := rapid.Bool().Draw(t, "head")
				want := model[len(model)-1]
				if head {
					want = model[0]
					model = model[1:]
				} else {
					model = model[:len(model)-1]
				}
				require.Equal(t, want, l.pop(head))
			case op == 4 && len(model) > 0:
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				ni, off := l.locate(i)
				p := l.nodes[ni].seek(off)
				v := listElem(t, "v")
				after := rapid.Bool().Draw(t, "after")
				l.insert(ni, off, p, []byte(v), after)
				if after {
					i++
				}
				model = slices.Insert(model, i, v)
			case op == 5 && len(model) > 0:
				start := rapid.IntRange(0, len(model)-1).Draw(t, "start")
				k := rapid.IntRange(0, len(model)+2).Draw(t, "k")
				l.delRange(start, k)
				model = slices.Delete(model, start, min(start+k, len(model)))
			case op == 6 && len(model) > 0:
				i := rapid.IntRange(-len(model), len(model)-1).Draw(t, "i")
				v := listElem(t, "v")
				require.True(t, l.replace(int64(i), []byte(v)))
				if i < 0 {
					i += len(model)
				}
				model[i] = v
			case op == 7 && len(model) > 0:
				v := model[rapid.IntRange(0, len(model)-1).Draw(t, "which")]
				limit := rapid.Int64Range(0, 3).Draw(t, "limit")
				fromTail := rapid.Bool().Draw(t, "fromTail")
				removed := l.remove([]byte(v), limit, fromTail)
				var kept []string
				var k int64
				if fromTail {
					for i := len(model) - 1; i >= 0; i-- {
						if model[i] == v && (limit == 0 || k < limit) {
							k++
							continue
						}
						kept = append([]string{model[i]}, kept...)
					}
				} else {
					for _, m := range model {
						if m == v && (limit == 0 || k < limit) {
							k++
							continue
						}
						kept = append(kept, m)
					}
				}
				require.Equal(t, k, removed)
				model = kept
			case op == 8 && len(model) > 0:
				start := rapid.IntRange(0, len(model)-1).Draw(t, "start")
				reverse := rapid.Bool().Draw(t, "reverse")
				var want []string
				var k int
				if reverse {
					k = rapid.IntRange(1, start+1).Draw(t, "k")
					want = slices.Clone(model[start-k+1 : start+1])
					slices.Reverse(want)
				} else {
					k = rapid.IntRange(1, len(model)-start).Draw(t, "k")
					want = slices.Clone(model[start : start+k])
				}
				var got []string
				l.rangeEach(start, k, reverse, func(e listpack.Entry) { got = append(got, e.String()) })
				require.Equal(t, want, got)
			}
			checkList(t, l, model)
		}
	})
}

// TestListRDBRoundTrip: a list saved as quicklist nodes and loaded back
// has the same nodes and elements.
func TestListRDBRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := newList(-2)
		var model []string
		for _, v := range rapid.SliceOfN(rapid.StringN(0, 100, -1), 1, 500).Draw(t, "elems") {
			l.push([]byte(v), false)
			model = append(model, v)
		}
		e := entry{key: "k", obj: l}
		re := e.rdbEntry()
		require.Equal(t, rdb.TypeListQuicklist2, re.Type)
		data := rdb.Append(nil, &rdb.Snapshot{DBs: []rdb.DB{{Entries: []rdb.Entry{re}}}}, rdb.Options{Compress: true, Checksum: true})
		snap, err := rdb.Parse(data)
		require.NoError(t, err)
		n := New(DefaultConfig(), newFakeEnv(nil))
		_, obj := n.valueFromRDB(&snap.DBs[0].Entries[0])
		back := obj.(*listValue)
		checkList(t, back, model)
		require.Equal(t, len(l.nodes), len(back.nodes))
		for i := range l.nodes {
			require.Equal(t, l.nodes[i].lp, back.nodes[i].lp)
		}
	})
}

func TestListFillIsClamped(t *testing.T) {
	require.Equal(t, -5, newList(-100).fill)
	require.Equal(t, qlFillMax, newList(1<<40).fill)
	require.Equal(t, "quicklist", newList(-2).encoding())
}

func TestTimeoutMs(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1": 1000, "0.1": 100, "0.0001": 1, "-0.0001": 0, "1.5": 1500,
		"-1": -1000, "inf": -1 << 63, "1e30": -1 << 63, "0x10": 16000} {
		v, ok := parseLongDouble([]byte(in))
		require.True(t, ok, in)
		require.Equal(t, want, timeoutMs(v), in)
	}
}
