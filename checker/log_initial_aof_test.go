package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInitialAOFShutdowns: "Writing initial AOF" needs an AOF waiting for
// its first rewrite; a shutdown that kills the rewrite of a waiting AOF
// says first that it exits anyway.
func TestInitialAOFShutdowns(t *testing.T) {
	at := func(sec int64, msg string) LogLine { return LogLine{Node: "n1", At: sec * 1e9, Msg: msg, Format: msg} }
	tempIncr := LogLine{Node: "n1", At: 2e9, Format: logAOFCreatedOnRW, Args: []string{"temp-appendonly.aof.2.incr.aof"},
		Msg: "Creating AOF incr file temp-appendonly.aof.2.incr.aof on background rewrite"}
	plainIncr := tempIncr
	plainIncr.Args = []string{"appendonly.aof.2.incr.aof"}
	on := []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{AppendOnly: true}}}

	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{tempIncr, at(3, logWritingInitialAOF)}, on))
	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{tempIncr, at(3, logWritingInitialAOFForced), at(3, logKillAOF)}, on))
	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{plainIncr, at(3, logKillAOF)}, on), "a plain rewrite is killed")
	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{tempIncr, at(3, logAOFRWFinished), at(4, logKillAOF)}, on), "the wait ended")

	v := checkInitialAOFShutdowns([]LogLine{plainIncr, at(3, logWritingInitialAOF)}, on)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "the AOF does not wait for the rewrite that turns it on")
	v = checkInitialAOFShutdowns([]LogLine{tempIncr, at(3, logKillAOF)}, on)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "Redis refuses to exit then")
	off := append(append([]SettingsChange{}, on...), SettingsChange{Node: "n1", At: 25e8})
	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{tempIncr, at(3, logKillAOF)}, off), "appendonly no since the wait began")
	restarted := at(3, logKillAOF)
	restarted.Gen = 1
	assert.Empty(t, checkInitialAOFShutdowns([]LogLine{tempIncr, restarted}, on), "another incarnation")
}
