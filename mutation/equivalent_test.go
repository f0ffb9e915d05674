package mutation

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEquivalent(t *testing.T) {
	eq, err := ParseEquivalent(strings.NewReader("# c\n\nnode/a.go:3:4:eq-ne  both sides are equal here\nnode/b.go:1:1:remove\twhy\n"))
	require.NoError(t, err)
	assert.Equal(t, EquivalentList{"node/a.go:3:4:eq-ne": "both sides are equal here", "node/b.go:1:1:remove": "why"}, eq)

	for name, in := range map[string]string{
		"no reason": "node/a.go:3:4:eq-ne\n",
		"not an ID": "node/a.go:3 why\n",
		"twice":     "node/a.go:3:4:eq-ne a\nnode/a.go:3:4:eq-ne b\n",
	} {
		_, err := ParseEquivalent(strings.NewReader(in))
		assert.Error(t, err, name)
	}
}

func TestStaleEntries(t *testing.T) {
	eq := EquivalentList{"node/a.go:3:4:eq-ne": "r", "node/a.go:9:9:remove": "r", "node/b.go:1:1:inc": "r"}
	ms := []Mutant{{File: "node/a.go", Line: 3, Col: 4, Op: "eq-ne"}}
	assert.Equal(t, []string{"node/a.go:9:9:remove"}, eq.Stale([]string{"node/a.go"}, ms),
		"only entries about the files enumerated can be judged stale")
}

func TestCheckedInEquivalentListParses(t *testing.T) {
	f, err := os.Open("equivalent.txt")
	require.NoError(t, err)
	defer f.Close()
	eq, err := ParseEquivalent(f)
	require.NoError(t, err)
	files, err := SourceFiles("..", nil)
	require.NoError(t, err)
	all, err := EnumerateFiles("..", files, nil)
	require.NoError(t, err)
	assert.Empty(t, eq.Stale(files, all.Mutants), "entries whose mutant no longer exists")
}
