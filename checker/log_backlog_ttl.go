package checker

import (
	"fmt"
	"strconv"
)

// backlogTTLKept checks the lower bound of repl-backlog-ttl: Redis's
// replicationCron frees a master's backlog only once it has had no
// replicas for more than the TTL, in whole seconds of its clock
// (server.unixtime - repl_no_slaves_since > repl_backlog_time_limit), that
// time counting from its start, its last replica's loss ("Connection with
// replica %s lost.") or its promotion ("MASTER MODE enabled"), whichever
// came last. The TTL is the one the line names.
func backlogTTLKept(lines []LogLine) []Violation {
	type genKey struct {
		node string
		gen  int
	}
	since := map[genKey]LogLine{}
	var out []Violation
	for _, l := range lines {
		k := genKey{l.Node, l.Gen}
		switch p, seen := since[k]; {
		case !seen, l.Format == logReplicaLost, l.Format == logMasterMode:
			since[k] = l
		case l.Format == logBacklogFreed && len(l.Args) == 1:
			ttl, err := strconv.ParseInt(l.Args[0], 10, 64)
			if err != nil {
				continue
			}
			if idle := floorDiv(l.ClockMs, 1000) - floorDiv(p.ClockMs, 1000); idle <= ttl {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q %d s (whole seconds of its clock) after %q: Redis frees the backlog only after more than repl-backlog-ttl without replicas",
						l.Node, l.Gen, l.Msg, idle, p.Msg)})
			}
		}
	}
	return out
}
