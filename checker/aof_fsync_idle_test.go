package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

// An everysec node whose incr AOF stays unsynced through a serverCron in
// a later second of its clock, with nothing that sets aof_last_fsync in
// between, breaks the rule; each thing that may set it, a clock that was
// ahead, a busy node or another policy excuses the run.
func TestCheckEverysecIdleFsync(t *testing.T) {
	const epochMs = int64(1767225600000)
	incr := "appendonlydir/appendonly.aof.2.incr.aof"
	// Runs every 100 ms from 0.05 s; the clock reads the epoch plus
	// virtual time, so runs 10 (1.05 s) and on are in a later second
	// than run 9 (0.95 s). Unsynced from run 5 on.
	crons := func() []CronRun {
		var out []CronRun
		for i := int64(0); i < 15; i++ {
			at := 50*1e6 + i*100*1e6
			out = append(out, CronRun{Node: "n1", At: at, ClockMs: epochMs + at/1e6, AOFPath: incr, AOFUnsynced: i >= 5})
		}
		return out
	}
	everysec := []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{AppendOnly: true, AppendFsync: "everysec"}}}
	in := func() AOFFsyncInput {
		return AOFFsyncInput{Crons: crons(), Settings: everysec,
			Clocks: Clocks{"n1": FixedClock(epochMs*1e6, 0)}}
	}

	v := CheckEverysecIdleFsync(in())
	require.Len(t, v, 1, "one violation per process")
	assert.Equal(t, int64(1050*1e6), v[0].At)
	assert.Contains(t, v[0].Detail, incr)

	for name, change := range map[string]func(*AOFFsyncInput){
		"an fsync in the window": func(in *AOFFsyncInput) {
			in.Syncs = []FileSync{{At: 1000 * 1e6, Node: "n1", Path: incr}}
		},
		"a failed fsync in the window": func(in *AOFFsyncInput) {
			in.Faults = []DiskFault{{At: 1000 * 1e6, Node: "n1", Op: "sync", Path: incr}}
		},
		"a line about the AOF in the window": func(in *AOFFsyncInput) {
			in.Lines = []LogLine{{Node: "n1", At: 1000 * 1e6, Format: logRewriteIncr}}
		},
		"appendfsync always": func(in *AOFFsyncInput) { in.Settings[0].AppendFsync = "always" },
		"the AOF off":        func(in *AOFFsyncInput) { in.Settings[0].AppendOnly = false },
		"a settings change in the window": func(in *AOFFsyncInput) {
			in.Settings = append(in.Settings, SettingsChange{At: 1000 * 1e6, Node: "n1", Settings: in.Settings[0].Settings})
		},
		"the clock was ahead before it went back": func(in *AOFFsyncInput) {
			in.Clocks = Clocks{"n1": {Segments: []ClockSegment{{Offset: epochMs*1e6 + 2e9}, {From: 10 * 1e6, Offset: epochMs * 1e6}}}}
		},
		"busy": func(in *AOFFsyncInput) {
			for i := range in.Crons {
				in.Crons[i].Busy = true
			}
		},
		"all synced": func(in *AOFFsyncInput) {
			for i := range in.Crons {
				in.Crons[i].AOFUnsynced = false
			}
		},
	} {
		x := in()
		x.Settings = append([]SettingsChange(nil), everysec...)
		change(&x)
		v := CheckEverysecIdleFsync(x)
		assert.Empty(t, v, name)
	}

	// A process's first second is never judged: the AOF's opening set
	// aof_last_fsync then.
	x := in()
	x.Crons = x.Crons[10:]
	assert.Empty(t, CheckEverysecIdleFsync(x), "the process's first second")
}
