package checker

import (
	"fmt"

	"github.com/replsim/replsim/tap"
)

// A node that leaves by SHUTDOWN with the AOF on flushes and fsyncs it
// first (Redis's prepareForShutdown), so when it starts again from those
// files, untouched, it loads exactly the dataset it had: every key of
// every type, in every db, whatever wrote its AOF (its own commands, a
// replication stream, a rewrite's base in RDB or commands format).

// CleanExit is a node's exit by SHUTDOWN: its dataset then, whether its
// AOF was on, and whether it saved its final RDB ("Saving the final RDB
// snapshot before exiting.", then "DB saved on disk").
type CleanExit struct {
	Node     string
	At       int64
	AOF      bool
	RDBSaved bool
	Data     []tap.KeyValue
}

// CheckCleanRestarts checks that a node restarted after a clean exit with
// the AOF on at both ends, or off at both ends with the final RDB saved
// (Redis 7.0.15 reads the AOF manifest at start whatever appendonly says,
// then loads dbfilename: loadDataFromDisk), its files not desynced from
// its memory by a fault (desynced), and its disk not wiped, loaded the
// dataset it exited with. Keys with a TTL are left out (they may expire across the
// restart), and so, for an AOF, are those a replay of a writable
// replica's commands may write otherwise (replayMayDiffer): local are the
// writes that may have run on writable replicas (LocalWrites), all every
// client's history.
func CheckCleanRestarts(exits []CleanExit, restarts []Restart, faults []DiskFault, local, all []Op) []Violation {
	var out []Violation
	for _, r := range restarts {
		var e *CleanExit
		for i := range exits {
			if exits[i].Node == r.Node && exits[i].At == r.CrashAt {
				e = &exits[i]
			}
		}
		// A restart on a wiped disk promised nothing (Persistence{}).
		if e == nil || r.Persistence == (Persistence{}) || e.AOF != r.Persistence.AppendOnly || !e.AOF && !e.RDBSaved {
			continue
		}
		what := "the AOF on"
		if !e.AOF {
			what = "the AOF off and its final RDB saved"
		}
		if desynced(faults, r.Node, e.At, r.RestartAt) {
			continue
		}
		want, got := withoutTTLs(e.Data), withoutTTLs(r.Loaded)
		if differ := replayMayDiffer(local, all, r.Node, e.At); e.AOF && len(differ) > 0 {
			want, got = withoutKeySet(want, differ), withoutKeySet(got, differ)
		}
		if !kvsEqual(want, got) {
			out = append(out, Violation{Check: PropDurability, At: r.RestartAt, Nodes: []string{r.Node}, Keys: diffKeys(want, got, 5),
				Detail: fmt.Sprintf("%s exited by SHUTDOWN at %s with %s and restarted at %s from the same files (no disk fault that could set them apart from its memory), but loaded another dataset: %s",
					r.Node, seconds(e.At), what, seconds(r.RestartAt), DiffData(want, got, 5))})
		}
	}
	return out
}

func withoutTTLs(data []tap.KeyValue) []tap.KeyValue {
	out := make([]tap.KeyValue, 0, len(data))
	for _, kv := range data {
		if kv.ExpireAt == 0 {
			out = append(out, kv)
		}
	}
	return out
}

// withoutKeySet returns data without the keys of drop.
func withoutKeySet(data []tap.KeyValue, drop map[dbKey]bool) []tap.KeyValue {
	out := make([]tap.KeyValue, 0, len(data))
	for _, kv := range data {
		if !drop[dbKey{kv.DB, kv.Key}] {
			out = append(out, kv)
		}
	}
	return out
}

// desynced reports whether a disk fault on node may have left its files
// other than its memory at a clean exit at exitAt, for a restart at
// restartAt: a failed fsync (the disk may drop the unsynced pages), a bit
// flip, or any fault at the exit (its final flush, fsync or save failed)
// or at the restart. Other faults fail an operation and leave memory and
// files alike: a write that failed stays in aof_buf and is written again
// (at the latest by SHUTDOWN's flush), a failed rename or manifest write
// leaves the old files in force, a failed save or rewrite changes nothing.
func desynced(faults []DiskFault, node string, exitAt, restartAt int64) bool {
	for _, f := range faults {
		if f.Node != node || f.At > restartAt {
			continue
		}
		if f.Op == "sync" || f.Op == "bitflip" || f.At == exitAt || f.At == restartAt {
			return true
		}
	}
	return false
}
