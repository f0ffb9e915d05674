package resp

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type cmdCase struct {
	name string
	in   string
	lim  *Limits
	want []string // nil with n == 0 and err == "" means incomplete
	n    int
	err  string
}

func strs(a ...string) []string { return a }

var big = strings.Repeat("1", 64*1024)

var multibulkCases = []cmdCase{
	{name: "set", in: "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n", want: strs("SET", "a", "b"), n: 27},
	{name: "trailing bytes stay", in: "*1\r\n$4\r\nPING\r\n*1\r\n", want: strs("PING"), n: 14},
	{name: "empty arg", in: "*1\r\n$0\r\n\r\n", want: strs(""), n: 10},
	{name: "binary arg", in: "*1\r\n$5\r\n\r\n\x00\xff*\r\n", want: strs("\r\n\x00\xff*"), n: 15},
	{name: "zero count", in: "*0\r\n", want: strs(), n: 4},
	{name: "minus one count", in: "*-1\r\n", want: strs(), n: 5},
	{name: "negative count", in: "*-7\r\nX", want: strs(), n: 5},
	{name: "star only", in: "*"},
	{name: "count no CR", in: "*1"},
	{name: "count CR last", in: "*1\r"},
	{name: "header only", in: "*1\r\n"},
	{name: "bulk len partial", in: "*1\r\n$1"},
	{name: "bulk len CR last", in: "*1\r\n$1\r"},
	{name: "payload partial", in: "*1\r\n$3\r\nab"},
	{name: "payload without CRLF yet", in: "*1\r\n$3\r\nabc"},
	{name: "payload one of two trailing bytes", in: "*1\r\n$3\r\nabc\r"},
	{name: "byte after CR skipped", in: "*1\rX$1\rYa\r\n", want: strs("a"), n: 11},
	{name: "two bytes after payload skipped", in: "*2\r\n$1\r\naXY$1\r\nb\r\n", want: strs("a", "b"), n: 18},
	{name: "NUL hides count CR", in: "*1\x00\r\n$1\r\na\r\n"},
	{name: "NUL hides bulk len CR", in: "*1\r\n$1\x00\r\na\r\n"},
	{name: "max int32 count accepted", in: "*2147483647\r\n"},
	{name: "custom bulk limit ok", in: "*1\r\n$3\r\nabc\r\n", lim: &Limits{MaxBulkLen: 3}, want: strs("abc"), n: 13},
	{name: "max bulk len accepted", in: "*1\r\n$536870912\r\n"},

	{name: "count not a number", in: "*abc\r\n", err: errInvalidMultibulkLen},
	{name: "count empty", in: "*\r\n", err: errInvalidMultibulkLen},
	{name: "count leading zero", in: "*01\r\n", err: errInvalidMultibulkLen},
	{name: "count plus sign", in: "*+1\r\n", err: errInvalidMultibulkLen},
	{name: "count space", in: "* 1\r\n", err: errInvalidMultibulkLen},
	{name: "count minus zero", in: "*-0\r\n", err: errInvalidMultibulkLen},
	{name: "count over int32", in: "*2147483648\r\n", err: errInvalidMultibulkLen},
	{name: "count overflow", in: "*99999999999999999999\r\n", err: errInvalidMultibulkLen},
	{name: "count custom limit", in: "*3\r\n", lim: &Limits{MaxMultibulk: 2}, err: errInvalidMultibulkLen},
	{name: "count line too big", in: "*" + big, err: errBigMbulkCount},
	{name: "count NUL then too big", in: "*1\x00" + big, err: errBigMbulkCount},
	{name: "count line at limit", in: "*" + big[1:]},
	{name: "expected dollar", in: "*1\r\n:1\r\n", err: "Protocol error: expected '$', got ':'"},
	{name: "expected dollar got CR", in: "*1\r\n\r\n", err: "Protocol error: expected '$', got ' '"},
	{name: "expected dollar got LF", in: "*1\r\n\n\r\n", err: "Protocol error: expected '$', got ' '"},
	{name: "expected dollar raw byte", in: "*1\r\n\xff\r\n", err: "Protocol error: expected '$', got '\xff'"},
	{name: "expected dollar on second", in: "*2\r\n$1\r\na\r\n+b\r\n", err: "Protocol error: expected '$', got '+'"},
	{name: "bulk len negative", in: "*1\r\n$-1\r\n", err: errInvalidBulkLen},
	{name: "bulk len garbage", in: "*1\r\n$1a\r\n", err: errInvalidBulkLen},
	{name: "bulk len empty", in: "*1\r\n$\r\n", err: errInvalidBulkLen},
	{name: "bulk len over default", in: "*1\r\n$536870913\r\n", err: errInvalidBulkLen},
	{name: "bulk len over custom", in: "*1\r\n$4\r\n", lim: &Limits{MaxBulkLen: 3}, err: errInvalidBulkLen},
	{name: "bulk len line too big", in: "*1\r\n$" + big, err: errBigBulkCount},
	{name: "bulk line at limit", in: "*1\r\n$" + big[1:]},
	{name: "custom inline limit", in: "*1\r\n$123", lim: &Limits{MaxInlineLen: 3}, err: errBigBulkCount},
}

var inlineCases = []cmdCase{
	{name: "ping crlf", in: "PING\r\n", want: strs("PING"), n: 6},
	{name: "ping lf", in: "PING\n", want: strs("PING"), n: 5},
	{name: "next request stays", in: "PING\r\nPING\r\n", want: strs("PING"), n: 6},
	{name: "empty crlf", in: "\r\n", want: strs(), n: 2},
	{name: "empty lf", in: "\n", want: strs(), n: 1},
	{name: "blanks only", in: " \t\v\f \r\n", want: strs(), n: 7},
	{name: "no newline", in: "SET a b"},
	{name: "CR without LF", in: "SET a b\r"},
	{name: "blanks", in: "  SET   a\t b  \r\n", want: strs("SET", "a", "b"), n: 16},
	{name: "CR separates", in: "a\rb\r\n", want: strs("a", "b"), n: 5},
	{name: "only one CR stripped", in: "a\r\r\n", want: strs("a"), n: 4},
	{name: "VT inside token", in: "a\vb c\n", want: strs("a\vb", "c"), n: 6},
	{name: "FF skipped before token", in: "\fa\n", want: strs("a"), n: 3},
	{name: "dollar starts inline", in: "$3\r\nfoo\r\n", want: strs("$3"), n: 4},
	{name: "double quotes", in: "SET \"a b\" c\r\n", want: strs("SET", "a b", "c"), n: 13},
	{name: "hex escapes", in: `"\x41\x4a\x4A\x00\xff"` + "\n", want: strs("AJJ\x00\xff"), n: 23},
	{name: "bad hex escape", in: `"\x4g"` + "\n", want: strs("x4g"), n: 7},
	{name: "short hex escape", in: `"\x4"` + "\n", want: strs("x4"), n: 6},
	{name: "char escapes", in: `"\n\r\t\b\a\z\\\""` + "\n", want: strs("\n\r\t\b\az\\\""), n: 19},
	{name: "single quotes", in: `'a\'b' 'c\nd' '"'` + "\n", want: strs("a'b", `c\nd`, `"`), n: 18},
	{name: "quote inside token", in: `foo"bar baz" x` + "\n", want: strs("foobar baz", "x"), n: 15},
	{name: "single quote inside token", in: `a'b c'` + "\n", want: strs("ab c"), n: 7},
	{name: "empty quoted", in: `'' ""` + "\r\n", want: strs("", ""), n: 7},
	{name: "VT after quote", in: "\"a\"\vb\n", want: strs("a", "b"), n: 6},
	{name: "CR after quote", in: "\"a\"\rb\n", want: strs("a", "b"), n: 6},
	{name: "long line with newline", in: big + "1\n", want: strs(big + "1"), n: len(big) + 2},
	{name: "NUL hides newline", in: "GET a\x00b\r\n"},
	{name: "line at limit", in: big},

	{name: "no newline too big", in: big + "1", err: errBigInline},
	{name: "NUL then too big", in: "GET\x00\n" + big, err: errBigInline},
	{name: "custom inline limit", in: "PING", lim: &Limits{MaxInlineLen: 3}, err: errBigInline},
	{name: "unterminated double", in: "\"foo\n", err: errUnbalancedQuotes},
	{name: "unterminated single", in: "'foo\n", err: errUnbalancedQuotes},
	{name: "backslash at end", in: "\"foo\\\n", err: errUnbalancedQuotes},
	{name: "escaped closing single", in: "'foo\\'\n", err: errUnbalancedQuotes},
	{name: "text after double", in: "\"foo\"bar\n", err: errUnbalancedQuotes},
	{name: "text after single", in: "'foo'bar\n", err: errUnbalancedQuotes},
	{name: "quote after quote", in: "\"a\"'b'\n", err: errUnbalancedQuotes},
	{name: "later token unbalanced", in: "SET a \"b\r\n", err: errUnbalancedQuotes},
}

func runCmdCase(t *testing.T, c cmdCase) {
	t.Helper()
	buf := []byte(c.in)
	orig := append([]byte(nil), buf...)
	args, n, err := ParseCommand(buf, make([][]byte, 0, 4), c.lim)
	if c.err != "" {
		require.Error(t, err)
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, c.err, pe.Msg)
		assert.Equal(t, c.err, err.Error())
		assert.Zero(t, n)
		assert.Equal(t, orig, buf, "an error must not modify buf")
		return
	}
	require.NoError(t, err)
	assert.Equal(t, c.n, n)
	if c.want == nil {
		assert.Empty(t, args, "incomplete input yields no args")
		assert.Equal(t, orig, buf, "incomplete input must not modify buf")
		return
	}
	got := make([]string, len(args))
	for i, a := range args {
		got[i] = string(a)
	}
	assert.Equal(t, c.want, got)
	assert.Equal(t, orig[n:], buf[n:], "bytes past n must not change")
	if buf[0] == '*' {
		assert.Equal(t, orig, buf, "multibulk parsing must not modify buf")
	}
	for _, a := range args {
		if len(a) > 0 {
			assert.True(t, aliases(buf, a), "arg %q must alias buf", a)
		}
	}
}

// aliases reports whether a lies inside buf's memory.
func aliases(buf, a []byte) bool {
	for i := range buf {
		if &buf[i] == &a[0] {
			return true
		}
	}
	return false
}

func TestParseCommandMultibulk(t *testing.T) {
	for _, c := range multibulkCases {
		t.Run(c.name, func(t *testing.T) { runCmdCase(t, c) })
	}
}

func TestParseCommandInline(t *testing.T) {
	for _, c := range inlineCases {
		t.Run(c.name, func(t *testing.T) { runCmdCase(t, c) })
	}
}

// Every proper prefix of a complete request is incomplete.
func TestParseCommandEveryPrefixIncomplete(t *testing.T) {
	for _, cases := range [][]cmdCase{multibulkCases, inlineCases} {
		for _, c := range cases {
			if c.err != "" || c.want == nil || c.n != len(c.in) || len(c.in) > 1024 {
				continue
			}
			t.Run(c.name, func(t *testing.T) {
				for i := 0; i < len(c.in); i++ {
					args, n, err := ParseCommand([]byte(c.in[:i]), nil, c.lim)
					require.NoError(t, err, "prefix %d", i)
					require.Zero(t, n, "prefix %d", i)
					require.Empty(t, args, "prefix %d", i)
				}
			})
		}
	}
}

func TestParseCommandEmptyBuffer(t *testing.T) {
	args, n, err := ParseCommand(nil, nil, nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, args)
}

func TestParseCommandReusesArgs(t *testing.T) {
	args := make([][]byte, 0, 8)
	args = append(args, []byte("stale"))
	out, n, err := ParseCommand([]byte("*1\r\n$1\r\na\r\n"), args, nil)
	require.NoError(t, err)
	require.Equal(t, 11, n)
	require.Equal(t, [][]byte{[]byte("a")}, out)
	assert.Same(t, &args[:1][0], &out[0], "args' backing array is reused")
}

func TestParseCommandArgsCannotClobberBuf(t *testing.T) {
	buf := []byte("*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	args, _, err := ParseCommand(buf, nil, nil)
	require.NoError(t, err)
	_ = append(args[0], 'X', 'Y', 'Z')
	assert.Equal(t, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", string(buf))
}

func TestParseCommandInlineDecodesInPlaceWithinToken(t *testing.T) {
	buf := []byte(`SET "k\x41" 'v' plain` + "\r\nNEXT\r\n")
	args, n, err := ParseCommand(buf, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 23, n)
	assert.Equal(t, [][]byte{[]byte("SET"), []byte("kA"), []byte("v"), []byte("plain")}, args)
	assert.Equal(t, "NEXT\r\n", string(buf[n:]))
	assert.True(t, bytes.HasPrefix(buf, []byte("SET kA")), "decoded text sits at the start of its token: %q", buf)
}

func TestParseCommandNoAllocs(t *testing.T) {
	multi := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	inline := []byte("SET key \"va\\x6cue\"\r\n")
	args := make([][]byte, 0, 8)
	for _, src := range [][]byte{multi, inline} {
		buf := make([]byte, len(src))
		allocs := testing.AllocsPerRun(100, func() {
			copy(buf, src) // inline decoding rewrites buf
			var err error
			args, _, err = ParseCommand(buf, args, nil)
			if err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%q", src)
	}
}

func TestLimitsEffective(t *testing.T) {
	assert.Equal(t, DefaultLimits, (*Limits)(nil).effective())
	assert.Equal(t, DefaultLimits, (&Limits{}).effective())
	assert.Equal(t, Limits{MaxBulkLen: 7, MaxInlineLen: DefaultLimits.MaxInlineLen, MaxMultibulk: DefaultLimits.MaxMultibulk},
		(&Limits{MaxBulkLen: 7, MaxMultibulk: -1}).effective())
}
