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
