package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everysec counts on the master's clock: after its clock went back 1.7s,
// a write acknowledged 3s (of virtual time) before the crash was only
// 1.3s old by its clock, and Redis had not fsynced it yet.
func TestDurabilityEverysecOnTheMastersClock(t *testing.T) {
	in := crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
	require.Len(t, CheckDurability(in), 1, "on virtual time it must be kept")
	in.Clocks = Clocks{"n1": {Segments: []ClockSegment{{Offset: 7 * sec}, {From: 3 * sec, Offset: 7*sec - 17*sec/10}}}}
	assert.Empty(t, CheckDurability(in))

	// A clock that runs ahead without jumping changes nothing.
	in.Clocks = Clocks{"n1": FixedClock(7*sec, 100)}
	assert.Len(t, CheckDurability(in), 1)
	// Nor does a jump forwards just before the crash: ticks must follow.
	in.Clocks = Clocks{"n1": {Segments: []ClockSegment{{Offset: 0}, {From: 2*sec + sec/10, Offset: 60 * sec}}}}
	in.Restarts[0].CrashAt = 2*sec + sec/5
	assert.Empty(t, CheckDurability(in))
}

// A paused (SIGSTOPped) master fsyncs nothing: a write acknowledged 3s
// before the crash may be lost when the node spent all but 0.6s of that
// time paused, but not when it ran for more than a second of it (seed
// 19448: paused 0.1s after the writes and crashed while still paused).
func TestDurabilityEverysecPausedMasterDoesNotFsync(t *testing.T) {
	cases := []struct {
		name   string
		pauses []Pause
		lost   bool
	}{
		{"no pause", nil, true},
		{"paused until the crash", []Pause{{Node: "n1", From: 2*sec + sec/10, To: 5 * sec}}, false},
		{"ran 0.6s in all", []Pause{{Node: "n1", From: 2*sec + sec/10, To: 4*sec + sec/2}}, false},
		{"ran 2.5s after a pause", []Pause{{Node: "n1", From: 2*sec + sec/10, To: 2*sec + sec/2}}, true},
		{"another node paused", []Pause{{Node: "n2", From: 2*sec + sec/10, To: 5 * sec}}, true},
		{"paused before the write", []Pause{{Node: "n1", From: sec / 2, To: sec}}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
			in.Pauses = c.pauses
			if c.lost {
				assert.Len(t, CheckDurability(in), 1)
			} else {
				assert.Empty(t, CheckDurability(in))
			}
		})
	}
}

// runningFrom walks back over a node's pauses to find run of running time.
func TestRunningFrom(t *testing.T) {
	in := DurabilityInput{Pauses: []Pause{
		{Node: "n1", From: 10, To: 20},
		{Node: "n2", From: 21, To: 29},
		{Node: "n1", From: 25, To: 40},
	}}
	assert.Equal(t, int64(45), in.runningFrom("n1", 50, 5))
	assert.Equal(t, int64(24), in.runningFrom("n1", 50, 11), "10 running after the pause, 1 before it")
	assert.Equal(t, int64(5), in.runningFrom("n1", 50, 20), "10 + 5 + 5")
	assert.Equal(t, int64(22), in.runningFrom("n1", 30, 3), "a pause in force at d")
	assert.Equal(t, int64(47), in.runningFrom("n3", 50, 3))
}

// A failed AOF fsync after the write may drop it (the kernel drops the
// dirty pages); one on another file, one before the write, or one after
// the write had surely been synced explains nothing.
func TestDurabilityFsyncFailureVoidsUnsyncedWrites(t *testing.T) {
	const incr = "appendonlydir/appendonly.aof.1.incr.aof"
	cases := []struct {
		name  string
		fault DiskFault
		lost  bool
	}{
		{"fsync failure after the write", DiskFault{At: 2*sec + sec/2, Node: "n1", Op: "sync", Path: incr}, false},
		{"write failure after the write", DiskFault{At: 2*sec + sec/2, Node: "n1", Op: "write", Path: incr}, false},
		{"on another node", DiskFault{At: 2*sec + sec/2, Node: "n2", Op: "sync", Path: incr}, true},
		{"on a snapshot", DiskFault{At: 2*sec + sec/2, Node: "n1", Op: "sync", Path: "temp-1.rdb"}, true},
		{"before the write", DiskFault{At: sec, Node: "n1", Op: "sync", Path: incr}, true},
		{"after the write was synced", DiskFault{At: 4*sec + sec/2, Node: "n1", Op: "sync", Path: incr}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := crashAfter(everysec, 2*sec, 5*sec, "k1", "old")
			in.DiskFaults = []DiskFault{c.fault}
			if c.lost {
				assert.Len(t, CheckDurability(in), 1)
			} else {
				assert.Empty(t, CheckDurability(in))
			}
		})
	}
}

// A restart that read its AOF through an injected bit flip promises
// nothing: an AOF has no checksum, so the damage loads (seed 105788: a
// flipped "SELECT 1" became "SELECT 5").
func TestDurabilityIgnoresRestartsThatReadCorruptedFiles(t *testing.T) {
	in := crashAfter(Persistence{AppendOnly: true, AppendFsync: "always"}, 2*sec, 5*sec)
	require.NotEmpty(t, CheckDurability(in), "a lost acknowledged write is flagged")
	r := in.Restarts[0]
	in.DiskFaults = []DiskFault{{At: r.RestartAt, Node: r.Node, Op: "bitflip", Path: "appendonlydir/x.incr.aof"}}
	assert.Empty(t, CheckDurability(in))
	in.DiskFaults[0].At = r.RestartAt - 1
	assert.NotEmpty(t, CheckDurability(in), "a flip on an earlier read does not excuse the load")
}
