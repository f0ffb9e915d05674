package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShutdownSaveAnnounced(t *testing.T) {
	other := line(5, "Calling fsync() on the AOF file.")
	other.Node = "n2"
	good := []LogLine{line(5, "User requested shutdown..."), line(5, logFinalSave), other, line(5, logDBSaved), line(5, logReadyToExit)}
	assert.Empty(t, checkShutdownSave(good))
	// A SAVE's own line, then an exit without a save, is no final save.
	assert.Empty(t, checkShutdownSave([]LogLine{line(4, logDBSaved), line(5, "User requested shutdown..."), line(5, logReadyToExit)}))
	cut := []LogLine{good[0], good[2], good[3], good[4]}
	v := checkShutdownSave(cut)
	if assert.Len(t, v, 1) {
		assert.Contains(t, fmt.Sprint(v), `"DB saved on disk" then "Redis is now ready to exit, bye bye...", after "User requested shutdown...": finishShutdown logs "Saving the final RDB snapshot before exiting." before its save`)
	}
}
