package checker

import (
	"fmt"
	"slices"
	"strings"
)

// logSavePoint is serverCron's line for a save point that fires.
const logSavePoint = "%d changes in %d seconds. Saving..."

// logWritingInitialAOF is finishShutdown's refusal to exit while the
// rewrite that turns the AOF on runs.
const logWritingInitialAOF = "Writing initial AOF, can't exit."

// nextLine is a pair of lines Redis writes in one call: the line of an
// incarnation right after one matching After matches one of Next. A
// pattern matches a line's printf format or the start of its message.
type nextLine struct {
	After string
	// Before, when set, limits the pair to an After that comes right
	// after a line matching it.
	Before string
	Next   []string
	Why    string
}

// nextLines are the pairs the node's log must keep.
var nextLines = []nextLine{
	{After: logSavePoint, Next: []string{logSaveStarted},
		Why: "serverCron's save point calls rdbSaveBackground at once, which logs the fork"},
	{After: logFinalSave, Next: append([]string{logDBSaved}, saveFailures...),
		Why: "finishShutdown's rdbSave logs its outcome"},
	{After: logSaveOpenError, Before: logFinalSave, Next: []string{logFinalSaveFailed, logFinalSaveForced},
		Why: "finishShutdown judges its failed save at once"},
	{After: logSaveWriteError, Before: logFinalSave, Next: []string{logFinalSaveFailed, logFinalSaveForced},
		Why: "finishShutdown judges its failed save at once"},
	{After: logSaveMoveError, Before: logFinalSave, Next: []string{logFinalSaveFailed, logFinalSaveForced},
		Why: "finishShutdown judges its failed save at once"},
	{After: logFinalSaveFailed, Next: []string{logShutdownErrors},
		Why: "finishShutdown goes to its error path at once"},
	{After: logWritingInitialAOF, Next: []string{logShutdownErrors},
		Why: "finishShutdown goes to its error path at once"},
	{After: logWrongChecksum, Next: []string{logRDBInternalError},
		Why: "rdbLoad reports the CRC error through rdbReportCorruptRDB at once"},
	{After: logRDBShortRead, Next: []string{logRDBInternalError},
		Why: "rdbLoadRio's eoferr reports the short read through rdbReportReadError at once"},
	{After: "Error truncating the AOF file ", Next: []string{"Unexpected end of file reading the append only file "},
		Why: "loadSingleAppendOnlyFile goes to its uxeof path when the truncation fails, which logs the unexpected end"},
	{After: logReconnectFailed, Next: []string{"MASTER <-> REPLICA sync started", "Unable to connect to MASTER: "},
		Why: "cancelReplicationHandshake(1) calls connectWithMaster at once, which logs either"},
	{After: logKillAOF, Next: []string{logRWKillChild},
		Why: "finishShutdown calls killAppendOnlyChild at once, which logs the pid it kills"},
	{After: logReconnecting, Next: []string{"MASTER <-> REPLICA sync started", "Unable to connect to MASTER: "},
		Why: "replicationHandleMasterDisconnection calls connectWithMaster at once, which logs either"},
}

// logRDBInternalError starts rdbReportError's line.
const logRDBInternalError = "Internal error in RDB reading offset "

// prevLine is the reverse pair: the line before finishShutdown's error
// line is the reason it gave up (its only two goto error paths).
var prevLine = nextLine{After: logShutdownErrors, Next: []string{logWritingInitialAOF, logFinalSaveFailed},
	Why: "finishShutdown gives up only after one of them"}

func (p nextLine) matches(pattern string, l *LogLine) bool {
	return l.Format == pattern || strings.HasPrefix(l.Msg, pattern)
}

// checkNextLines flags a line of nextLines followed by another line than
// its pair's.
func checkNextLines(lines []LogLine) []Violation {
	pending := map[incarnation]*nextLine{}
	prev := map[incarnation]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		if p := pending[k]; p != nil {
			ok := false
			for _, n := range p.Next {
				ok = ok || p.matches(n, l)
			}
			if !ok {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q right after a line %q: the next line is one of %q (%s)",
						l.Node, l.Gen, l.Msg, p.After, p.Next, p.Why)})
			}
		}
		if prevLine.matches(prevLine.After, l) && !slices.ContainsFunc(prevLine.Next, func(p string) bool { return prev[k] != nil && prevLine.matches(p, prev[k]) }) {
			before := "nothing"
			if prev[k] != nil {
				before = fmt.Sprintf("%q", prev[k].Msg)
			}
			out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q right after %s: the line before it is one of %q (%s)",
					l.Node, l.Gen, l.Msg, before, prevLine.Next, prevLine.Why)})
		}
		pending[k] = nil
		for j := range nextLines {
			n := &nextLines[j]
			if n.matches(n.After, l) && (n.Before == "" || prev[k] != nil && n.matches(n.Before, prev[k])) {
				pending[k] = n
			}
		}
		prev[k] = l
	}
	return out
}
