package resp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// step is one outcome of a parse call, comparable across parsers.
type step struct {
	args []string
	n    int
	err  string
}

func outcome(args [][]byte, n int, err error) step {
	s := step{n: n}
	if err != nil {
		s.err = err.Error()
		return s
	}
	for _, a := range args {
		s.args = append(s.args, string(a))
	}
	return s
}

// feedPrefixes delivers in in pieces ending at cuts (ascending, the last
// being len(in)) and runs parse at every delivered prefix, from the start
// of the pending request, until an error. It returns every outcome.
func feedPrefixes(in []byte, cuts []int, parse func(buf []byte) step) []step {
	var out []step
	start := 0
	for _, end := range cuts {
		for start < end {
			s := parse(in[start:end])
			out = append(out, s)
			if s.err != "" {
				return out
			}
			if s.n == 0 {
				break
			}
			start += s.n
		}
	}
	return out
}

// The resumable parser agrees with the stateless one at every prefix the
// input is delivered in, however it is cut: same requests, same bytes
// taken, same error at the same moment.
func TestPropParserMatchesParseCommand(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genRequests(t)
		lim := &Limits{
			MaxInlineLen: rapid.IntRange(4, 80).Draw(t, "inlineMax"),
			MaxBulkLen:   int64(rapid.IntRange(0, 40).Draw(t, "bulkMax")),
			MaxMultibulk: int64(rapid.IntRange(0, 20).Draw(t, "mbulkMax")),
		}
		unauth := rapid.Bool().Draw(t, "unauth")
		var cuts []int
		if len(in) > 1 {
			cuts = rapid.SliceOfNDistinct(rapid.IntRange(1, len(in)-1), 0, 8, rapid.ID).Draw(t, "cuts")
		}
		cuts = append(cuts, len(in))
		sortInts(cuts)

		ref := append([]byte(nil), in...)
		want := feedPrefixes(ref, cuts, func(buf []byte) step {
			return outcome(parseCommand(buf, nil, lim, unauth))
		})
		var p Parser
		got := feedPrefixes(append([]byte(nil), in...), cuts, func(buf []byte) step {
			return outcome(p.Parse(buf, nil, lim, unauth))
		})
		require.Equal(t, want, got)
	})
}

// genRequests draws a mix of well-formed requests, near misses and noise.
func genRequests(t *rapid.T) []byte {
	var b []byte
	for range rapid.IntRange(0, 5).Draw(t, "requests") {
		switch rapid.IntRange(0, 5).Draw(t, "kind") {
		case 0, 1:
			args := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 0, 20), 0, 14).Draw(t, "args")
			b = AppendCommand(b, args...)
		case 2:
			words := rapid.SliceOfN(rapid.StringMatching(`[a-z"' \\x0-9]{0,8}`), 0, 5).Draw(t, "words")
			b = append(b, strings.Join(words, " ")+rapid.SampledFrom([]string{"\r\n", "\n", ""}).Draw(t, "eol")...)
		case 3:
			b = append(b, rapid.SampledFrom([]string{
				"*", "*-1\r\n", "*0\r\n", "*2\r\n$1\r\na\r\n", "$", "$5\r\n", "*1\r\n$", "*1\r\n$-3\r\n",
				"*3\r\n$20000\r\n", "*12\r\n", "\x00", "\r\n", "*1\x00\r\n", "*1\r\n$1\x00\r\n", ":1\r\n",
			}).Draw(t, "piece")...)
		default:
			b = append(b, rapid.SliceOfN(rapid.SampledFrom([]byte("*$\r\n0129-aZ \"'\x00")), 0, 30).Draw(t, "noise")...)
		}
	}
	return b
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Every table case of ParseCommand, fed whole and then byte by byte.
func TestParserTableCases(t *testing.T) {
	for _, cases := range [][]cmdCase{multibulkCases, inlineCases} {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				want := outcome(ParseCommand([]byte(c.in), nil, c.lim))
				var p Parser
				assert.Equal(t, want, outcome(p.Parse([]byte(c.in), nil, c.lim, false)), "whole")
				if len(c.in) > 4096 {
					return
				}
				var q Parser
				var got step
				for i := 1; i <= len(c.in); i++ {
					got = outcome(q.Parse([]byte(c.in[:i]), nil, c.lim, false))
					if got.err != "" || got.n > 0 {
						break
					}
				}
				assert.Equal(t, want, got, "byte by byte")
			})
		}
	}
}

func TestParserUnauthenticatedLimits(t *testing.T) {
	cases := []struct {
		in, err string
		unauth  bool
	}{
		{in: "*10\r\n", unauth: true},
		{in: "*11\r\n", unauth: true, err: errUnauthMultibulkLen},
		{in: "*11\r\n"},
		{in: "*1\r\n$16384\r\n", unauth: true},
		{in: "*1\r\n$16385\r\n", unauth: true, err: errUnauthBulkLen},
		{in: "*1\r\n$16385\r\n"},
		{in: "*11x\r\n", unauth: true, err: errInvalidMultibulkLen},
		{in: "*1\r\n$536870913\r\n", unauth: true, err: errInvalidBulkLen},
	}
	for _, c := range cases {
		var p Parser
		_, n, err := p.Parse([]byte(c.in), nil, nil, c.unauth)
		assert.Zero(t, n, c.in)
		if c.err == "" {
			assert.NoError(t, err, c.in)
		} else {
			assert.EqualError(t, err, c.err, c.in)
		}
	}
}

// A request delivered a byte at a time does a bounded amount of work per
// byte: the parser never looks back over what it already parsed.
func TestParserResumesWithoutRescanning(t *testing.T) {
	args := make([][]byte, 2000)
	for i := range args {
		args[i] = []byte("value")
	}
	in := AppendCommand(nil, args...)
	var p Parser
	prev := 0
	for i := 1; i < len(in); i++ {
		_, n, err := p.Parse(in[:i], nil, nil, false)
		require.NoError(t, err)
		require.Zero(t, n)
		require.GreaterOrEqual(t, p.Progress(), prev)
		require.LessOrEqual(t, p.Progress(), i+len("value\r\n"))
		prev = p.Progress()
	}
	out, n, err := p.Parse(in, nil, nil, false)
	require.NoError(t, err)
	require.Equal(t, len(in), n)
	require.Len(t, out, len(args))
	assert.Zero(t, p.Progress(), "ready for the next request")
}

// The caller may move the buffered request between calls (compaction):
// the parser keeps offsets, not pointers.
func TestParserSurvivesBufferMoves(t *testing.T) {
	in := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	var p Parser
	_, n, err := p.Parse(append([]byte(nil), in[:20]...), nil, nil, false)
	require.NoError(t, err)
	require.Zero(t, n)
	out, n, err := p.Parse(append([]byte(nil), in...), nil, nil, false)
	require.NoError(t, err)
	require.Equal(t, len(in), n)
	assert.Equal(t, step{args: []string{"SET", "key", "value"}, n: n}, outcome(out, n, nil))
}

func TestParserReleasesHugeArgumentTable(t *testing.T) {
	args := make([][]byte, 5000)
	for i := range args {
		args[i] = []byte("v")
	}
	in := AppendCommand(nil, args...)
	var p Parser
	_, n, err := p.Parse(in, nil, nil, false)
	require.NoError(t, err)
	require.Equal(t, len(in), n)
	assert.Nil(t, p.spans, "a table above maxKeptSpans is dropped")
}

func TestParserNoAllocs(t *testing.T) {
	src := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	var p Parser
	args := make([][]byte, 0, 8)
	args, _, _ = p.Parse(src, args, nil, false) // warm the span table
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		args, _, err = p.Parse(src[:17], args, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		args, _, err = p.Parse(src, args, nil, false)
		if err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// A caller that hands the parser its input within a budget past the
// parser's Progress (the server's per-event budget) still sees a line
// with a NUL in it (so no end can be found, as with C's strchr) pass
// Redis's inline limit and fail, as Redis's protocol desync tests expect.
func TestParserNULLineFailsWithinABudget(t *testing.T) {
	for _, start := range []string{"\x00", "*\x00", "$\x00"} {
		var p Parser
		lim := DefaultLimits
		buf := []byte(start)
		const budget = 64 << 10
		var err error
		for i := 0; i < 100000 && err == nil; i++ {
			buf = append(buf, "payload"...)
			end := min(len(buf), p.Progress()+budget)
			_, _, err = p.Parse(buf[:end], nil, &lim, false)
		}
		require.Error(t, err, "start %q", start)
		assert.Contains(t, err.Error(), "too big", "start %q", start)
	}
}
