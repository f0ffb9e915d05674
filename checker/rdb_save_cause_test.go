package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRDBSaveCauses: a save in the process needs SAVE, DEBUG RELOAD, a
// final save, or a FLUSHALL with save points (a client's, the
// operator's, an AOF's at a start, or a replica's stream); a FLUSHALL
// without save points explains nothing.
func TestRDBSaveCauses(t *testing.T) {
	line := func(proc int, at int64, msg string) LogLine {
		return LogLine{Node: "n1", Proc: proc, At: at, Msg: msg, Format: msg}
	}
	set := func(rules, replica bool) []SettingsChange {
		return []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{SaveRules: rules, Replica: replica}}}
	}
	before := line(1, 1e9, "Server started")
	saved := line(1, 5e9, logDBSaved)
	flush := Op{Node: "n1", Kind: OpFlush, Mode: "ALL", Call: 4e9, Return: 6e9}
	run := func(in RDBSaveCauseInput) []Violation {
		in.Lines = append([]LogLine{before}, in.Lines...)
		return CheckRDBSaveCauses(in)
	}
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Ops: []Op{flush}, Settings: set(true, false)}))
	v := run(RDBSaveCauseInput{Lines: []LogLine{saved}, Ops: []Op{flush}, Settings: set(false, false)})
	require.Len(t, v, 1, "a FLUSHALL without save points")
	assert.Contains(t, v[0].Detail, "with no cause")
	assert.Len(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Settings: set(true, false)}), 1, "no command at all")

	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Settings: set(false, false),
		Ops: []Op{{Node: "n1", Kind: OpRead, Args: []string{"SAVE"}, Call: 4e9, Return: 6e9}}}))
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Settings: set(false, false),
		Operator: []OperatorCall{{Node: "n1", At: 5e9, Args: []string{"SAVE"}}}}))
	assert.Len(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Settings: set(false, false),
		Operator: []OperatorCall{{Node: "n1", At: 5e9, Args: []string{"FLUSHALL"}}}}), 1)
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{line(1, 5e9, logFinalSave), saved}, Settings: set(false, false)}))
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved, line(1, 5e9, logDebugReloaded)}, Settings: set(false, false)}))
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved}, Settings: set(true, true)}), "a replica's stream")
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{saved, line(1, 5e9, logAOFLoaded)}, Settings: set(true, false)}), "an AOF load")
	assert.Empty(t, run(RDBSaveCauseInput{Lines: []LogLine{line(2, 5e9, logDBSaved), line(2, 5e9, logAOFLoaded)}}), "a start's load")
	child := []LogLine{saved, line(1, 5e9, logSaveDone)}
	child[1].Format = logSaveDone
	assert.Empty(t, run(RDBSaveCauseInput{Lines: child, Settings: set(false, false)}), "a BGSAVE child's")
}

// A node that saved for a FLUSHALL and exited in the same instant (its
// AOF write failed under always) was up with its save points when it
// saved: the going-down recorded then is not in force yet (fresh seed
// 6057240).
func TestRDBSaveCauseBeforeAnExitInTheSameInstant(t *testing.T) {
	before := LogLine{Node: "n1", Proc: 1, At: 1e9, Msg: "Server started", Format: "Server started"}
	saved := LogLine{Node: "n1", Proc: 1, At: 5e9, Msg: logDBSaved, Format: logDBSaved}
	flush := Op{Node: "n1", Kind: OpFlush, Mode: "ALL", Call: 4e9, Unknown: true}
	settings := []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{SaveRules: true}}, {Node: "n1", At: 5e9, Down: true}}
	assert.Empty(t, CheckRDBSaveCauses(RDBSaveCauseInput{Lines: []LogLine{before, saved}, Ops: []Op{flush}, Settings: settings}))
	settings[0].SaveRules = false
	assert.Len(t, CheckRDBSaveCauses(RDBSaveCauseInput{Lines: []LogLine{before, saved}, Ops: []Op{flush}, Settings: settings}), 1)
}
