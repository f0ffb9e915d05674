package checker

import "strconv"

// logSendLastDropped is rdbPipeReadHandler's line when no replica is left
// to write the transfer to; it kills the child.
const logSendLastDropped = "Diskless rdb transfer, last replica dropped, killing fork child."

// pipeDoneCounts checks a diskless transfer's end against the replicas it
// puts online. rdbPipeReadHandler logs "Diskless rdb transfer, done
// reading from pipe, %d replicas still up." at the pipe's end, and only
// those replicas can reach the child's reap, where
// updateSlavesWaitingBgsave logs "Streamed RDB transfer with replica %s
// succeeded (socket)..." for each still there; after "Diskless rdb
// transfer, last replica dropped, killing fork child." none does, and
// none comes before the pipe's end is logged. So,
// until the process's next transfer starts, the streamed lines are at most
// the count the pipe's end gave, and none follow the last replica's drop.
// And the child is reaped ("Background RDB transfer terminated with
// success", or "... by signal") before the process forks again: Redis
// runs one child at a time.
func pipeDoneCounts(lines []LogLine) []Violation {
	type transfer struct {
		end      *LogLine
		up       int
		streamed int
		reaped   bool
	}
	cur := map[process]*transfer{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch l.Format {
		case logSaveStarted, logSendStarted, logAOFRWStarted:
			if t := cur[k]; t != nil && t.end != nil && !t.reaped {
				out = append(out, lineViolation(l, "%q with the diskless transfer that logged %q at %s not reaped (no %q): Redis runs one child at a time",
					l.Msg, t.end.Msg, seconds(t.end.At), logSendDone))
			}
			delete(cur, k)
			if l.Format == logSendStarted {
				cur[k] = &transfer{}
			}
		case logSendDone, logSendBySignal:
			if t := cur[k]; t != nil {
				t.reaped = true
			}
		case logSendPipeDone, logSendLastDropped:
			t := &transfer{end: l}
			if l.Format == logSendPipeDone && len(l.Args) > 0 {
				t.up, _ = strconv.Atoi(l.Args[0])
			}
			cur[k] = t
		case logStreamedRDB:
			t := cur[k]
			if t == nil {
				continue
			}
			if t.end == nil {
				out = append(out, lineViolation(l, "%q with no end of the transfer's pipe logged since it started (%q or %q): rdbPipeReadHandler logs it before the child can be reaped",
					l.Msg, logSendPipeDone, logSendLastDropped))
				t.end = l // once
				continue
			}
			t.streamed++
			if t.streamed > t.up {
				out = append(out, lineViolation(l, "%q after %q at %s: the child's reap puts online only replicas the pipe's end still had (%d)",
					l.Msg, t.end.Msg, seconds(t.end.At), t.up))
			}
		}
	}
	return out
}
