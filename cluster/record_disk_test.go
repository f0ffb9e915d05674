package cluster

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A failed directory fsync is recorded: it fails a save (dump.rdb's
// directory), and a master whose save failed refuses PING with MISCONF
// until the retry, which the liveness budget allows for (chaos seed 13801).
func TestWatchDiskRecordsDirectoryFsyncFailures(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	s := &simNode{h: h, name: "n1", fs: disksim.New(w.Rand("disk"))}
	h.watchDisk(s)
	require.NoError(t, s.fs.AddInjector(&disksim.Injector{Name: "t", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpSyncDir)}))
	require.Error(t, s.fs.SyncDir("."))
	assert.Equal(t, []checker.DiskFault{{At: 0, Seq: 1, Node: "n1", Op: "syncdir", Path: "."}}, h.rec.disk)
}

// Every successful fsync of an incr AOF file is recorded, with whether it
// had anything unsynced and whether the file was written in its instant,
// for checker.CheckAOFFsyncs; other files' are not.
func TestWatchDiskRecordsAOFFsyncs(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	s := &simNode{h: h, name: "n1", fs: disksim.New(w.Rand("disk"))}
	h.watchDisk(s)
	for _, name := range []string{"dump.rdb", "appendonly.aof.1.incr.aof"} {
		f, err := s.fs.Create(name)
		require.NoError(t, err)
		_, err = f.Write([]byte("*1\r\n$4\r\nPING\r\n"))
		require.NoError(t, err)
		require.NoError(t, f.Sync())
		require.NoError(t, f.Sync()) // nothing new: recorded as unchanged
	}
	const incr = "appendonly.aof.1.incr.aof"
	assert.Equal(t, []checker.FileSync{{At: 0, Node: "n1", Path: incr, Written: true}, {At: 0, Node: "n1", Path: incr, Unchanged: true, Written: true}}, h.rec.aofSyncs)
	w.After(sim.Millisecond, sim.EventFunc(func(*sim.World) {
		f, err := s.fs.OpenAppend(incr)
		require.NoError(t, err)
		require.NoError(t, f.Sync())
	}))
	for w.Step() {
	}
	require.Len(t, h.rec.aofSyncs, 3)
	assert.False(t, h.rec.aofSyncs[2].Written, "a later instant: the write was before it")
}

// A node whose disk once returned a flipped bit gets no DEBUG LOADAOF: the
// corrupted read may be in memory, and a load of the intact AOF changes it
// back, which the reload check would take for a lost write (seed 5518);
// no more does one whose fsync failed (the unsynced writes may be gone,
// seed 2615432).
func TestNoLoadAOFAfterBitFlip(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	s := &simNode{h: h, name: "n1", fs: disksim.New(w.Rand("disk"))}
	h.watchDisk(s)
	f, err := s.fs.Create("appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	_, err = f.Write([]byte("*1\r\n$4\r\nPING\r\n"))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	inj := &disksim.Injector{Name: "flip", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpRead), BitFlip: true}
	require.NoError(t, s.fs.AddInjector(inj))
	_, err = s.fs.ReadFile("appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	inj.Enabled = false
	err = h.aofSettled(s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a bitflip fault hit its disk")
}

func TestNoLoadAOFAfterFsyncError(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	s := &simNode{h: h, name: "n1", fs: disksim.New(w.Rand("disk"))}
	h.watchDisk(s)
	inj := &disksim.Injector{Name: "fsync", Probability: 1, Enabled: true, Ops: disksim.Ops(disksim.OpSync)}
	require.NoError(t, s.fs.AddInjector(inj))
	f, err := s.fs.Create("appendonly.aof.1.incr.aof")
	require.NoError(t, err)
	require.Error(t, f.Sync())
	inj.Enabled = false
	err = h.aofSettled(s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a sync fault hit its disk")
}

// A node that was ever a writable replica gets no DEBUG LOADAOF: its own
// writes went to its AOF with no DEL for keys past their TTL it kept (a
// replica does not delete them), and the load sees those keys live, so
// the replay diverges as it would on Redis (seed 2084497).
func TestNoLoadAOFAfterWritableReplica(t *testing.T) {
	w := sim.NewWorld(1)
	h := &Cluster{w: w}
	s := &simNode{h: h, name: "n2", fs: disksim.New(w.Rand("disk"))}
	h.rec.settings = []checker.SettingsChange{
		{At: 0, Node: "n2", Start: true, Settings: tap.Settings{Replica: true, ReadOnly: false}},
	}
	err := h.aofSettled(s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "writable replica")
}
