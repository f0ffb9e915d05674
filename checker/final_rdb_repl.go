package checker

import "fmt"

// FinalRDBRepl is a node's final RDB, saved by its SHUTDOWN: the
// replication state the node exited with and the replication AUX fields
// of the file.
type FinalRDBRepl struct {
	Node string
	At   int64
	// Replica says it exited a replica; Backlog that it had a replication
	// backlog; CachedMaster, for a replica, that it had a master's history
	// to offer (a link up, or a cached master).
	Replica, Backlog, CachedMaster bool
	ReplID                         string
	Offset                         int64
	FileReplID                     string
	FileOffset                     int64
	// FileHasRepl says the file holds repl-id and repl-offset.
	FileHasRepl bool
}

// CheckFinalRDBRepl judges the replication history in a node's final
// RDB. Redis 7.0.15's prepareForShutdown saves it with
// rdbPopulateSaveInfo, which fills the replication info for a master only
// when it has a backlog (a master outside any replication chain has
// nothing to continue), and for a replica only when it has a master or a
// cached master (whose db the file names); the file's repl-id and
// repl-offset are then server.replid and server.master_repl_offset, which
// a restart takes up (a master as its secondary ID, a replica as its
// cached master). Nothing happens between the save and the exit, so the
// state at the exit is the state saved.
func CheckFinalRDBRepl(finals []FinalRDBRepl) []Violation {
	var out []Violation
	for _, f := range finals {
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: "repl_ids", At: f.At, Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s's final RDB at SHUTDOWN (%s): ", f.Node, seconds(f.At)) + fmt.Sprintf(format, args...)})
		}
		want, why := f.Backlog, "a master with a backlog"
		if !f.Backlog {
			why = "a master with no backlog"
		}
		if f.Replica {
			want, why = f.CachedMaster, "a replica with a master's history (its link up or a cached master)"
			if !f.CachedMaster {
				why = "a replica with no master's history (no link up, no cached master)"
			}
		}
		switch {
		case want && !f.FileHasRepl:
			bad("no repl-id or repl-offset, though it exited %s (ID %s, offset %d): rdbPopulateSaveInfo fills them then", why, f.ReplID, f.Offset)
		case want && (f.FileReplID != f.ReplID || f.FileOffset != f.Offset):
			bad("repl-id %s at offset %d, but it exited with ID %s at offset %d: the file holds server.replid and server.master_repl_offset", f.FileReplID, f.FileOffset, f.ReplID, f.Offset)
		case !want && f.FileHasRepl:
			bad("repl-id %s at offset %d, though it exited %s: rdbPopulateSaveInfo fills nothing then", f.FileReplID, f.FileOffset, why)
		}
	}
	return out
}
