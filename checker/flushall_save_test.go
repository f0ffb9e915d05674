package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlushallSavesWithSavePoints: a FLUSHALL answered while save points
// were set logs its save (or the save's failure) between its call and its
// reply; a BGSAVE child's "DB saved on disk" does not count, and a node
// without save points, or whose save points changed during the call, is
// not judged.
func TestFlushallSavesWithSavePoints(t *testing.T) {
	flush := []NodeCall{{Node: "n1", Call: 20 * cjSec, Return: 30 * cjSec}}
	saving := []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{SaveRules: true}}}
	run := func(settings []SettingsChange, lines ...LogLine) []Violation {
		return CheckChildJobs(ChildJobsInput{Lines: lines, Flushes: flush, Settings: settings})
	}
	saved := cjLine("n1", 0, 25, logDBSaved)
	assert.Empty(t, run(saving, saved))
	failed := cjLine("n1", 0, 25, logSaveOpenError)
	failed.Msg = "Failed opening the temp RDB file temp-3.rdb (in server root dir /data) for saving: Input/output error"
	assert.Empty(t, run(saving, failed), "the save failed")

	v := run(saving)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "with save points set, but logged no save of the emptied dataset")
	child := []LogLine{cjLine("n1", 0, 25, logDBSaved), cjLine("n1", 0, 25, logSaveDone)}
	child[1].Format = logSaveDone
	assert.Len(t, run(saving, child...), 1, "a BGSAVE child's save is not the FLUSHALL's")
	assert.Len(t, run(saving, cjLine("n1", 0, 35, logDBSaved)), 1, "a save after the reply")

	assert.Empty(t, run(nil))
	assert.Empty(t, run([]SettingsChange{{Node: "n1", Start: true}}), "no save points")
	changed := append([]SettingsChange{}, saving...)
	changed = append(changed, SettingsChange{Node: "n1", At: 25 * cjSec})
	assert.Empty(t, run(changed), "the save points changed during the call")
}
