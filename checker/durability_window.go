package checker

import (
	"time"
)

// DiskFault is an injected disk error a node's persistence hit: a failed
// write or fsync of Path at At.
type DiskFault struct {
	At   int64
	Seq  int // the order among recorded events (LogLine.Seq)
	Node string
	Op   string // "write", "sync", "syncdir" (a directory's fsync), "rename", "bitflip" (a read returned flipped bits), "read" (a read failed), "create", "open", "remove" or "mkdir"
	Path string
	// FlipOffset and FlipSize are, for a bit flip, the flipped byte's
	// offset in the file and the file's size; RDBAuxEnd is, for a flip
	// in an RDB file, where its AUX fields end (RDBAuxEnd), else -1.
	FlipOffset, FlipSize, RDBAuxEnd int64
	// Stored, Size and Errno are, for a failed write, the bytes it stored
	// of the bytes it was given and the error it returned ("EIO",
	// "ENOSPC").
	Stored, Size int64
	Errno        string
}

// voidsAOF reports whether the fault can lose acknowledged AOF data: a
// failed write leaves the rest of the buffer unwritten (Redis still
// replies), and a failed fsync may drop the unsynced pages (fsyncgate).
// Faults on other files (snapshots, manifests, a rewrite's new base) only
// make that operation fail.
func (f DiskFault) voidsAOF() bool {
	return (f.Op == "write" || f.Op == "sync") && IsIncrAOF(f.Path)
}

// durableBy returns the instant by which w's durability must have been
// settled: the crash, or the first AOF write or fsync failure on the node
// after w began, whichever is first. From a failure on, the node refuses
// writes (MISCONF) but what it acknowledged before may be gone.
func (in *DurabilityInput) durableBy(r *Restart, w write) int64 {
	d := r.CrashAt
	for _, f := range in.DiskFaults {
		if f.Node == r.Node && f.At >= w.op.Call && f.At < d && f.voidsAOF() {
			d = f.At
		}
	}
	return d
}

// Pause is an interval [From, To) in which Node's process ran nothing (a
// pause that ended with a crash ends there).
type Pause struct {
	Node     string
	From, To int64
}

// runningFrom returns the latest instant s such that node ran for run of
// virtual time in [s, d], leaving out its pauses.
func (in *DurabilityInput) runningFrom(node string, d, run int64) int64 {
	t, need := d, run
	for i := len(in.Pauses) - 1; i >= 0; i-- {
		p := in.Pauses[i]
		if p.Node != node || p.From >= t {
			continue
		}
		end := min(p.To, t)
		if end <= t-need {
			break
		}
		need -= t - end
		t = p.From
	}
	return t - need
}

// everysecSynced reports whether appendfsync everysec surely fsynced w by
// d. The node fsyncs at a tick or write once its clock's second is past
// that of its last fsync (Redis: unixtime > aof_last_fsync), so the clock
// decides, jumps and all: the last fsync before w was at most the highest
// its clock read since the node started; the fsync that covers w is due
// once the clock reads a second more, and within window-1s of virtual
// time spent running there (a paused node ticks and fsyncs not at all)
// the node ticks many times.
func (in *DurabilityInput) everysecSynced(r *Restart, w write, d int64, window time.Duration) bool {
	started := int64(0)
	for _, x := range in.Restarts {
		if x.Node == r.Node && x.RestartAt <= w.op.Return && x.RestartAt > started {
			started = x.RestartAt
		}
	}
	tail := max(int64(window-time.Second), 0)
	from := in.runningFrom(r.Node, d, tail)
	if from < w.op.Return {
		return false
	}
	clock, ok := in.Clocks[r.Node]
	if !ok || !clock.Known() {
		clock = FixedClock(0, 0)
	}
	_, lastFsync := clock.Range(started, w.op.Return)
	due, _ := clock.Range(from, d)
	return due >= lastFsync+int64(time.Second)
}
