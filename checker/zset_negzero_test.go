package checker

import (
	"math"
	"strings"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Redis 7.0.15 stores a zero score of a small sorted set as 0 whatever
// its sign (ZUNIONSTORE z5 1 z1 WEIGHTS -1 of a member scored 0, then
// ZSCORE, answers 0): the replay must reach the snapshot's 0 (seed 575).
func TestReplayZsetNegativeZeroIsZero(t *testing.T) {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	w.write("n1", "R", cmd("SELECT", "0"))
	w.write("n1", "R", cmd("ZADD", "z1", "1", "a", "0", "b"))
	c := w.write("n1", "R", cmd("ZUNIONSTORE", "z5", "1", "z1", "WEIGHTS", "-1"))
	snap := []tap.KeyValue{
		typedKV("z1", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: 1}, {Member: "b", Score: 0}})),
		typedKV("z5", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: -1}, {Member: "b", Score: 0}})),
	}
	w.fullSync("n3", "n1", "R", c.End(), snap, snap)
	w.readOp("n3", Op{Kind: OpCmd, Key: "z5", Args: []string{"ZSCORE", "z5", "b"}, Exists: true, Result: "0", Reply: "0"})
	res := CheckPrefix(w.in)
	assert.Empty(t, res.Violations)
	assert.Equal(t, 1, res.Checked)
}

// negzeroItems makes a reply's items of strs.
func negzeroItems(strs ...string) []Item {
	out := make([]Item, len(strs))
	for i, s := range strs {
		out[i] = Item{Str: s}
	}
	return out
}

// Redis 7.0.15 keeps the sign of a zero score in a skiplist: a member
// longer than zset-max-listpack-value (64) makes ZUNIONSTORE's
// destination one, and WEIGHTS -1 of a score of 0 is -0 there, which
// ZREVRANGE ... WITHSCORES renders "-0" (addReplyDouble). The model does
// not know the encoding, so a range's zero score is "0" or "-0", as
// ZSCORE's is (seed 2105813).
func TestPrefixZrangeNegativeZeroInSkiplist(t *testing.T) {
	long := strings.Repeat("m", 74)
	check := func(reads ...Op) PrefixResult {
		w := newWorld()
		w.fullSync("n2", "n1", "R", 0, nil, nil)
		w.write("n1", "R", cmd("SELECT", "0"))
		w.write("n1", "R", cmd("ZADD", "z0", "0", long, "1", "b"))
		c := w.write("n1", "R", cmd("ZUNIONSTORE", "z6", "1", "z0", "WEIGHTS", "-1"))
		snap := []tap.KeyValue{
			typedKV("z0", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: long, Score: 0}, {Member: "b", Score: 1}})),
			typedKV("z6", tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: long, Score: math.Copysign(0, -1)}, {Member: "b", Score: -1}})),
		}
		w.fullSync("n3", "n1", "R", c.End(), snap, snap)
		for _, op := range reads {
			w.readOp("n3", op)
		}
		return CheckPrefix(w.in)
	}
	read := func(args []string, items ...string) Op {
		return Op{Kind: OpCmd, Key: "z6", Args: args, Items: negzeroItems(items...), Reply: strings.Join(items, " ")}
	}
	res := check(
		read([]string{"ZREVRANGE", "z6", "0", "-1", "WITHSCORES"}, long, "-0", "b", "-1"),
		read([]string{"ZRANGE", "z6", "1", "1", "WITHSCORES"}, long, "0"))
	assert.Empty(t, res.Violations)
	assert.Equal(t, 2, res.Checked)

	// The rule still bites: only a zero score may be either sign.
	res = check(read([]string{"ZREVRANGE", "z6", "0", "-1", "WITHSCORES"}, long, "-0", "b", "-0"))
	require.Len(t, res.Violations, 1)
	assert.Contains(t, res.Violations[0].Detail, "ZREVRANGE z6 0 -1 WITHSCORES")
}

// A pop's reply renders a zero score as the encoding keeps it, too:
// ZPOPMIN and ZMPOP of a skiplist's -0 answer "-0".
func TestZsetPopNegativeZero(t *testing.T) {
	v := zsetValue(map[string]float64{"a": 0, "b": 2})
	ok, _ := zpopStep(v, &Op{Args: []string{"ZPOPMIN", "z"}, Items: negzeroItems("a", "-0")})
	assert.True(t, ok)
	ok, _ = zpopStep(v, &Op{Args: []string{"ZPOPMIN", "z"}, Items: negzeroItems("a", "0")})
	assert.True(t, ok)
	ok, _ = zpopStep(v, &Op{Args: []string{"ZPOPMAX", "z"}, Items: negzeroItems("b", "-0")})
	assert.False(t, ok, "only a zero may be -0")
	ok, _ = zmultiPopStep(v, &Op{Args: []string{"ZMPOP", "1", "z", "MIN"}, Items: negzeroItems("z", "a", "-0")})
	assert.True(t, ok)
	ok, _ = zmultiPopStep(v, &Op{Args: []string{"ZMPOP", "1", "z", "MIN"}, Items: negzeroItems("z", "a", "1")})
	assert.False(t, ok)
}
