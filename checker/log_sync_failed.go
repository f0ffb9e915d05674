package checker

// logSyncFailed is updateSlavesWaitingBgsave's line for each replica that
// waited for a BGSAVE that failed (it frees the replica, which logs its
// loss after).
const logSyncFailed = "SYNC failed. BGSAVE child returned an error"

// syncFailuresLogged checks that a replica link lost in the call where a
// BGSAVE ended badly (its error line, or its child killed by a signal) is
// lost for that failure with updateSlavesWaitingBgsave's line: a call
// that logs such an end and then a "Connection with replica %s lost."
// logs at least one "SYNC failed. BGSAVE child returned an error" between
// them. (A call is one event the node handled: the loss of a replica that
// did not wait for the save would need another cause in the same event;
// a socket transfer killed because its last replica went has that cause.)
func syncFailuresLogged(lines []LogLine) []Violation {
	type call struct {
		node string
		proc int
		call int
	}
	failedAt := map[call]*LogLine{}
	explained, dropped := map[call]bool{}, map[call]bool{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := call{l.Node, l.Proc, l.Call}
		switch {
		case l.Msg == logSaveError || l.Format == logSaveBySignal || l.Format == logSendBySignal:
			failedAt[k], explained[k] = l, false
		case l.Msg == logSyncFailed:
			explained[k] = true
		case l.Msg == logSendLastDropped:
			// The transfer killed because its last replica went: that
			// replica's loss is the cause, no replica waits (seed 6103801).
			dropped[k] = true
		case l.Format == logReplicaLost:
			if f := failedAt[k]; f != nil && !explained[k] && !dropped[k] {
				out = append(out, lineViolation(l, "%q right after %q in the same event, with no %q: updateSlavesWaitingBgsave logs it for each replica that waited for the failed save",
					l.Msg, f.Msg, logSyncFailed))
				delete(failedAt, k)
			}
		}
	}
	return out
}
