package checker

import "fmt"

// checkPendingSyncStarts judges that a child's end starts the BGSAVE a
// replica waits for. syncCommand tells a replica that cannot attach to a
// running child to wait for the next BGSAVE for SYNC ("Can't attach the
// replica to the current BGSAVE...", "Current BGSAVE has socket
// target...", "No BGSAVE in progress, but another BG operation is
// active..."), and Redis 7.0.15's checkChildrenDone calls
// replicationStartPendingFork right after a child's done handler: with
// repl-diskless-sync no and a replica still waiting, that starts it at
// once ("Starting BGSAVE for SYNC with target: disk"), in the same
// instant as the end's line. The rule takes the ends a done handler logs
// (a save's success or error, a rewrite's success, a transfer's success)
// that leave no child of the incarnation running, and a replica waiting
// since before the end, named by its request line ("Replica %s asks for
// synchronization") and not lost since; a line of the incarnation at a
// later instant with no start in between is a violation. An incarnation
// whose child count goes negative (an end it cannot pair) is left from
// there on.
func checkPendingSyncStarts(in ChildJobsInput, byGen map[childKey][]int, agg *aggregator) {
	for _, k := range sortedChildKeys(byGen) {
		running := 0
		asker := ""
		var waiting []string // replicas told to wait, in the order they were
		var due *LogLine     // the end whose instant owes a start
	lines:
		for _, li := range byGen[k] {
			l := &in.Lines[li]
			if due != nil && l.At > due.At {
				agg.addV("sync_pending_start/"+l.Node, Violation{Detail: fmt.Sprintf(
					"%s logged %q at %s with replica %s waiting for the next BGSAVE for SYNC and repl-diskless-sync no, but no %q in that instant (its next line, %q, is at %s): "+
						"server.c checkChildrenDone calls replicationStartPendingFork right after the done handler",
					l.Node, due.Msg, seconds(due.At), waiting[0], logSyncToDisk, l.Msg, seconds(l.At)),
					At: due.At, Nodes: []string{l.Node}})
				due = nil
			}
			switch l.Format {
			case logAsksSync:
				asker = argAt(*l, 0)
			case logCantAttach, logSocketBgsave, logOtherChild, logDelayDiskless:
				if asker != "" {
					waiting = append(waiting, asker)
				}
			case logReplicaLost:
				for i, w := range waiting {
					if w == argAt(*l, 0) {
						waiting = append(waiting[:i], waiting[i+1:]...)
						break
					}
				}
			case logSyncToDisk, logSyncToSockets:
				waiting, due = waiting[:0], nil
			}
			dr, da, dx, _ := childDelta(l)
			running += dr + da + dx
			if running < 0 {
				break lines
			}
			switch l.Format {
			case logSaveDone, logSaveError, logAOFRWFinished, logSendDone:
				if running == 0 && len(waiting) > 0 && !l.DisklessSync {
					due = l
				}
			}
		}
	}
}
