package checker

import "strconv"

// childPidsNamed checks the pids a process's fork lines give: fork()
// returns the child's pid, above 0, to the parent, which logs it
// ("Background saving started by pid %d", "Background RDB transfer
// started by pid %d", "Background append only file rewriting started by
// pid %d"); and killAppendOnlyChild's "Killing running AOF rewrite child:
// %d" names server.child_pid, the pid the running rewrite's start line
// gave: the latest one of the process.
func childPidsNamed(lines []LogLine) []Violation {
	rewrite := map[process]string{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		switch l.Format {
		case logSaveStarted, logSendStarted, logAOFRWStarted:
			if len(l.Args) == 0 {
				continue
			}
			if pid, err := strconv.Atoi(l.Args[0]); err != nil || pid <= 0 {
				out = append(out, lineViolation(l, "%q: fork() gives the parent a child's pid, above 0", l.Msg))
			}
			if l.Format == logAOFRWStarted {
				rewrite[processOf(l)] = l.Args[0]
			}
		case logRWKillChild:
			started, ok := rewrite[processOf(l)]
			if ok && len(l.Args) > 0 && l.Args[0] != started {
				out = append(out, lineViolation(l, "%q, but the running rewrite's start line named pid %s: Redis kills server.child_pid", l.Msg, started))
			}
		}
	}
	return out
}
