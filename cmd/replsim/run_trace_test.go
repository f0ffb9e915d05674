package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --trace FILE writes the trace there, without trailing spaces; --trace -
// (and the old bare --trace) writes it to stderr; stdout holds the verdict
// alone either way.
func TestRunTraceGoesToAFileOrStderr(t *testing.T) {
	_, plain, _ := replsimCLI("run", "--seed", "3", "--ops", "200")
	file := filepath.Join(t.TempDir(), "trace.txt")
	code, out, _ := replsimCLI("run", "--seed", "3", "--ops", "200", "--trace", file)
	require.Equal(t, 0, code)
	assert.Equal(t, plain, out, "the verdict stays alone on stdout")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Greater(t, len(lines), 100)
	for _, l := range lines {
		require.False(t, strings.HasSuffix(l, " "), "trailing space in %q", l)
		require.Regexp(t, `^\d+\.\d{6} \S`, l)
	}
	assert.Contains(t, string(data), " -> n1 GET k")

	for _, args := range [][]string{{"--trace", "-"}, {"--trace"}, {"--trace", "--ops", "200"}} {
		code, out, errOut := replsimCLI(append([]string{"run", "--seed", "3", "--ops", "200"}, args...)...)
		require.Equal(t, 0, code, "%v", args)
		assert.Equal(t, plain, out, "%v", args)
		assert.Equal(t, string(data), errOut, "%v: the trace on stderr", args)
	}

	code, _, errOut := replsimCLI("run", "--seed", "3", "--ops", "200", "--trace", filepath.Join(t.TempDir(), "no", "such", "dir"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "run: --trace:")
}
