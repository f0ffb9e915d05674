package checker

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// A documented Redis 7.0.15 divergence (scripts/flushall-restart-divergence.sh
// shows it on two real redis-server processes): FLUSHALL with save rules
// saves the emptied dataset before it is propagated, so the RDB records the
// replication offset just before the FLUSHALL. A master killed before the
// FLUSHALL reaches a replica and restarted from that RDB keeps its old
// replication ID as its secondary ID up to that offset, so the replica,
// stopped at exactly that offset, resumes by partial resync and keeps the
// keys its master flushed. The convergence check reports the difference
// in data such a replica (or a replica below it) shows as a hazard.

// FlushallResume names the node's last resume across such an RDB, or ""
// if it never resumed across one: a restart of a node whose loaded RDB
// carried offset S of its old history, where the node's own stream under
// that history went on at S with a FLUSHALL, and the replica had applied
// that history up to S and not the FLUSHALL, and took no full sync since.
func FlushallResume(chunks []StreamChunk, restarts []Restart, syncs []FullSync, replica string) string {
	for _, r := range slices.Backward(flushallResumes(chunks, restarts, syncs, replica)) {
		if !fullSyncSince(syncs, replica, r.Seq) {
			return flushallWhy(r, replica)
		}
	}
	return ""
}

// flushallResumes lists the restarts, in order, across whose RDB the
// replica may have resumed (FlushallResume), full syncs since or not.
func flushallResumes(chunks []StreamChunk, restarts []Restart, syncs []FullSync, replica string) []Restart {
	var out []Restart
	for _, r := range restarts {
		if r.Node == replica || r.Repl.ReplID2 == "" || r.Repl.SecondOffset <= 0 {
			continue
		}
		id, at := r.Repl.ReplID2, r.Repl.SecondOffset-1
		if flushallAt(chunks, r.Node, id, at, r.Seq) && stoppedAt(chunks, syncs, replica, id, at) {
			out = append(out, r)
		}
	}
	return out
}

func flushallWhy(r Restart, replica string) string {
	return fmt.Sprintf("%s restarted at %s from the RDB FLUSHALL saved at offset %d of %s, before propagating the FLUSHALL; %s had stopped at that offset, resumed by partial resync and kept the keys its master flushed (Redis 7.0.15 does the same: FLUSHALL's RDB records the offset before it)",
		r.Node, seconds(r.RestartAt), r.Repl.SecondOffset-1, short(r.Repl.ReplID2), replica)
}

// flushallAt reports whether node, as a master under replid, propagated a
// FLUSHALL at offset at (after a SELECT the tap may report on its own),
// before event seq.
func flushallAt(chunks []StreamChunk, node, replid string, at int64, seq int) bool {
	for pos, moved := at, true; moved; {
		moved = false
		for _, c := range chunks {
			if c.Seq >= seq || c.Node != node || c.Replica || c.ReplID != replid || c.Start != pos {
				continue
			}
			names := commandNames(c.Data)
			if len(names) == 1 && names[0] == "select" {
				pos, moved = c.End(), true
				break
			}
			return slices.Contains(names, "flushall")
		}
	}
	return false
}

// commandNames lists the lower-cased names of the commands in propagated
// bytes, nil if they do not parse.
func commandNames(data []byte) []string {
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	var names []string
	var argv [][]byte
	for off := 0; off < len(data); {
		args, k, err := resp.ParseCommand(data[off:], argv[:0], &lim)
		if err != nil || k == 0 {
			return nil
		}
		if len(args) > 0 {
			names = append(names, strings.ToLower(string(args[0])))
		}
		argv, off = args, off+k
	}
	return names
}

// stoppedAt reports whether the replica held history replid up to offset
// at (a chunk applied or a full sync ending there) and never applied the
// chunk that starts there.
func stoppedAt(chunks []StreamChunk, syncs []FullSync, replica, replid string, at int64) bool {
	reached := false
	for _, c := range chunks {
		if c.Node != replica || !c.Replica || c.ReplID != replid {
			continue
		}
		if c.Start == at {
			return false
		}
		reached = reached || c.End() == at
	}
	for _, s := range syncs {
		reached = reached || (s.Node == replica && s.ReplID == replid && s.Offset == at)
	}
	return reached
}

// fullSyncSince reports whether the replica took a full sync after seq.
func fullSyncSince(syncs []FullSync, replica string, seq int) bool {
	for _, s := range syncs {
		if s.Node == replica && s.Seq > seq {
			return true
		}
	}
	return false
}
