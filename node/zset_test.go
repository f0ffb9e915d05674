package node

import (
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/tap"
)

type zpair struct {
	m string
	s float64
}

// zsetModel is the sorted set as a plain sorted slice.
type zsetModel []zpair

func (mo zsetModel) sorted() zsetModel {
	out := slices.Clone(mo)
	slices.SortFunc(out, func(a, b zpair) int {
		if zslLess(a.s, a.m, b.s, b.m) {
			return -1
		}
		if a == b {
			return 0
		}
		return 1
	})
	return out
}

func (mo zsetModel) find(m string) int {
	return slices.IndexFunc(mo, func(p zpair) bool { return p.m == m })
}

func zsetPairs(z *zsetValue) zsetModel {
	var out zsetModel
	z.walk(0, false, func(m string, s float64) bool {
		out = append(out, zpair{m, s})
		return true
	})
	return out
}

// checkZset compares z with the model through every read path.
func checkZset(t *rapid.T, z *zsetValue, mo zsetModel) {
	want := mo.sorted()
	got := zsetPairs(z)
	if len(want) == 0 {
		want = nil
	}
	require.Equal(t, want, got)
	require.Equal(t, len(want), z.len())
	for i, p := range want {
		r, ok := z.rank(p.m)
		require.True(t, ok)
		require.Equal(t, i, r)
		m, s := z.at(i)
		require.Equal(t, p, zpair{m, s})
		sc, ok := z.score(p.m)
		require.True(t, ok)
		require.Equal(t, p.s, sc)
	}
	var rev zsetModel
	z.walk(z.len()-1, true, func(m string, s float64) bool {
		rev = append(rev, zpair{m, s})
		return true
	})
	slices.Reverse(rev)
	if len(want) > 0 {
		require.Equal(t, want, rev)
	}
	if z.sl != nil {
		require.Len(t, z.nodes, len(want))
		require.Equal(t, len(want), z.index.used)
		for i, x := range z.nodes {
			require.Equal(t, int32(i), z.index.find(x.member))
		}
		checkSkiplist(t, z.sl)
	}
}

// checkSkiplist checks every upper link's span against the level-0
// ranks, and the backward links and tail.
func checkSkiplist(t *rapid.T, zsl *zskiplist) {
	rank := map[*zslNode]int{zsl.header: 0}
	var prev *zslNode
	for x := zsl.first(); x != nil; x = x.next {
		rank[x] = len(rank)
		require.Equal(t, prev, x.backward)
		prev = x
	}
	require.Equal(t, zsl.length, len(rank)-1)
	require.Equal(t, prev, zsl.tail)
	for i := 1; i < zsl.level; i++ {
		for x := zsl.header; x.forward(i) != nil; x = x.forward(i) {
			require.GreaterOrEqual(t, x.levels(), i+1)
			require.Equal(t, rank[x.forward(i)]-rank[x], x.span(i), "level %d", i)
		}
	}
}

var zsetScorePool = []float64{0, 1, -1, 1.5, 2, math.Inf(1), math.Inf(-1), 0.1, 1e20, 4611686018427387904, -2.5}

// TestZsetMatchesModel runs random adds, removes, range deletions and
// conversions on both encodings and checks every read against a sorted
// slice.
func TestZsetMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := &Node{cfg: DefaultConfig()}
		n.cfg.ZsetMaxListpackEntries = int64(rapid.SampledFrom([]int{0, 3, 16, 128}).Draw(t, "entries"))
		n.cfg.ZsetMaxListpackValue = int64(rapid.SampledFrom([]int{2, 64}).Draw(t, "value"))
		z := newZsetFor(n, 1)
		var mo zsetModel
		member := rapid.SampledFrom([]string{"a", "b", "c", "dd", "1", "2", "-3", "01", "", "xyz", "10"})
		for i := rapid.IntRange(0, 80).Draw(t, "ops"); i > 0; i-- {
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0, 1, 2:
				m := member.Draw(t, "m")
				s := rapid.SampledFrom(zsetScorePool).Draw(t, "s")
				incr := rapid.Bool().Draw(t, "incr")
				res, ns := z.add(n, s, m, zaddFlags{incr: incr})
				j := mo.find(m)
				switch {
				case j < 0:
					require.Equal(t, zaddAdded, res)
					mo = append(mo, zpair{m, s})
				case incr && math.IsNaN(mo[j].s+s):
					require.Equal(t, zaddNaN, res)
				default:
					if incr {
						s += mo[j].s
					}
					require.Equal(t, s, ns)
					mo[j].s = s
				}
			case 3:
				m := member.Draw(t, "m")
				j := mo.find(m)
				require.Equal(t, j >= 0, z.remove(m))
				if j >= 0 {
					mo = slices.Delete(mo, j, j+1)
				}
			case 4:
				r := scoreRange{min: rapid.Float64Range(-3, 3).Draw(t, "min"), max: rapid.Float64Range(-3, 3).Draw(t, "max"),
					minex: rapid.Bool().Draw(t, "minex"), maxex: rapid.Bool().Draw(t, "maxex")}
				lo, hi := z.scoreBounds(r)
				var keep zsetModel
				in := 0
				for _, p := range mo {
					ok := (p.s > r.min || (!r.minex && p.s == r.min)) && (p.s < r.max || (!r.maxex && p.s == r.max))
					if ok {
						in++
					} else {
						keep = append(keep, p)
					}
				}
				require.Equal(t, in, hi-lo)
				z.removeRanks(lo, hi)
				mo = keep
			case 5:
				if z.lp != nil {
					z.convert()
				} else {
					z.convertToListpackIfNeeded(n, z.maxMemberLen())
				}
			}
			checkZset(t, z, mo)
		}
		// Round trip through an RDB entry, in whatever encoding z has.
		e := entry{key: "k", obj: z}
		re := e.rdbEntry()
		if z.lp != nil {
			require.Equal(t, rdb.TypeZsetListpack, re.Type)
		} else {
			require.Equal(t, rdb.TypeZset2, re.Type)
		}
		if z.len() > 0 {
			val, obj := n.valueFromRDB(&re)
			require.Empty(t, val)
			checkZset(t, obj.(*zsetValue), mo)
			var d1, d2 digest
			z.digest(&d1)
			obj.(*zsetValue).digest(&d2)
			require.Equal(t, d1, d2)
		}
	})
}

// TestZsetListpackBytes checks that the listpack holds d2string scores in
// (score, member) order, as Redis's zzlInsert writes them.
func TestZsetListpackBytes(t *testing.T) {
	n := &Node{cfg: DefaultConfig()}
	z := newZsetListpack()
	for _, p := range []zpair{{"b", 1.5}, {"a", 1.5}, {"c", -0.0}, {"d", 3}, {"e", math.Inf(-1)}, {"f", 1e20}} {
		res, _ := z.add(n, p.s, p.m, zaddFlags{})
		require.Equal(t, zaddAdded, res)
	}
	want := listpack.FromStrings([]string{"e", "-inf", "c", "0", "a", "1.5", "b", "1.5", "d", "3", "f", "1e+20"})
	assert.Equal(t, want, z.lp)
}

func TestScoreParsing(t *testing.T) {
	for in, want := range map[string]float64{
		"1": 1, "-1.5": -1.5, "inf": math.Inf(1), "-Infinity": math.Inf(-1), "+inf": math.Inf(1), "0x10": 16, "0x1p-2": 0.25,
		"1e-320": 1e-320, "0e-500": 0, ".5": 0.5, "5.": 5, "1E3": 1000,
	} {
		got, ok := parseScore([]byte(in))
		if assert.True(t, ok, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{"", " 1", "1 ", "nan", "NaN", "abc", "1e400", "-1e400", "1e-400", "0x", "1e", "1_0", "0x_1", "inf1", "1.2.3", "\x001"} {
		_, ok := parseScore([]byte(in))
		assert.False(t, ok, "%q", in)
	}
	for in, want := range map[string]float64{"": 0, " 1": 1, "1e400": math.Inf(1), "1\x00x": 1, "-inf": math.Inf(-1)} {
		got, ok := parseRangeDouble([]byte(in))
		if assert.True(t, ok, "%q", in) {
			assert.Equal(t, want, got, "%q", in)
		}
	}
	for _, in := range []string{"x", "nan", "1 ", " "} {
		_, ok := parseRangeDouble([]byte(in))
		assert.False(t, ok, "%q", in)
	}
}

func TestScoreFormatting(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1", 1.5: "1.5", 0.1: "0.10000000000000001", 1e20: "1e+20", math.Inf(1): "inf", math.Inf(-1): "-inf",
		-2.5e-7: "-2.4999999999999999e-07", 4611686018427387904: "4.6116860184273879e+18",
	} {
		assert.Equal(t, want, formatScore(f), "%v", f)
	}
	for f, want := range map[float64]string{
		1: "1", -0.0: "0", 4611686018427387904: "4611686018427387904", 4611686018427387904 * 2: "9.2233720368547758e+18",
		1.5: "1.5", math.Inf(-1): "-inf", -12345: "-12345",
	} {
		assert.Equal(t, want, d2string(f), "%v", f)
	}
	assert.Equal(t, "1e+20", strconv.FormatFloat(1e20, 'g', 17, 64))
}

// TestZsetTapValue: the checkers see a sorted set as tap's canonical zset
// encoding, the same for both encodings.
func TestZsetTapValue(t *testing.T) {
	n := &Node{cfg: DefaultConfig()}
	lp := newZsetListpack()
	sl := newZsetSkiplist()
	for _, z := range []*zsetValue{lp, sl} {
		z.add(n, 1.5, "m", zaddFlags{})
		z.add(n, math.Inf(-1), "n", zaddFlags{})
	}
	a := (&entry{key: "k", obj: lp}).keyValue(0)
	b := (&entry{key: "k", obj: sl}).keyValue(0)
	assert.Equal(t, tap.TypeZset, a.Type)
	assert.Equal(t, tap.EncodeZset([]tap.ZsetMember{{Member: "m", Score: 1.5}, {Member: "n", Score: math.Inf(-1)}}), a.Value)
	assert.Equal(t, a, b)
}
