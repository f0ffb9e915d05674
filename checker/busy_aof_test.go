package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFFlushSleepDelaysWrites(t *testing.T) {
	const ms = int64(1e6)
	aof := func(at int64, start bool, on bool, fsync string) SettingsChange {
		c := SettingsChange{At: at * ms, Node: "n1", Start: start}
		c.AppendOnly, c.AppendFsync = on, fsync
		return c
	}
	knob := Op{Kind: OpCmd, Node: "n1", Client: 2, Args: []string{"DEBUG", "AOF-FLUSH-SLEEP", "5000"},
		Reply: "OK", Call: 100 * ms, Return: 101 * ms}
	set := func(call, ret int64) Op {
		return Op{Kind: OpSet, Node: "n1", Client: 1, Key: "k", Value: "v", Args: []string{"SET", "k", "v"},
			Call: call * ms, Return: ret * ms}
	}
	in := func(settings []SettingsChange, ops ...Op) BusyInput {
		return BusyInput{Ops: append([]Op{knob}, ops...), Settings: settings}
	}
	always := []SettingsChange{aof(0, true, true, "always")}

	assert.Empty(t, CheckBusy(in(always, set(200, 206))), "5 ms and more")
	// aof_flush_sleep.go:31 mutated (no sleep): answered in 1 ms.
	v := CheckBusy(in(always, set(200, 201)))
	require.Len(t, v, 1, "%v", v)
	assert.Contains(t, v[0].Detail, "client 1's SET k v on n1 was answered 0.001000s after it was sent, under DEBUG AOF-FLUSH-SLEEP 5000")

	assert.Len(t, CheckBusy(in([]SettingsChange{aof(0, true, true, "no")}, set(200, 201))), 1, "appendfsync no sleeps too")
	assert.Empty(t, CheckBusy(in([]SettingsChange{aof(0, true, true, "everysec")}, set(200, 201))),
		"everysec postpones the write (and its sleep) while a background fsync runs")
	assert.Empty(t, CheckBusy(in(always, set(100, 101))), "sent before the sleep was set")
	assert.Empty(t, CheckBusy(in([]SettingsChange{aof(0, true, false, "always"), aof(50, false, true, "always")}, set(200, 201))),
		"the AOF turned on at runtime")
	assert.Empty(t, CheckBusy(in(append(always, aof(150, true, true, "always")), set(200, 201))), "restarted since")
	waiting := in(always, set(200, 201))
	waiting.Lines = []LogLine{{Node: "n1", At: 0, Msg: "Server initialized"},
		{Node: "n1", At: 120 * ms, Format: logEnabledOtherChild, Msg: "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible."}}
	assert.Empty(t, CheckBusy(waiting), "a replica's AOF restarted after a full sync, waiting for its rewrite (gate seed 92330)")
	waiting.Lines = append(waiting.Lines, LogLine{Node: "n1", At: 150 * ms, Format: logAOFRWFinished, Msg: "Background AOF rewrite finished successfully"})
	assert.Len(t, CheckBusy(waiting), 1, "the rewrite done, the AOF is on again")
	failed := set(200, 201)
	failed.Err = "MISCONF Errors writing to the AOF file"
	assert.Empty(t, CheckBusy(in(always, failed)), "a refused write")
	off := knob
	off.Args, off.Call, off.Return, off.Unknown = []string{"DEBUG", "AOF-FLUSH-SLEEP", "0"}, 150*ms, 0, true
	assert.Empty(t, CheckBusy(in(always, off, set(200, 201))), "maybe switched off since")
}
