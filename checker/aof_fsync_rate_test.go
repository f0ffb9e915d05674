package checker

import (
	"fmt"
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
)

// everysecRun: n1 runs appendfsync everysec from 0 s; its clock reads
// virtual time plus 10.5 s. It fsyncs its AOF at the virtual instants
// given.
func everysecRun(at ...int64) AOFFsyncInput {
	in := AOFFsyncInput{
		Settings: []SettingsChange{{Node: "n1", Start: true, Settings: tap.Settings{AppendOnly: true, AppendFsync: "everysec"}}},
		Clocks:   Clocks{"n1": FixedClock(10*sec+sec/2, 0)},
	}
	for _, t := range at {
		in.Syncs = append(in.Syncs, FileSync{At: t, Node: "n1", Path: "appendonlydir/appendonly.aof.1.incr.aof"})
	}
	return in
}

func TestEverysecFsyncOnceASecond(t *testing.T) {
	// Clock seconds 11 (0.6 s), 12 (1.6 s), 13 (2.6 s): one each.
	assert.Empty(t, CheckEverysecFsyncRate(everysecRun(6*sec/10, 16*sec/10, 26*sec/10)))
	// 0.6 s and 0.9 s both read second 11.
	v := CheckEverysecFsyncRate(everysecRun(6*sec/10, 9*sec/10))
	if assert.Len(t, v, 1) {
		assert.Contains(t, fmt.Sprint(v), "n1 fsynced its AOF appendonlydir/appendonly.aof.1.incr.aof (or tried to) at 0.600000s and again at 0.900000s, both in second 11 of its clock, under appendfsync everysec")
	}
	// Not judged across a line about the AOF (a reopen may set the last
	// fsync's second), nor under always.
	in := everysecRun(6*sec/10, 9*sec/10)
	in.Lines = []LogLine{{Node: "n1", At: 7 * sec / 10, Format: "Creating AOF incr file %s on server start"}}
	assert.Empty(t, CheckEverysecFsyncRate(in))
	in = everysecRun(6*sec/10, 9*sec/10)
	in.Settings[0].AppendFsync = "always"
	assert.Empty(t, CheckEverysecFsyncRate(in))
	// A clock that jumped back between them: judged by the readings.
	in = everysecRun(6*sec/10, 9*sec/10)
	in.Clocks = Clocks{"n1": {Segments: []ClockSegment{{Offset: 10*sec + sec/2}, {From: 8 * sec / 10, Offset: 20 * sec}}}}
	assert.Empty(t, CheckEverysecFsyncRate(in), "second 11, then second 20")
}

// A failed fsync is an attempt too: the node's retry waits for the next
// second (mutant aof.go:149:31 retries within it).
func TestEverysecFailedFsyncRetriedOnceASecond(t *testing.T) {
	incr := "appendonlydir/appendonly.aof.1.incr.aof"
	in := everysecRun(9 * sec / 10)
	in.Faults = []DiskFault{{At: 6 * sec / 10, Node: "n1", Op: "sync", Path: incr}}
	assert.Len(t, CheckEverysecFsyncRate(in), 1, "a failure at 0.6 s, the retry at 0.9 s")
	in.Faults = []DiskFault{{At: 6 * sec / 10, Node: "n1", Op: "sync", Path: incr}, {At: 7 * sec / 10, Node: "n1", Op: "sync", Path: incr}}
	in.Syncs = nil
	assert.Len(t, CheckEverysecFsyncRate(in), 1, "two failures in second 11")
	in.Faults[1].At = 16 * sec / 10
	assert.Empty(t, CheckEverysecFsyncRate(in), "a failure a second")
	in.Faults[1].Op = "write"
	in.Faults[1].At = 7 * sec / 10
	assert.Empty(t, CheckEverysecFsyncRate(in), "a failed write is no fsync")
}
