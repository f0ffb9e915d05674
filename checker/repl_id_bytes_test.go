package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idSamples makes n samples, each with a new ID of 20 bytes that vary at
// every position; fixed, when >= 0, is a byte position left at 00.
func idSamples(n, fixed int) []ReplIDSample {
	var out []ReplIDSample
	for i := 0; i < n; i++ {
		id := ""
		for pos := 0; pos < 20; pos++ {
			b := byte(i*37 + pos*11 + 1)
			if pos == fixed {
				b = 0
			}
			id += fmt.Sprintf("%02x", b)
		}
		out = append(out, ReplIDSample{Node: "n1", At: int64(i), ID: id, ID2: zeroReplID})
	}
	return out
}

func TestReplIDBytesRandom(t *testing.T) {
	assert.Empty(t, CheckReplIDBytes(idSamples(12, -1)))
}

func TestReplIDBytesTooFewToJudge(t *testing.T) {
	assert.Empty(t, CheckReplIDBytes(idSamples(minIDsForBytes-1, 7)))
}

func TestReplIDBytesOneByteNeverDrawn(t *testing.T) {
	vs := CheckReplIDBytes(idSamples(minIDsForBytes, 7))
	require.Len(t, vs, 1)
	assert.Equal(t, "repl_ids", vs[0].Check)
	assert.Contains(t, vs[0].Detail, "byte 7 is 00")
}

// A sample repeats IDs (a node reads the same ones each second): only
// distinct ones count.
func TestReplIDBytesRepeatsCountOnce(t *testing.T) {
	s := idSamples(minIDsForBytes-1, 3)
	s = append(s, s...)
	assert.Empty(t, CheckReplIDBytes(s))
}
