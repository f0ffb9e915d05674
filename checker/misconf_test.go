package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

// The RDB MISCONF refusal needs a failed background save in force at some
// instant of the call, in the incarnation that answered.
func TestMisconfNeedsFailedSave(t *testing.T) {
	refused := func(call, ret int64) []Op {
		op := set(5, "k1", "x", call*1e9, ret*1e9)
		op.Err = rdbMisconf + ", but it's currently unable to persist to disk."
		return []Op{op}
	}
	failed, saved := line(10, logSaveError), line(20, logDBSaved)
	assert.Empty(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), failed, saved}, nil))
	assert.Empty(t, CheckMisconf(refused(19, 21), []LogLine{line(0, "Server initialized"), failed, saved}, nil), "the save succeeded during the call")
	v := CheckMisconf(refused(22, 23), []LogLine{line(0, "Server initialized"), failed, saved}, nil)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "Redis refuses writes only while lastbgsave_status is err")
	require.Len(t, CheckMisconf(refused(5, 6), []LogLine{line(0, "Server initialized")}, nil), 1, "no failure in this process")
	killed := line(10, logSaveBySignal, 10)
	require.Len(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), killed}, nil), 1, "SIGUSR1 leaves the status alone")
	restarted := line(11, "Server initialized")
	restarted.Gen = 1
	require.Len(t, CheckMisconf(refused(12, 13), []LogLine{line(0, "Server initialized"), failed, restarted}, nil), 1, "a new process starts with ok")
}

// Without save points Redis takes writes whatever the last background
// save did (mutant persist.go:132:54: len(n.cfg.Save) > -1).
func TestMisconfNeedsSavePoints(t *testing.T) {
	op := set(5, "k1", "x", 12e9, 13e9)
	op.Err = rdbMisconf + ", but it's currently unable to persist to disk."
	op.Node = "n1"
	lines := []LogLine{line(0, "Server initialized"), line(10, logSaveError)}
	saving := []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{SaveRules: true}}}
	assert.Empty(t, CheckMisconf([]Op{op}, lines, saving))
	off := append(saving, SettingsChange{At: 11e9, Node: "n1"})
	v := CheckMisconf([]Op{op}, lines, off)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "no save points throughout the call")
	late := append(saving, SettingsChange{At: 12.5e9, Node: "n1"})
	assert.Empty(t, CheckMisconf([]Op{op}, lines, late), "save points in force at the call's start")
}

// A write taken while the last background save had failed, with save
// points and stop-writes-on-bgsave-error yes throughout, is a violation
// (mutant persist.go:136:54: len(n.cfg.Save) > 1 takes it with one save
// point).
func TestMisconfTaken(t *testing.T) {
	taken := func(call, ret int64) []Op {
		op := set(5, "k1", "x", call*1e9, ret*1e9)
		op.Node = "n1"
		return []Op{op}
	}
	lines := []LogLine{line(0, "Server initialized"), line(10, logSaveError), line(20, logDBSaved)}
	strict := tap.Settings{SaveRules: true, StopWritesOnBgsaveErr: true}
	settings := []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: strict}}

	v := CheckMisconfTaken(taken(12, 13), lines, settings)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "writeCommandsDeniedByDiskError")
	assert.Empty(t, CheckMisconfTaken(taken(5, 6), lines, settings), "before the failure")
	assert.Empty(t, CheckMisconfTaken(taken(19, 21), lines, settings), "a save succeeded during the call")
	assert.Empty(t, CheckMisconfTaken(taken(22, 23), lines, settings), "after the save")
	lenient := []SettingsChange{{At: 0, Node: "n1", Start: true, Settings: tap.Settings{SaveRules: true}}}
	assert.Empty(t, CheckMisconfTaken(taken(12, 13), lines, lenient), "stop-writes-on-bgsave-error no")
	restarted := append(settings, SettingsChange{At: 11e9, Node: "n1", Start: true, Settings: strict})
	assert.Empty(t, CheckMisconfTaken(taken(12, 13), lines, restarted), "a process that started since, logging nothing yet")
	read := taken(12, 13)
	read[0].Kind = OpGet
	assert.Empty(t, CheckMisconfTaken(read, lines, settings), "a read")
}
