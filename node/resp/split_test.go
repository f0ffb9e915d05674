package resp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestSplitArgs(t *testing.T) {
	for line, want := range map[string][]string{
		`save 900 1`:       {"save", "900", "1"},
		`dir "/a b/c"`:     {"dir", "/a b/c"},
		`x "a\x41\n"`:      {"x", "aA\n"},
		`x 'it\'s'`:        {"x", "it's"},
		"  spaced\targs  ": {"spaced", "args"},
		`x "\x4g"`:         {"x", "x4g"},
		"cut\x00here":      {"cut"},
		`file appendonly.aof.1.base.rdb seq 1 type b`: {"file", "appendonly.aof.1.base.rdb", "seq", "1", "type", "b"},
	} {
		got, ok := SplitArgs(line)
		require.True(t, ok, line)
		assert.Equal(t, want, got, line)
	}
	for _, bad := range []string{`x "open`, `x 'open`, `x "a"b`, `x 'a'b`} {
		_, ok := SplitArgs(bad)
		assert.False(t, ok, bad)
	}
}

// TestReprRoundTrips: Repr's output splits back into the original string.
func TestReprRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := string(rapid.SliceOf(rapid.Byte()).Draw(t, "s"))
		got, ok := SplitArgs("k " + Repr(s))
		require.True(t, ok)
		require.Equal(t, []string{"k", s}, got)
	})
}
