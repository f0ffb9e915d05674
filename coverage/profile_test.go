package coverage

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTextFmtMergesAndSorts(t *testing.T) {
	in := `mode: set
m/node/b.go:3.1,4.2 2 0
m/node/a.go:10.5,12.2 3 1
m/node/b.go:3.1,4.2 2 1
m/node/a.go:1.1,2.2 1 0
`
	blocks, err := ParseTextFmt(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []Block{
		{File: "m/node/a.go", StartLine: 1, StartCol: 1, EndLine: 2, EndCol: 2, Stmts: 1, Count: 0},
		{File: "m/node/a.go", StartLine: 10, StartCol: 5, EndLine: 12, EndCol: 2, Stmts: 3, Count: 1},
		{File: "m/node/b.go", StartLine: 3, StartCol: 1, EndLine: 4, EndCol: 2, Stmts: 2, Count: 1},
	}, blocks)
}

func TestParseTextFmtRejectsBadLines(t *testing.T) {
	for _, line := range []string{
		"no colon here",
		"f.go:1.1,2.2 1",
		"f.go:1.1-2.2 1 1",
		"f.go:x.1,2.2 1 1",
		"f.go:1.1,2.2 -1 1",
		"f.go:1.1,2.2 1 many",
	} {
		_, err := ParseTextFmt(strings.NewReader("mode: set\n" + line + "\n"))
		assert.Error(t, err, line)
	}
}
