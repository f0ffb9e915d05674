package checker

// checkEnabledOtherChild judges startAppendOnly's "AOF was enabled but
// there is already another background operation. An AOF background was
// scheduled to start when possible.": Redis 7.0.15 logs it only when a
// child other than an AOF rewrite is active (hasActiveChildProcess,
// after killing a rewrite): an RDB save, to disk or to replicas' sockets,
// started and not yet reaped by the incarnation (childDelta).
func checkEnabledOtherChild(lines []LogLine) []Violation {
	running := map[childKey]int{} // RDB children and diskless transfers
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := childKey{l.Node, l.Gen}
		rdb, _, xfer, _ := childDelta(l)
		running[k] = max(0, running[k]+rdb+xfer)
		if l.Format == logEnabledOtherChild && running[k] == 0 {
			out = append(out, lineViolation(l, "%q with no RDB save or diskless transfer running (none started and not yet reaped in its incarnation): startAppendOnly schedules the rewrite only while another child is active",
				l.Msg))
		}
	}
	return out
}
