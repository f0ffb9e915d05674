package checker

import (
	"fmt"
	"strings"
)

// transferFailures are the lines of a replica's failed attempt after which
// Redis 7.0.15 runs cancelReplicationHandshake(1): the transfer's errors
// (readSyncBulkPayload) and the cron's two timeouts (replicationCron).
var transferFailures = []string{
	"MASTER aborted replication with an error: ",
	"Bad protocol from MASTER, the first byte is not '$'",
	"I/O error trying to sync with MASTER: ",
	"Failed trying to load the MASTER synchronization DB",
	"Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ",
	"Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ",
	"Failed trying to rename the temp DB into ",
	"Failed trying to sync DB directory ",
	"Timeout connecting to the MASTER...",
	"Timeout receiving bulk data from MASTER...",
}

// reconnectsAfterFailure checks that a replica whose attempt failed that
// way reconnects at once: cancelReplicationHandshake(1) logs "Reconnecting
// to MASTER %s:%d after failure" and calls connectWithMaster, so that line
// is the process's next one. A process that logged nothing after the
// failure (it went down) is not judged.
func reconnectsAfterFailure(lines []LogLine) []Violation {
	pending := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		if f := pending[k]; f != nil {
			delete(pending, k)
			if l.Format != logReconnectFailed {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q at %s is followed by %q, not %q: cancelReplicationHandshake(1) reconnects at once",
						l.Node, l.Gen, f.Msg, seconds(f.At), l.Msg, logReconnectFailed)})
			}
		}
		for _, p := range transferFailures {
			if strings.HasPrefix(l.Msg, p) {
				pending[k] = l
				break
			}
		}
	}
	return out
}
