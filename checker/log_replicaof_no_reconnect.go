package checker

// replicaofNoReconnect checks that REPLICAOF does not reconnect to the
// master it leaves. Redis 7.0.15's replicationSetMaster and
// replicationUnsetMaster set server.masterhost to NULL before they free
// the master client, so replicationHandleMasterDisconnection logs no
// "Reconnecting to MASTER %s:%d" (nor cancelReplicationHandshake's "...
// after failure") for the link REPLICAOF drops. Such a line from the call
// that logged the process's "REPLICAOF %s:%d enabled" or "MASTER MODE
// enabled" line, before it, is a violation. A reconnection earlier in the
// instant, from another call, is not REPLICAOF's (seed 21436: a node
// resumed at the heal reconnected after its link's loss, then the heal's
// SLAVEOF NO ONE ran).
func replicaofNoReconnect(lines []LogLine) []Violation {
	last := map[process]*LogLine{} // the process's latest reconnection line
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch l.Format {
		case logReconnecting, logReconnectFailed:
			last[k] = l
		case logReplicaOfOn, logMasterMode:
			if r := last[k]; r != nil && r.At == l.At && r.Call == l.Call {
				out = append(out, lineViolation(l, "%q after %q in the same instant: REPLICAOF clears masterhost before it drops the master link (replicationSetMaster, replicationUnsetMaster), so that loss reconnects to nothing",
					l.Msg, r.Msg))
			}
			delete(last, k)
		}
	}
	return out
}
