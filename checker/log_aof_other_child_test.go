package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnabledOtherChild(t *testing.T) {
	saving := []LogLine{line(1, logSaveStarted, 7), line(2, logEnabledOtherChild)}
	assert.Empty(t, checkEnabledOtherChild(saving))
	v := checkEnabledOtherChild([]LogLine{line(1, logSaveStarted, 7), line(2, logSaveDone), line(3, logEnabledOtherChild)})
	require.Len(t, v, 1, "the save was reaped (mutant aof_start.go:14:28 schedules with no child)")
	assert.Contains(t, v[0].Detail, "with no RDB save or diskless transfer running")
	restarted := line(2, logEnabledOtherChild)
	restarted.Gen = 1
	require.Len(t, checkEnabledOtherChild([]LogLine{line(1, logSaveStarted, 7), restarted}), 1, "a new incarnation has no child")
}
