package node

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestParseLongDoubleSyntax(t *testing.T) {
	ok := []string{"1", "-1", "+1", "1.", ".5", "1e3", "1E+3", "1e-3", "0x10", "0X1p-2", "0x.8", "inf", "-INF", "Infinity", "-0", "1e-4940"}
	bad := []string{"", " 1", "1 ", "nan", "NaN", "1e", "1e+", "e1", ".", "0x", "0xp1", "1_0", "1..2", "--1", "infinit", "1e5000", "-1e5000", "1e-5000", "0b1", "\x001"}
	for _, s := range ok {
		_, good := parseLongDouble([]byte(s))
		assert.True(t, good, "%q should parse", s)
	}
	for _, s := range bad {
		_, good := parseLongDouble([]byte(s))
		assert.False(t, good, "%q should not parse", s)
	}
}

func TestLongDoubleAdds(t *testing.T) {
	add := func(a, b string) string {
		x, ok := parseLongDouble([]byte(a))
		require.True(t, ok)
		y, ok := parseLongDouble([]byte(b))
		require.True(t, ok)
		s, ok := addLongDouble(x, y)
		require.True(t, ok)
		return formatLongDoubleHuman(s)
	}
	assert.Equal(t, "0.3", add("0.2", "0.1"))
	assert.Equal(t, "5000", add("0", "5.0e3"))
	assert.Equal(t, "0", add("0", "-1e-20"))
	assert.Equal(t, "1.5", add("1", "0.5"))
	assert.Equal(t, "10.1", add("10", "0.1"))
}

// TestLongDoubleIntegersExact: sums of integers that fit in 64 bits are
// exact in extended precision, as on x87.
func TestLongDoubleIntegersExact(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		a := rapid.Int64Range(-1<<53, 1<<53).Draw(rt, "a")
		b := rapid.Int64Range(-1<<53, 1<<53).Draw(rt, "b")
		x, _ := parseLongDouble([]byte(strconv.FormatInt(a, 10)))
		y, _ := parseLongDouble([]byte(strconv.FormatInt(b, 10)))
		s, ok := addLongDouble(x, y)
		require.True(rt, ok)
		require.Equal(rt, strconv.FormatInt(a+b, 10), formatLongDoubleHuman(s))
	})
}

func BenchmarkIncrbyfloatArithmetic(b *testing.B) {
	b.ReportAllocs()
	x, _ := parseLongDouble([]byte("10.5"))
	for b.Loop() {
		y, _ := parseLongDouble([]byte("0.1"))
		s, _ := addLongDouble(x, y)
		_ = formatLongDoubleHuman(s)
	}
}
