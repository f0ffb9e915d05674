package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each pair of nextLines passes when the second line follows the first
// (another node's line between them does not count) and fails when
// another line of the incarnation comes first.
func TestNextLines(t *testing.T) {
	other := line(5, "Calling fsync() on the AOF file.")
	other.Node = "n2"
	good := []LogLine{
		line(5, logSavePoint, 1, 60), other, line(5, logSaveStarted, 7),
		line(6, logFinalSave), line(6, logDBSaved), line(6, logReadyToExit),
		line(7, logFinalSave), line(7, logSaveWriteError+"injected"), line(7, "Error trying to save the DB, can't exit."),
	}
	assert.Empty(t, checkNextLines(good))
	for _, tc := range []struct {
		cut  []LogLine
		want string
	}{
		{[]LogLine{good[0], good[1]}, ""},
		{[]LogLine{good[0], line(5, "Background saving terminated with success")}, `right after a line "%d changes in %d seconds. Saving..."`},
		{[]LogLine{good[6], good[8]}, `right after a line "Saving the final RDB snapshot before exiting."`},
	} {
		v := checkNextLines(tc.cut)
		if tc.want == "" {
			assert.Empty(t, v)
			continue
		}
		require.Len(t, v, 1)
		assert.Contains(t, v[0].Detail, tc.want)
	}
}
