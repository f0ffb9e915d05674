package checker

import (
	"fmt"
	"strings"
)

// ReplIDSample is a node's INFO replication master_replid,
// master_replid2 and second_repl_offset, read after one of its
// replicationCron runs.
type ReplIDSample struct {
	Node string
	Gen  int
	// At is the virtual time (ns) of the read.
	At int64
	// Logs is how many log lines (of every node) were recorded before
	// the read.
	Logs            int
	ID, ID2, Second string
	// ClockMs is the node's clock (Unix ms), the one its replicationCron
	// just read. Master (role), Replicas (connected_slaves) and Backlog
	// (repl_backlog_active) are the rest of INFO replication that
	// checkBacklogTTL reads, with the repl-backlog-ttl in force.
	ClockMs       int64
	Master        bool
	Replicas      int
	Backlog       bool
	BacklogTTLSec int64
	// DisklessSync, DisklessDelaySec and DisklessMaxReplicas are the
	// repl-diskless-sync settings the run read (CheckDisklessStart).
	DisklessSync                          bool
	DisklessDelaySec, DisklessMaxReplicas int64
}

// ReplIDInput is every node's log and the samples, in the order they
// were taken.
type ReplIDInput struct {
	Lines   []LogLine
	Samples []ReplIDSample
}

// In Redis 7.0.15 (replication.c) a process's replication IDs change
// only with a log line that names them or marks the change:
//   - syncCommand, at the first replica without a backlog:
//     changeReplicationId, clearReplicationId2, then "Replication backlog
//     created, my new replication IDs are '<id>' and '<id2>'" (id2 all
//     zeros, always);
//   - replicationUnsetMaster (REPLICAOF NO ONE): shiftReplicationId logs
//     "Setting secondary replication ID to <id2>, valid up to offset:
//     <off>. New replication ID is <id>";
//   - a replica's PSYNC answered +CONTINUE with another ID: "Master
//     replication ID changed to <id>", the old ID becoming the second,
//     valid up to the replica's offset + 1: the offset its PSYNC asked
//     for ("Trying a partial resynchronization (request <id>:<off>)");
//   - a full sync: readSyncBulkPayload takes the ID of the +FULLRESYNC
//     reply ("Full resync from master: <id>:<off>") and clears the
//     second once the load succeeded ("MASTER <-> REPLICA sync: Finished
//     with success"); a transfer that fails keeps the old IDs. The ID it
//     takes is server.master_replid, which only +FULLRESYNC sets (and
//     its wrong syntax clears): after a SYNC fallback ("Retrying with
//     SYNC...") the load takes the last +FULLRESYNC's ID of the process,
//     or a blank one if there was none, which INFO shows as
//     "master_replid:" and a later shift moves to master_replid2;
//   - replicationCron frees an idle backlog with a new ID no line gives
//     and clears the second ("Replication backlog freed after ...");
//   - a new process draws its ID (or reads it from its RDB) silently.
// So between two reads of one incarnation the IDs differ only across such
// a line, and after a line that gives them they are what it says.

const (
	logBacklogFreed = "Replication backlog freed after %d seconds without connected replicas."
	zeroReplID      = "0000000000000000000000000000000000000000"
)

// replIDs is what the log says a node's IDs are; "" is unknown,
// blankReplID a blank ID.
type replIDs struct{ id, id2, second string }

// blankReplID stands for the blank ID a SYNC fallback can leave (INFO's
// "master_replid:"), apart from "" (unknown).
const blankReplID = "(blank)"

// knownID is an ID as a log line gives it: a blank one is blankReplID.
func knownID(id string) string {
	if id == "" {
		return blankReplID
	}
	return id
}

func (x replIDs) String() string {
	show := func(s string) string {
		if s == "" {
			return "?"
		}
		return s
	}
	return "master_replid:" + show(x.id) + " master_replid2:" + show(x.id2) + " second_repl_offset:" + show(x.second)
}

// CheckReplIDs judges each read of the replication IDs against the
// node's log since its previous read (see above).
func CheckReplIDs(in ReplIDInput) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	type state struct {
		ids  replIDs
		why  string // the line or read that gave ids
		full string // the ID of the last +FULLRESYNC, while its load runs
		// psync is the offset the last PSYNC asked for ("Trying a partial
		// resynchronization (request <id>:<off>)"): the replica's own
		// offset + 1, which becomes second_repl_offset when the master
		// answers +CONTINUE with another ID.
		psync string
		// old is the ID a freed backlog left behind: changeReplicationId
		// draws a new one, so the next read must not show it.
		old string
		// lastFull is the ID of the process's last +FULLRESYNC (Redis's
		// master_replid): a SYNC fallback's load takes it; blankReplID
		// before any, or after one with wrong syntax.
		lastFull string
	}
	st := map[genKey]*state{}
	get := func(k genKey) *state {
		s := st[k]
		if s == nil {
			s = &state{lastFull: blankReplID}
			st[k] = s
		}
		return s
	}
	var out []Violation
	next := 0
	for _, smp := range in.Samples {
		for ; next < smp.Logs && next < len(in.Lines); next++ {
			l := &in.Lines[next]
			s := get(genKey{l.Node, l.Gen})
			arg := func(i int) string {
				if i < len(l.Args) {
					return l.Args[i]
				}
				return ""
			}
			switch l.Format {
			case logBacklogCreated:
				s.ids, s.why = replIDs{arg(0), arg(1), "-1"}, fmt.Sprintf("its line %q", l.Msg)
				if arg(1) != zeroReplID {
					out = append(out, Violation{Check: "repl_ids", Nodes: []string{l.Node}, At: l.At,
						Detail: fmt.Sprintf("%s (incarnation %d) logged %q: Redis clears the secondary ID (clearReplicationId2) before it logs the new backlog's IDs, so the second is all zeros", l.Node, l.Gen, l.Msg)})
				}
			case logSecondaryID:
				s.ids, s.why = replIDs{arg(2), knownID(arg(0)), arg(1)}, fmt.Sprintf("its line %q", l.Msg)
			case logReplidChanged:
				s.ids, s.why = replIDs{arg(0), s.ids.id, s.psync}, fmt.Sprintf("its line %q", l.Msg)
				if s.psync != "" {
					s.why = fmt.Sprintf("its line %q after asking for offset %s", l.Msg, s.psync)
				}
			case logFullFromMaster:
				s.full, s.lastFull = arg(0), arg(0)
			case logTryPartial:
				s.full, s.psync = "", arg(1)
			case logBadFullResync:
				s.full, s.psync, s.lastFull = blankReplID, "", blankReplID
			case logNoCached:
				s.full, s.psync = "", ""
			case logRetrySync:
				s.full, s.psync = s.lastFull, ""
			case logFullSyncDone:
				s.ids, s.why = replIDs{s.full, zeroReplID, "-1"}, fmt.Sprintf("its line %q after %q", l.Msg, "Full resync from master: "+s.full)
				if s.full == blankReplID {
					s.why = fmt.Sprintf("its line %q after a SYNC fallback or a +FULLRESYNC of wrong syntax, with no +FULLRESYNC of good syntax since, in its process (the load takes server.master_replid, blank)", l.Msg)
				}
				if s.full == "" {
					s.ids = replIDs{}
				}
				s.full = ""
			case logBacklogFreed:
				// changeReplicationId (a new ID no line gives), then
				// clearReplicationId2.
				s.ids, s.old = replIDs{id2: zeroReplID, second: "-1"}, s.ids.id
			}
			if s.ids.id != "" {
				s.old = "" // a line gave the ID: the read must show that one
			}
		}
		s := get(genKey{smp.Node, smp.Gen})
		got := replIDs{knownID(smp.ID), knownID(smp.ID2), smp.Second}
		if bad := replIDsDiffer(s.ids, got); bad != "" {
			out = append(out, Violation{Check: "repl_ids", Nodes: []string{smp.Node}, At: smp.At,
				Detail: fmt.Sprintf("%s (incarnation %d): INFO replication shows %s, but %s says %s (%s differs): Redis changes its replication IDs only with a line that says so (changeReplicationId, shiftReplicationId, a full or partial sync)",
					smp.Node, smp.Gen, got, s.why, s.ids, bad)})
		}
		if s.ids.id == "" && (got.id == blankReplID || got.id2 == blankReplID) {
			out = append(out, Violation{Check: "repl_ids", Nodes: []string{smp.Node}, At: smp.At,
				Detail: fmt.Sprintf("%s (incarnation %d): INFO replication shows %s, a blank ID, with no full sync in its process that took one: Redis's IDs are drawn (changeReplicationId) or given by a +FULLRESYNC, and only a SYNC fallback's load takes a blank one (server.master_replid before any +FULLRESYNC)",
					smp.Node, smp.Gen, got)})
		}
		if s.old != "" && got.id == s.old {
			out = append(out, Violation{Check: "repl_ids", Nodes: []string{smp.Node}, At: smp.At,
				Detail: fmt.Sprintf("%s (incarnation %d): INFO replication shows master_replid %s after %q, the ID it had before: Redis draws a new one as it frees the backlog (changeReplicationId), so no replica continues the old history",
					smp.Node, smp.Gen, got.id, logBacklogFreed)})
		}
		s.old = ""
		s.ids, s.why = got, fmt.Sprintf("its previous INFO read (at %.3f s)", float64(smp.At)/1e9)
	}
	return out
}

// replIDsDiffer names the known fields of want that got does not show
// ("" when it shows them all).
func replIDsDiffer(want, got replIDs) string {
	var bad []string
	if want.id != "" && want.id != got.id {
		bad = append(bad, "master_replid")
	}
	if want.id2 != "" && want.id2 != got.id2 {
		bad = append(bad, "master_replid2")
	}
	if want.second != "" && want.second != got.second {
		bad = append(bad, "second_repl_offset")
	}
	return strings.Join(bad, ", ")
}
