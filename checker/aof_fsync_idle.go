package checker

import (
	"fmt"
	"sort"
)

// Under appendfsync everysec Redis 7.0.15 fsyncs the AOF once a second
// even when no write follows: flushAppendOnlyFile, which beforeSleep runs
// after every serverCron, fsyncs an incr file with unsynced bytes
// (aof_last_incr_fsync_offset != aof_last_incr_size) whenever
// server.unixtime > aof_last_fsync, with its buffer empty or not. So a
// serverCron run that ends with bytes the process wrote to its incr AOF
// unsynced, under everysec, ran in a second of the node's clock that
// aof_last_fsync already holds.
//
// aof_last_fsync takes the clock's second at an fsync (a successful one,
// recorded, or a failed one, a disk fault), at the AOF's opening, a
// rewrite's new incr file and the AOF's start (all logged), and at a
// settings change (appendonly, appendfsync). So a run is judged only
// when none of these happened since the node's last run in an earlier
// second of its clock, the clock was never ahead of this second before
// in the process (it went back), and everysec was in force with the AOF
// on throughout; not when the node was busy (its flush waits) or went
// down in the run.

// CheckEverysecIdleFsync flags a node that, under appendfsync everysec,
// left bytes it wrote to its incr AOF unsynced through a serverCron run
// in a later second of its clock than the AOF's last fsync.
func CheckEverysecIdleFsync(in AOFFsyncInput) []Violation {
	settings := newSettingsLog(in.Settings)
	marks := aofLineInstants(in.Lines) // per node, the instants that may set aof_last_fsync
	for _, s := range in.Syncs {
		marks[s.Node] = append(marks[s.Node], s.At)
	}
	for _, f := range in.Faults {
		marks[f.Node] = append(marks[f.Node], f.At)
	}
	for _, ts := range marks {
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	}
	type nodeState struct {
		gen        int
		started    bool  // a run of this process was seen
		prevSec    int64 // the clock's second at the last run
		prevAt     int64 // the last run's instant
		maxSec     int64 // the clock's latest second at the runs before
		windowFrom int64 // the last run in an earlier second of the clock
		judged     bool  // windowFrom is a run of this process
		reported   bool  // one violation per process is enough
	}
	states := map[string]*nodeState{}
	var out []Violation
	for _, c := range in.Crons {
		st := states[c.Node]
		if st == nil || st.gen != c.Gen {
			st = &nodeState{gen: c.Gen}
			states[c.Node] = st
		}
		sec := c.ClockMs / 1000
		if st.started && sec > st.prevSec {
			st.windowFrom, st.judged = st.prevAt, true
		}
		// aof_last_fsync was set at or before windowFrom: to a second the
		// clock showed by then, which a clock that went back may show
		// again. (From the run's start: a process's first serverCron may
		// come long after its start, if it was paused or busy.)
		ahead := st.maxSec >= sec
		if clock, ok := in.Clocks[c.Node]; ok && clock.Known() && st.judged {
			_, hi := clock.Range(0, st.windowFrom)
			ahead = ahead || hi/1e9 >= sec
		}
		if st.started {
			st.maxSec = max(st.maxSec, st.prevSec)
		}
		st.started, st.prevSec, st.prevAt = true, sec, c.At
		if !st.judged || st.reported || ahead || !c.AOFUnsynced || c.Busy || c.Partial {
			continue
		}
		if anyIn(marks[c.Node], st.windowFrom, c.At) {
			continue
		}
		cs := settings[c.Node]
		i, j := inForce(cs, st.windowFrom), inForce(cs, c.At)
		if i < 0 || i != j || cs[i].Down || !cs[i].AppendOnly || cs[i].AppendFsync != "everysec" {
			continue
		}
		st.reported = true
		out = append(out, Violation{Check: PropAOFFsync, At: c.At, Nodes: []string{c.Node},
			Detail: fmt.Sprintf("%s left bytes it wrote to %s unsynced through its serverCron at %s (second %d of its clock), with no fsync since its run at %s in an earlier second, under appendfsync everysec: Redis fsyncs them once the second has passed (flushAppendOnlyFile, buffer empty or not)",
				c.Node, c.AOFPath, seconds(c.At), sec, seconds(st.windowFrom))})
	}
	return out
}
