package checker

import (
	"slices"
	"strings"
)

// What the durability check excuses, and why: exactly what Redis itself
// promises less for. Everything else a master acknowledged under
// appendfsync always must come back after a crash, whatever disk faults
// were injected.
//
//   - A write whose reply never came (a timeout, a dropped connection):
//     it may or may not have happened. Under always Redis exits on a
//     failed AOF write or fsync before it replies (flushAppendOnlyFile:
//     "Exiting..."), so such a fault leaves the write unacknowledged;
//     nothing acknowledged before it is excused, since each reply waited
//     for its own fsync.
//   - A restart that read its AOF through a flipped bit
//     (readCorruptedAOF): an AOF and its manifest carry no checksum, so
//     Redis loads the damage (a flipped manifest line can even turn an
//     incr file into a history file it skips). A flip in an RDB (a
//     standalone dump or an AOF's RDB base) is no excuse: its CRC64 makes
//     the load fail, and then the next rule applies.
//   - A node that refused its files and was wiped (the cluster records it
//     with no persistence): it promised nothing, and only the persistence-
//     off hazard (redis#2087) is judged.
//   - Under everysec and no, a crash that loses the disk's unsynced data
//     (lose_all, torn): the writes acknowledged within the loss window
//     (EverysecWindow on the master's own running clock, NoFsyncWindow),
//     and the writes not yet synced when an AOF write or fsync failed
//     (durableBy: everysec replies after a failed write, and a failed
//     fsync may drop the dirty pages). Under always nothing acknowledged
//     is unsynced, so a crash mode excuses nothing.
//   - A write that came back in another db after an AOF write or fsync
//     failed on the node before it (selectDropped): the dropped bytes may
//     have held its SELECT, which Redis does not write again; or a write
//     that left no trace while another key came back in another db
//     (misplacedElsewhere). Reported as a hazard, not excused silently.
//   - The value of a relative write (INCR, INCRBY, APPEND, SETRANGE) after
//     an AOF write or fsync failed on the node before it, when an earlier
//     write to the key is not owed (baseDropped): the failure may have
//     dropped that earlier write while the relative one, synced later,
//     stayed and reloads on an older value. The key must still be there,
//     an integer after INCR.
//   - RDB snapshots only: any write since the last snapshot; a value
//     no write ever gave a key is never excused.
//   - Persistence off: everything (Redis restarts empty, as documented).

// readCorruptedAOF reports whether restart r read an AOF file or its
// manifest through an injected bit flip (during the load, at the restart
// instant).
func readCorruptedAOF(faults []DiskFault, r *Restart) bool {
	for _, f := range faults {
		if f.Op == "bitflip" && f.Node == r.Node && f.At == r.RestartAt && unchecksummed(f.Path) {
			return true
		}
	}
	return false
}

// unchecksummed reports whether a persistence file carries no checksum:
// AOF command files (incr, or a base without the RDB preamble) and the
// AOF manifest. RDB files end in a CRC64 that loading checks.
func unchecksummed(path string) bool {
	return strings.HasSuffix(path, ".aof") || strings.HasSuffix(path, ".manifest")
}

// aofFailedBefore reports whether an AOF write or fsync failed on node
// before t: a failed fsync may drop the pages it did not sync, a failed
// write leaves the rest of the buffer unwritten.
func aofFailedBefore(faults []DiskFault, node string, t int64) bool {
	for _, f := range faults {
		if f.Node == node && f.At < t && (f.Op == "write" || f.Op == "sync") && unchecksummed(f.Path) {
			return true
		}
	}
	return false
}

// selectDropped says whether a write lost at restart r may have been
// misplaced rather than lost: an AOF write or fsync failed on the node
// before the write, and the key came back in another db, which it
// returns. The dropped bytes may have held the SELECT that put the write
// in its db; Redis keeps aof_selected_db across the failure and writes no
// SELECT again, so the write reloads into the db of the last SELECT the
// file kept (sweep seed 4303088). A known hazard, reported as one.
func selectDropped(faults []DiskFault, r *Restart, key string, db int, before int64) (int, bool) {
	if !aofFailedBefore(faults, r.Node, before) {
		return 0, false
	}
	for _, kv := range r.Loaded {
		if kv.Key == key && kv.DB != db {
			return kv.DB, true
		}
	}
	return 0, false
}

// misplacedElsewhere is selectDropped for a write whose own key shows no
// trace of it (a RENAME or DEL that, reloaded into another db, found
// nothing to act on: gate seed 3076540): an AOF write or fsync failed on
// the node before the write, and another key of the run came back in a
// db other than its own, which it returns with that db.
func misplacedElsewhere(faults []DiskFault, r *Restart, ws map[string][]write, before int64) (string, int, bool) {
	if !aofFailedBefore(faults, r.Node, before) {
		return "", 0, false
	}
	for _, key := range sortedKeys(ws) {
		own := dbOf(ws[key])
		for _, kv := range r.Loaded {
			if kv.Key == key && kv.DB != own {
				return key, kv.DB, true
			}
		}
	}
	return "", 0, false
}

// baseDropped loosens what a relative write (INCR, INCRBY, APPEND,
// SETRANGE) leaves when an AOF write or fsync failed on the node before it
// and an earlier write to the key is one the node need not keep: the
// failure may have dropped that write's bytes while the relative write,
// synced after it, stayed, so the relative write reloads on an older value
// (sweep seed 4527664: SET d1:w0 1, acknowledged under everysec, was in
// the pages a failed fsync dropped; INCR d1:w0 -> 2, acknowledged under
// always, came back as 1). Such a write still leaves the key present, an
// integer for INCR, but its value is not promised. ws are the key's
// writes in call order.
func baseDropped(ws []write, must func(write) bool, failedBefore func(int64) bool) []write {
	var out []write // a copy, once a write is loosened
	for i, w := range ws {
		if !w.relative || !failedBefore(w.op.Call) || !slices.ContainsFunc(ws[:i], func(b write) bool { return !must(b) }) {
			continue
		}
		if out == nil {
			out = slices.Clone(ws)
		}
		if w.anyVal {
			out[i].length = -1
		} else {
			out[i].anyInt = true
		}
	}
	if out == nil {
		return ws
	}
	return out
}
