package node

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

func TestGlobMatchEdgeCases(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*", "", false}, {"**", "", false}, {"", "", true}, // Redis: an empty string matches only "" {"", "a", false}, {"?", "", false}, {"a*", "a", true},
		{"*a", "ba", true}, {"a?c", "abc", true}, {"[abc]", "b", true}, {"[^abc]", "b", false},
		{"[a-c]", "b", true}, {"[c-a]", "b", true}, {`[\]]`, "]", true}, {`\*`, "*", true},
		{`\*`, "a", false}, {`a\`, `a\`, true}, {"[", "[", false}, {"[a", "a", true}, {"[a-", "a", true},
		{"[^", "x", true}, {"a[", "a", false}, {"**b", "ab", true}, {"a*", "", false},
		{"*[", "x", false}, {"h[^e]llo", "hallo", true}, {"h[^e]llo", "hello", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, globMatch([]byte(c.pat), []byte(c.s)), "%q ~ %q", c.pat, c.s)
	}
}

// globToRegexp translates a well-formed pattern over [a-c*?] with simple
// classes into an anchored regexp.
func globToRegexp(p string) *regexp.Regexp {
	var sb strings.Builder
	sb.WriteString(`^`)
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			sb.WriteString(`.*`)
		case '?':
			sb.WriteString(`.`)
		case '[':
			end := strings.IndexByte(p[i:], ']')
			class := p[i+1 : i+end]
			if strings.HasPrefix(class, "^") {
				sb.WriteString("[^" + class[1:] + "]")
			} else {
				sb.WriteString("[" + class + "]")
			}
			i += end
		default:
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	sb.WriteString(`$`)
	return regexp.MustCompile("(?s)" + sb.String())
}

// TestGlobMatchesReference compares globMatch with a regexp translation
// on well-formed patterns.
func TestGlobMatchesReference(t *testing.T) {
	atom := rapid.OneOf(
		rapid.SampledFrom([]string{"a", "b", "c", "*", "?", "[ab]", "[^a]", "[a-b]"}),
	)
	rapid.Check(t, func(rt *rapid.T) {
		pat := strings.Join(rapid.SliceOfN(atom, 0, 8).Draw(rt, "pattern"), "")
		s := rapid.StringOfN(rapid.RuneFrom([]rune("abc")), 0, 10, -1).Draw(rt, "s")
		want := globToRegexp(pat).MatchString(s)
		if s == "" {
			want = pat == "" // stringmatchlen's quirk: "" matches no other pattern
		}
		if got := globMatch([]byte(pat), []byte(s)); got != want {
			rt.Fatalf("globMatch(%q, %q) = %v, reference says %v", pat, s, got, want)
		}
	})
}

// TestGlobNoBlowup: the skip-longer-matches rule keeps pathological
// patterns linear-ish.
func TestGlobNoBlowup(t *testing.T) {
	pat := []byte(strings.Repeat("a*", 30) + "b")
	s := []byte(strings.Repeat("a", 200))
	assert.False(t, globMatch(pat, s))
}

func BenchmarkGlobMatch(b *testing.B) {
	b.ReportAllocs()
	pat, s := []byte("user:*:session[0-9]?"), []byte("user:12345:session7x")
	for b.Loop() {
		globMatch(pat, s)
	}
}
