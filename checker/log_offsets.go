package checker

import (
	"fmt"
	"strconv"
)

// The lines whose numbers are the node's replication offset at the time
// (Redis 7.0.15's texts).
const (
	logSecondaryID = "Setting secondary replication ID to %s, valid up to offset: %d. New replication ID is %s"
)

// logOffsetsAgree checks the offsets a node writes into its replication
// lines against its master_repl_offset when it wrote them (LogLine.ReplOffset):
//   - a replica's "Trying a partial resynchronization (request %s:%d)."
//     asks for the byte after the last it has (slaveTryPartialResynchronization:
//     the cached master's reploff+1, which is master_repl_offset);
//   - a master's "Partial resynchronization request from %s accepted.
//     Sending %d bytes of backlog starting from offset %d." sends every
//     byte from the requested offset to its own last one
//     (addReplyReplicationBacklog);
//   - "Setting secondary replication ID to %s, valid up to offset: %d. New
//     replication ID is %s" keeps the old history up to the byte after the
//     last (shiftReplicationId: master_repl_offset+1), under a new ID;
//   - "MASTER MODE enabled" (REPLICAOF NO ONE on a replica) comes right
//     after that shift and the lost replicas it disconnects
//     (replicationUnsetMaster).
func logOffsetsAgree(lines []LogLine) []Violation {
	var out []Violation
	bad := func(l LogLine, format string, args ...any) {
		out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): %q with master_repl_offset %d: ", l.Node, l.Gen, l.Msg, l.ReplOffset) + fmt.Sprintf(format, args...)})
	}
	arg := func(l LogLine, i int) (int64, bool) {
		if i >= len(l.Args) {
			return 0, false
		}
		v, err := strconv.ParseInt(l.Args[i], 10, 64)
		return v, err == nil
	}
	type genKey struct {
		node string
		gen  int
	}
	last := map[genKey]LogLine{}
	for _, l := range lines {
		k := genKey{l.Node, l.Gen}
		prev, hasPrev := last[k]
		if l.Format != logReplicaLost {
			// disconnectSlaves frees the replicas between the shift and
			// the MASTER MODE line.
			last[k] = l
		}
		switch l.Format {
		case logTryPartial:
			if off, ok := arg(l, 1); ok && off != l.ReplOffset+1 {
				bad(l, "the request should be the byte after the last it has, %d", l.ReplOffset+1)
			}
		case logPartialOK:
			n, ok1 := arg(l, 1)
			from, ok2 := arg(l, 2)
			if ok1 && ok2 && n != l.ReplOffset-from+1 {
				bad(l, "from offset %d to its last byte is %d bytes", from, l.ReplOffset-from+1)
			}
		case logSecondaryID:
			if off, ok := arg(l, 1); ok && off != l.ReplOffset+1 {
				bad(l, "the old history is valid up to the byte after its last, %d", l.ReplOffset+1)
			}
			if len(l.Args) == 3 && (l.Args[0] == l.Args[2] || !replIDForm.MatchString(l.Args[2])) {
				bad(l, "the new replication ID must be a fresh 40-hex ID")
			}
		case logMasterMode:
			if !hasPrev || prev.Format != logSecondaryID || prev.At != l.At {
				bad(l, "REPLICAOF NO ONE on a replica shifts its replication ID first (%q)", logSecondaryID)
			}
		}
	}
	return out
}
