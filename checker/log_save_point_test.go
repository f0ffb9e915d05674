package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSavePointTiming(t *testing.T) {
	saved := line(10, logSaveDone)
	assert.Empty(t, checkSavePointTiming([]LogLine{line(2, logSavePoint, 1, 1), saved, line(13, logSavePoint, 1, 2)}),
		"before any save the start is unknown; 3 s after one a 2 s point may fire")
	v := checkSavePointTiming([]LogLine{saved, line(12, logSavePoint, 1, 2)})
	require.Len(t, v, 1, "2 s after the save: not more than 2 (mutant persist.go:96:34, now + lastsave)")
	assert.Contains(t, v[0].Detail, "2 s after its last successful save")
	restarted := line(12, logSavePoint, 1, 2)
	restarted.Proc = 1
	assert.Empty(t, checkSavePointTiming([]LogLine{saved, restarted}), "another process")
}
