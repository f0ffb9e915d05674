package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startedRun: n1 starts with the AOF off, and CONFIG SET appendonly yes
// turns it on under everysec at 0.2 s (its clock reads virtual time plus
// 10.5 s: second 10); it fsyncs its AOF at the virtual instants given.
func startedRun(at ...int64) AOFFsyncInput {
	in := AOFFsyncInput{
		Settings: []SettingsChange{
			{Node: "n1", Start: true, Settings: tap.Settings{AppendFsync: "everysec"}},
			{At: 2 * sec / 10, Node: "n1", Settings: tap.Settings{AppendOnly: true, AppendFsync: "everysec"}},
		},
		Clocks: Clocks{"n1": FixedClock(10*sec+sec/2, 0)},
	}
	for _, t := range at {
		in.Syncs = append(in.Syncs, FileSync{At: t, Node: "n1", Path: "appendonlydir/temp-appendonly.aof.incr"})
	}
	return in
}

// The AOF's start sets aof_last_fsync (mutant aof_start.go:31:2 left it
// as an earlier second held it).
func TestStartFsyncInALaterSecond(t *testing.T) {
	assert.Empty(t, CheckStartFsyncSecond(startedRun(6*sec/10)), "second 11")
	v := CheckStartFsyncSecond(startedRun(4 * sec / 10))
	require.Len(t, v, 1, "the corrupted history: a fsync in second 10, the start's")
	assert.Contains(t, v[0].Detail, "in second 10 of its clock, the second CONFIG SET appendonly yes started the AOF in")
	assert.Empty(t, CheckStartFsyncSecond(startedRun(2*sec/10)), "the start's own instant (the stop's fsync may precede it)")

	in := startedRun(4 * sec / 10)
	in.Lines = []LogLine{{Node: "n1", At: 3 * sec / 10, Format: "Background AOF rewrite finished successfully"}}
	assert.Empty(t, CheckStartFsyncSecond(in), "a line about the AOF between")
	in = startedRun(4 * sec / 10)
	in.Settings = append(in.Settings, SettingsChange{At: 2 * sec / 10, Node: "n1", Settings: tap.Settings{AppendOnly: true, AppendFsync: "always"}})
	assert.Empty(t, CheckStartFsyncSecond(in), "appendfsync always in the same instant")
	in = startedRun(4 * sec / 10)
	in.Settings[0].AppendOnly = true
	assert.Empty(t, CheckStartFsyncSecond(in), "the AOF was on already")
}
