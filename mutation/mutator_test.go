package mutation

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tiny = `package p

func f(a, b int) int {
	if a == b && a < 3 {
		g()
	}
	a = a + b
	return a - 1
}
`

// mutantAt finds the one mutant of src with the given ID.
func mutantAt(t *testing.T, src, id string) Mutant {
	t.Helper()
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	for _, m := range ms {
		if m.ID() == id {
			return m
		}
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID())
	}
	require.Failf(t, "no mutant", "%s not among %v", id, ids)
	return Mutant{}
}

func TestEachOperatorMutatesAsExpected(t *testing.T) {
	for _, tc := range []struct{ id, desc, want string }{
		{"p.go:4:7:eq-ne", "== -> != in a == b", "\tif a != b && a < 3 {\n"},
		{"p.go:4:12:and-or", "&& -> || in a == b && a < 3", "\tif a == b || a < 3 {\n"},
		{"p.go:4:17:lt-le", "< -> <= in a < 3", "\tif a == b && a <= 3 {\n"},
		{"p.go:4:19:inc", "3 -> 4 in a < 3", "\tif a == b && a < 4 {\n"},
		{"p.go:4:19:dec", "3 -> 2 in a < 3", "\tif a == b && a < 2 {\n"},
		{"p.go:4:5:negate", "negate: if a == b && a < 3", "\tif !(a == b && a < 3) {\n"},
		{"p.go:5:3:remove", "remove call: g()", "\t\t\n"},
		{"p.go:7:8:add-sub", "+ -> - in a + b", "\ta = a - b\n"},
		{"p.go:7:2:remove", "remove assignment: a = a + b", "\t\n"},
		{"p.go:8:11:sub-add", "- -> + in a - 1", "\treturn a + 1\n"},
	} {
		m := mutantAt(t, tiny, tc.id)
		assert.Equal(t, tc.desc, m.Desc, tc.id)
		line := strings.Split(tiny, "\n")[m.Line-1] + "\n"
		assert.Equal(t, strings.Replace(tiny, line, tc.want, 1), string(m.Apply([]byte(tiny))), tc.id)
	}
}

func TestMoreOperators(t *testing.T) {
	src := "package p\n\nfunc f(a int) bool { return a > 0 || a >= 2 || a <= 1 || a != 0 }\n"
	for id, want := range map[string]string{
		"p.go:3:31:gt-ge":  "a >= 0 ||",
		"p.go:3:33:dec":    "a > (-1) ||",
		"p.go:3:35:or-and": "a > 0 && a >= 2",
		"p.go:3:40:ge-gt":  "a > 2 ||",
		"p.go:3:50:le-lt":  "a < 1 ||",
		"p.go:3:60:ne-eq":  "a == 0 }",
	} {
		m := mutantAt(t, src, id)
		assert.Contains(t, string(m.Apply([]byte(src))), want, id)
	}
}

func TestRemovedReturns(t *testing.T) {
	src := `package p

func e(ok bool) (int, error) {
	if !ok {
		return 0, errBad
	}
	if ok {
		return 1, nil
	}
	return 2, nil
}

func v(ok bool) {
	if !ok {
		return
	}
	h()
	return
}

func w(ok bool) (int, bool) {
	if ok {
		return 1, true
	}
	return 0, false
}
`
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	var removed []string
	for _, m := range ms {
		if m.Op == "remove" {
			removed = append(removed, m.ID()+" "+m.Desc)
		}
	}
	assert.Equal(t, []string{
		"p.go:5:3:remove remove return: return 0, errBad",
		"p.go:15:3:remove remove return: return",
		"p.go:17:2:remove remove call: h()",
	}, removed, "error returns and early bare returns only")
	assert.Equal(t, strings.Replace(src, "\t\treturn 0, errBad\n", "\t\t\n", 1),
		string(mutantAt(t, src, "p.go:5:3:remove").Apply([]byte(src))))
}

func TestRemovalKeepsLines(t *testing.T) {
	src := "package p\n\nfunc f() {\n\tg(1,\n\t\t2)\n\th()\n}\n"
	m := mutantAt(t, src, "p.go:4:2:remove")
	assert.Equal(t, "package p\n\nfunc f() {\n\t\n\n\th()\n}\n", string(m.Apply([]byte(src))))
}

func TestNoMutantsOfPlantedBugs(t *testing.T) {
	src := `package p

func (n *Node) bug(name string) bool { return n.bugs != nil && n.bugs[name] }

func f(n *Node) {
	if n.bug("x") {
		g()
	}
	if n.bug("y") && n.k == 0 {
		g()
	}
	if !n.bug("z") {
		h()
	} else {
		k()
	}
}
`
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID()+" "+m.Desc)
	}
	assert.Equal(t, []string{
		"p.go:13:3:remove remove call: h()",
		"p.go:15:3:remove remove call: k()",
	}, ids, "bug code is the planted bugs' business; !bug's negation would switch one on")
}

func TestNoMutantsBehindABugGuard(t *testing.T) {
	src := `package p

func (n *Node) bug(name string) bool { return n.bugs != nil && n.bugs[name] }

func late(n *Node) {
	h()
	if !n.bug("x") || n.k == 0 {
		return
	}
	g()
	n.k = 1
}

func early(n *Node) {
	if n.k == 0 && !n.bug("x") {
		return
	}
	g()
}
`
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID()+" "+m.Desc)
	}
	assert.Equal(t, []string{
		"p.go:6:2:remove remove call: h()",
		"p.go:15:5:negate negate: if n.k == 0 && !n.bug(\"x\")",
		"p.go:15:9:eq-ne == -> != in n.k == 0",
		"p.go:15:12:dec 0 -> (-1) in n.k == 0",
		"p.go:15:12:inc 0 -> 1 in n.k == 0",
		"p.go:15:14:and-or && -> || in n.k == 0 && !n.bug(\"x\")",
		"p.go:16:3:remove remove return: return",
		"p.go:18:2:remove remove call: g()",
	}, ids, "after if !bug || ... { return } the code runs only with the bug on; an && guard runs without it")
}

func TestNoMinusForConcatenation(t *testing.T) {
	src := "package p\n\nfunc f(a string, i int) (string, int) { return a + \"x\" + a, i + 1 }\n"
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, "+ -> - in i + 1", ms[0].Desc)
}

func TestEnumerateRejectsBadSource(t *testing.T) {
	_, err := Enumerate("p.go", []byte("package p\nfunc {"))
	assert.Error(t, err)
}

// Over the whole of node/: enumeration is deterministic and sorted, IDs
// are unique, and every mutant still parses and keeps every line in place.
func TestNodeMutantsAreDeterministicAndParse(t *testing.T) {
	files, err := SourceFiles("..", nil)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	seen := map[string]bool{}
	total := 0
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join("..", f))
		require.NoError(t, err)
		ms, err := Enumerate(f, src)
		require.NoError(t, err)
		again, err := Enumerate(f, src)
		require.NoError(t, err)
		require.Equal(t, ms, again, f)
		lines := strings.Count(string(src), "\n")
		for i, m := range ms {
			require.False(t, seen[m.ID()], "duplicate ID %s", m.ID())
			seen[m.ID()] = true
			if i > 0 {
				p := ms[i-1]
				require.True(t, p.Line < m.Line || p.Line == m.Line && (p.Col < m.Col || p.Col == m.Col && p.Op < m.Op), "%s after %s", m.ID(), p.ID())
			}
			out := m.Apply(src)
			require.Equal(t, lines, strings.Count(string(out), "\n"), m.ID())
			_, err := parser.ParseFile(token.NewFileSet(), f, out, parser.SkipObjectResolution)
			require.NoError(t, err, m.ID())
		}
		total += len(ms)
	}
	assert.Greater(t, total, 1000)
}

func TestLogLinesAreNotRemoved(t *testing.T) {
	src := "package p\n\nfunc f(n *N) {\n\tn.env.Logf(\"x %d\", 1)\n\tn.flush()\n}\n"
	ms, err := Enumerate("p.go", []byte(src))
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, "remove call: n.flush()", ms[0].Desc)
}
