package coverage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseUnreachable(t *testing.T) {
	in := `# comment

node/a.go   whole file, because
node/b.go:F	a function
node/b.go:T.M a method
`
	list, err := ParseUnreachable(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []Exclusion{
		{File: "node/a.go", Reason: "whole file, because"},
		{File: "node/b.go", Func: "F", Reason: "a function"},
		{File: "node/b.go", Func: "T.M", Reason: "a method"},
	}, list)
	assert.Equal(t, "node/b.go:T.M", list[2].String())
}

func TestParseUnreachableRejects(t *testing.T) {
	for name, in := range map[string]string{
		"no reason": "node/a.go\n",
		"blank":     "node/a.go:F   \n",
		"not go":    "node/a.txt why\n",
		"twice":     "node/a.go why\nnode/a.go again\n",
	} {
		_, err := ParseUnreachable(strings.NewReader(in))
		assert.Error(t, err, name)
	}
}

const sampleSrc = `package p

func F() {
	_ = 1
}

type T struct{}

func (t *T) M() {
	_ = 2
	_ = 3
}

func (T) N() {}
`

func TestResolveFindsFunctionsAndMethods(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "node"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "node", "p.go"), []byte(sampleSrc), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "node", "q.go"), []byte("package p\n"), 0o644))

	x, err := Resolve(root, []Exclusion{
		{File: "node/p.go", Func: "F", Reason: "r"},
		{File: "node/p.go", Func: "T.M", Reason: "r"},
		{File: "node/p.go", Func: "T.N", Reason: "r"},
		{File: "node/q.go", Reason: "r"},
	})
	require.NoError(t, err)
	assert.Equal(t, Excluded{"node/p.go": {{3, 5}, {9, 12}, {14, 14}}, "node/q.go": nil}, x)
	assert.True(t, x.contains("node/p.go", Block{StartLine: 10, EndLine: 11}))
	assert.False(t, x.contains("node/p.go", Block{StartLine: 7, EndLine: 7}))
	assert.True(t, x.contains("node/q.go", Block{StartLine: 1, EndLine: 1}))
	assert.False(t, x.contains("node/r.go", Block{StartLine: 1, EndLine: 1}))

	_, err = Resolve(root, []Exclusion{{File: "node/p.go", Func: "M", Reason: "r"}})
	assert.ErrorContains(t, err, "no function M", "a method needs its type")
	_, err = Resolve(root, []Exclusion{{File: "node/p.go", Func: "T.F", Reason: "r"}})
	assert.ErrorContains(t, err, "no function T.F")
	_, err = Resolve(root, []Exclusion{{File: "node/gone.go", Reason: "r"}})
	assert.Error(t, err)
}

// The checked-in list must name files and functions that exist, so it
// cannot silently outlive the code it excuses.
func TestCheckedInListResolves(t *testing.T) {
	f, err := os.Open("unreachable.txt")
	require.NoError(t, err)
	defer f.Close()
	list, err := ParseUnreachable(f)
	require.NoError(t, err)
	require.NotEmpty(t, list)
	x, err := Resolve("..", list)
	require.NoError(t, err)
	for file := range x {
		assert.True(t, strings.HasPrefix(file, "node/"), "%s: the list is about node/", file)
	}
}
