package checker

import "fmt"

// LeftIncr is the incr AOF file a process appended to when a rewrite's
// start opened a new one, and how many of its bytes were still unsynced
// once the event that started the rewrite was done.
type LeftIncr struct {
	Node     string
	At       int64
	Path     string
	Unsynced int64
}

// CheckLeftIncrsSynced checks that a rewrite's start leaves its old incr
// file synced: Redis hands it to a background job that fsyncs and closes
// it (aof_background_fsync_and_close in openNewIncrAofForAppend), which
// the node runs at once. Nothing fsyncs that file again, so bytes left
// unsynced there stay at the mercy of a power loss for good, however
// long ago they were acknowledged, unless the rewrite succeeds and its
// base replaces the file. Only a failed fsync of the file at that instant
// excuses it (the job ignores the error).
func CheckLeftIncrsSynced(left []LeftIncr, faults []DiskFault) []Violation {
	var out []Violation
	for _, l := range left {
		if l.Unsynced <= 0 {
			continue
		}
		failed := false
		for _, f := range faults {
			failed = failed || f.Node == l.Node && f.At == l.At && f.Op == "sync" && f.Path == l.Path
		}
		if !failed {
			out = append(out, Violation{Check: PropDurability, At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s: a rewrite that started at %s left %s with %d bytes unsynced: Redis fsyncs the incr file it leaves (aof_background_fsync_and_close), and nothing syncs it later",
					l.Node, seconds(l.At), l.Path, l.Unsynced)})
		}
	}
	return out
}
