package checker

import "fmt"

// restartAOFAfterSYNC's lines (replication.c, Redis 7.0.15): a failed try,
// and the exit after the last one.
const (
	logAOFRestartRetry = "Failed enabling the AOF after successful master synchronization! Trying it again in one second."
	logAOFRestartFatal = "FATAL: this replica instance finished the synchronization with its master, but the AOF can't be turned on. Exiting now."
	// aofRestartMaxTries is restartAOFAfterSYNC's max_tries.
	aofRestartMaxTries = 10
)

// aofRestartTriesKept checks restartAOFAfterSYNC's count: it tries
// startAppendOnly at most ten times, logging each failure, sleeping a
// second between tries, and exits with its FATAL line only after the tenth
// failure, and right after it: the process's next line is the FATAL one.
// Its tries in a row are counted from the event that calls it: a
// replica's full sync (its "Flushing old data" or "Loading DB in memory"
// line comes first) or a promotion (replicationUnsetMaster's "Setting
// secondary replication ID" line comes first); nothing else runs while it
// sleeps.
func aofRestartTriesKept(lines []LogLine) []Violation {
	tries := map[incarnation]int{}
	tenth := map[incarnation]bool{} // the incarnation's last line was its tenth failed try
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		if tenth[k] && l.Msg != logAOFRestartFatal {
			out = append(out, lineViolation(l, "%q after the tenth %q: restartAOFAfterSYNC sleeps a second, then logs %q and exits", l.Msg, logAOFRestartRetry, logAOFRestartFatal))
		}
		tenth[k] = l.Msg == logAOFRestartRetry && tries[k]+1 == aofRestartMaxTries
		switch {
		case l.Format == logFlushingOld || l.Format == logLoadingDB || l.Format == logSecondaryID:
			tries[k] = 0
		case l.Msg == logAOFRestartRetry:
			tries[k]++
			if tries[k] > aofRestartMaxTries {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q for the %dth time in a row: restartAOFAfterSYNC tries %d times, then exits",
						l.Node, l.Gen, l.Msg, tries[k], aofRestartMaxTries)})
			}
		case l.Msg == logAOFRestartFatal && tries[k] != aofRestartMaxTries:
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q after %d failed tries in a row: restartAOFAfterSYNC exits after exactly %d",
					l.Node, l.Gen, l.Msg, tries[k], aofRestartMaxTries)})
		}
	}
	return out
}

// aofRestartFailuresExplained checks that each failed try of
// restartAOFAfterSYNC follows startAppendOnly's own failure line: its only
// failure is a rewrite that cannot start, which it logs ("Redis needs to
// enable the AOF but can't trigger a background AOF rewrite operation")
// just before returning C_ERR. So the process's line before "Failed
// enabling the AOF after successful master synchronization!" is that one.
func aofRestartFailuresExplained(lines []LogLine) []Violation {
	prev := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		if l.Msg == logAOFRestartRetry {
			if p := prev[k]; p == nil || p.Msg != logAOFEnableFailed {
				before := "no line"
				if p != nil {
					before = fmt.Sprintf("%q", p.Msg)
				}
				out = append(out, lineViolation(l, "%q after %s: startAppendOnly fails only when its rewrite cannot start, and logs %q before it returns",
					l.Msg, before, logAOFEnableFailed))
			}
		}
		prev[k] = l
	}
	return out
}
