package mutation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/coverage"
)

func TestSourceFilesSkipsTestsAndHelpers(t *testing.T) {
	all, err := SourceFiles("..", nil)
	require.NoError(t, err)
	assert.Contains(t, all, "node/repl.go")
	assert.Contains(t, all, "node/rdb/parse.go")
	for _, f := range all {
		assert.NotContains(t, f, "_test.go")
		assert.NotContains(t, f, "nodetest/")
		assert.NotContains(t, f, "testdata/")
	}
}

func TestSourceFilesGlobs(t *testing.T) {
	got, err := SourceFiles("..", []string{"repl_[mr]*.go", "node/cmd_expire.go", "rdb/aux.go"})
	require.NoError(t, err)
	assert.Equal(t, []string{"node/cmd_expire.go", "node/rdb/aux.go", "node/repl_master.go", "node/repl_replica.go"}, got)

	_, err = SourceFiles("..", []string{"repl*.go", "nosuch*.go"})
	assert.ErrorContains(t, err, `"nosuch*.go" matches no file`)
	_, err = SourceFiles("..", []string{"[.go"})
	assert.Error(t, err)
}

func TestEnumerateFilesDropsUnreachableCode(t *testing.T) {
	files := []string{"node/cmd_expire.go"}
	all, err := EnumerateFiles("..", files, nil)
	require.NoError(t, err)
	require.NotEmpty(t, all.Mutants)
	first := all.Mutants[0].Line
	some, err := EnumerateFiles("..", files, coverage.Excluded{"node/cmd_expire.go": {{From: first, To: first}}})
	require.NoError(t, err)
	assert.Positive(t, some.Unreachable)
	assert.Equal(t, len(all.Mutants), len(some.Mutants)+some.Unreachable)
	for _, m := range some.Mutants {
		assert.NotEqual(t, first, m.Line)
	}
	assert.NotEmpty(t, some.Sources["node/cmd_expire.go"])
}

func TestSampleOrderIsSeededAndStable(t *testing.T) {
	ms := []Mutant{{File: "a", Line: 1, Op: "x"}, {File: "a", Line: 2, Op: "x"}, {File: "a", Line: 3, Op: "x"},
		{File: "b", Line: 1, Op: "x"}, {File: "b", Line: 2, Op: "x"}, {File: "b", Line: 3, Op: "x"}}
	one := SampleOrder(ms, 1)
	assert.Equal(t, one, SampleOrder(ms, 1))
	assert.ElementsMatch(t, ms, one)
	assert.NotEqual(t, one, SampleOrder(ms, 2))
	// Dropping mutants keeps the others' relative order.
	var without []Mutant
	for _, m := range one {
		if m.File != "b" {
			without = append(without, m)
		}
	}
	assert.Equal(t, without, SampleOrder(ms[:3], 1))
}
