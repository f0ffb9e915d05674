package checker

import "fmt"

// FinalRDBRepl is a master's final RDB, saved by its SHUTDOWN: the
// replication state the master exited with (Backlog: it had a
// replication backlog) and the replication AUX fields of the file.
type FinalRDBRepl struct {
	Node       string
	At         int64
	Backlog    bool
	ReplID     string
	Offset     int64
	FileReplID string
	FileOffset int64
	// FileHasRepl says the file holds repl-id and repl-offset.
	FileHasRepl bool
}

// CheckFinalRDBRepl judges the replication history in a master's final
// RDB. Redis 7.0.15's prepareForShutdown saves it with
// rdbPopulateSaveInfo, which for a master fills the replication info only
// when it has a backlog (a master outside any replication chain has
// nothing to continue); the file's repl-id and repl-offset are then
// server.replid and server.master_repl_offset, which a restart takes as
// its secondary ID so its former replicas can continue partially. Nothing
// happens between the save and the exit, so the state at the exit is the
// state saved.
func CheckFinalRDBRepl(finals []FinalRDBRepl) []Violation {
	var out []Violation
	for _, f := range finals {
		bad := func(format string, args ...any) {
			out = append(out, Violation{Check: "repl_ids", At: f.At, Nodes: []string{f.Node},
				Detail: fmt.Sprintf("%s's final RDB at SHUTDOWN (%s): ", f.Node, seconds(f.At)) + fmt.Sprintf(format, args...)})
		}
		switch {
		case f.Backlog && !f.FileHasRepl:
			bad("no repl-id or repl-offset, though it exited a master with a backlog (ID %s, offset %d): rdbPopulateSaveInfo fills them for such a master", f.ReplID, f.Offset)
		case f.Backlog && (f.FileReplID != f.ReplID || f.FileOffset != f.Offset):
			bad("repl-id %s at offset %d, but it exited with ID %s at offset %d: the file holds server.replid and server.master_repl_offset", f.FileReplID, f.FileOffset, f.ReplID, f.Offset)
		case !f.Backlog && f.FileHasRepl:
			bad("repl-id %s at offset %d, though it exited a master with no backlog: rdbPopulateSaveInfo fills nothing then", f.FileReplID, f.FileOffset)
		}
	}
	return out
}
