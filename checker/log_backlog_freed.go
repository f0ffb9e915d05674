package checker

// checkBacklogTTLZero judges "Replication backlog freed after %d seconds
// without connected replicas.": replicationCron frees an idle backlog only
// when repl-backlog-ttl is not 0 (0 keeps it forever), and the line names
// that ttl, so it never says 0 seconds.
func checkBacklogTTLZero(lines []LogLine) []Violation {
	var out []Violation
	for _, l := range lines {
		if l.Format == logBacklogFreed && len(l.Args) == 1 && l.Args[0] == "0" {
			out = append(out, lineViolation(&l, "%q: repl-backlog-ttl 0 keeps the backlog forever (replicationCron frees it only for a ttl other than 0)", l.Msg))
		}
	}
	return out
}
