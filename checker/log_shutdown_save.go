package checker

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Lines of a SHUTDOWN that saves (Redis 7.0.15's finishShutdown): it
// announces the save, rdbSave logs its success, and the node says
// goodbye, in that order and in one go.
const (
	logFinalSave   = "Saving the final RDB snapshot before exiting."
	logDBSaved     = "DB saved on disk"
	logReadyToExit = "Redis is now ready to exit, bye bye..."
	// rdbSave's lines for a save that failed, in the process or its
	// child: the temp file could not be opened, a write, fsync or close
	// failed (werr, with the call that failed), or the rename did.
	logSaveOpenError  = "Failed opening the temp RDB file "
	logSaveWriteError = "Write error saving DB on disk("
	logSaveMoveError  = "Error moving temp DB file "
	logBgsaveError    = "Background saving error"
	// finishShutdown's verdict on a failed final save.
	logFinalSaveFailed = "Error trying to save the DB, can't exit."
	logFinalSaveForced = "Error trying to save the DB. Exit anyway."
	// finishShutdown's error path (cancelShutdown follows).
	logShutdownErrors = "Errors trying to shut down the server. Check the logs for more information."
)

// saveFailures are the prefixes of rdbSave's failure lines.
var saveFailures = []string{logSaveOpenError, logSaveWriteError, logSaveMoveError}

// isSaveFailure says whether msg is one of rdbSave's failure lines.
func isSaveFailure(msg string) bool {
	for _, p := range saveFailures {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// checkSaveOutcomes flags a background save's failure that goes
// unexplained: a "Background saving error" follows one of the child's
// failure lines of rdbSave since the save started. (The final save's
// outcome is a pair of nextLines.)
func checkSaveOutcomes(lines []LogLine) []Violation {
	childErr := map[incarnation]bool{} // a write error since the last BGSAVE started
	var out []Violation
	bad := func(l *LogLine, format string, args ...any) {
		out = append(out, lineViolation(l, format, args...))
	}
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		switch {
		case l.Format == logSaveStarted:
			childErr[k] = false
		case isSaveFailure(l.Msg):
			childErr[k] = true
		case l.Msg == logBgsaveError:
			if !childErr[k] {
				bad(l, "%q with no failure line of rdbSave (%q...) since the save started: the child logs why it failed", l.Msg, saveFailures)
			}
		}
	}
	return out
}

// checkShutdownSave flags a final save that was not announced: an
// incarnation's "DB saved on disk" right before its "Redis is now ready
// to exit, bye bye...", in the same instant, is the shutdown's save, and
// finishShutdown logs "Saving the final RDB snapshot before exiting."
// right before it. (A SAVE while a shutdown waits for its replicas comes
// at another instant: gate seed 2051192.)
func checkShutdownSave(lines []LogLine) []Violation {
	last := map[incarnation][2]*LogLine{} // per incarnation, its last two lines
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := incarnationOf(l)
		prev := last[k]
		if l.Msg == logReadyToExit && prev[1] != nil && prev[1].Msg == logDBSaved && prev[1].At == l.At && (prev[0] == nil || prev[0].Msg != logFinalSave) {
			before := "nothing"
			if prev[0] != nil {
				before = fmt.Sprintf("%q", prev[0].Msg)
			}
			out = append(out, Violation{Check: "node_log", At: prev[1].At, Nodes: []string{l.Node},
				Detail: fmt.Sprintf("%s (incarnation %d): %q then %q, after %s: finishShutdown logs %q before its save",
					l.Node, l.Gen, logDBSaved, logReadyToExit, before, logFinalSave)})
		}
		last[k] = [2]*LogLine{prev[1], l}
	}
	return out
}

// checkShutdownLagLines judges finishShutdown's report of its replicas: a
// lagging replica not online has lag 0 (Redis counts the lag of online
// replicas only), and the count line is logged only with replicas
// ("%d of %d replicas are in sync", listLength(server.slaves) > 0).
//
// A replica is lagging when its acknowledged offset differs from the
// master's, so a lagging line never says 0 bytes behind, and the count
// line's in-sync replicas are its total less the lagging lines just
// before it (same node, same instant), which it follows at once.
func checkShutdownLagLines(lines []LogLine) []Violation {
	var out []Violation
	bad := func(l *LogLine, format string, args ...any) {
		out = append(out, lineViolation(l, "%q: "+format, append([]any{l.Msg}, args...)...))
	}
	lagging := map[nodeInstant]int{}
	open := map[string]int{} // per node, the lagging lines not yet followed by the count
	for i := range lines {
		l := &lines[i]
		k := nodeInstant{l.Node, l.At}
		if open[l.Node] > 0 && l.Format != logLaggingReplica && l.Format != logInSyncAtShutdown {
			bad(l, "%d lines %q came right before it: finishShutdown follows them with %q", open[l.Node], logLaggingReplica, logInSyncAtShutdown)
			open[l.Node] = 0
		}
		switch l.Format {
		case logLaggingReplica:
			lagging[k]++
			open[l.Node]++
			if len(l.Args) == 4 && l.Args[3] != "online" && l.Args[2] != "0" {
				bad(l, "a replica in state %s has lag 0 in Redis (finishShutdown counts an online replica's only)", l.Args[3])
			}
			if len(l.Args) == 4 && l.Args[1] == "0" {
				bad(l, "finishShutdown reports only a replica whose acknowledged offset differs from the master's")
			}
			if behind, err := strconv.ParseInt(argAt(*l, 1), 10, 64); err == nil && behind > l.ReplOffset {
				bad(l, "%d bytes behind a master_repl_offset of %d: finishShutdown logs the master's offset less the replica's acknowledged one, which is never below 0", behind, l.ReplOffset)
			}
		case logInSyncAtShutdown:
			if len(l.Args) == 2 && l.Args[1] == "0" {
				bad(l, "Redis logs the count only when it has replicas")
			}
			if len(l.Args) == 2 {
				inSync, err1 := strconv.Atoi(l.Args[0])
				total, err2 := strconv.Atoi(l.Args[1])
				if err1 == nil && err2 == nil && total-inSync != lagging[k] {
					bad(l, "%d lagging replica lines came before it in that instant, so %d of %d are in sync", lagging[k], total-lagging[k], total)
				}
			}
			lagging[k] = 0
			open[l.Node] = 0
		}
	}
	return out
}

// CheckShutdownNoSave judges SHUTDOWN NOSAVE, and a signal's shutdown
// whose flags (shutdown-on-sigterm / -sigint) hold NOSAVE, against the
// node's log: a NOSAVE that starts a shutdown never saves (finishShutdown
// saves only without NOSAVE), so no "Saving the final RDB snapshot before
// exiting." comes from the call (for a signal: from the serverCron that
// starts its shutdown) until the incarnation's next record (which may
// change what happens) or its end. A SHUTDOWN that joins a shutdown under
// way is not judged, nor a signal's serverCron that starts nothing: the
// first one's flags decide (prepareForShutdown returns at once when a
// shutdown is initiated).
func CheckShutdownNoSave(calls []ShutdownCall, lines []LogLine) []Violation {
	states := replayShutdowns(calls, lines)
	var out []Violation
	for i, c := range calls {
		st := states[i]
		nosave, abort := false, false
		for _, a := range c.Args {
			nosave = nosave || strings.EqualFold(a, "NOSAVE")
			abort = abort || strings.EqualFold(a, "ABORT")
		}
		if c.Cron {
			// The signal's shutdown starts here if its request stands
			// and none is under way (CheckSignalShutdowns judges that
			// it does), with its flags.
			if !st.asap || st.waiting || st.blocked > 0 || !shutdownOnSigFlags(st.flags).nosave {
				continue
			}
			end := nextCallLogs(calls, i, len(lines))
			for j := c.Logs; j < end; j++ {
				if l := &lines[j]; l.Node == c.Node && l.Gen == c.Gen && l.Msg == logFinalSave {
					out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
						Detail: fmt.Sprintf("%s (incarnation %d): %q in the shutdown a signal requested, started by the serverCron at %s, with flags %q: NOSAVE does not save",
							l.Node, l.Gen, l.Msg, seconds(c.At), st.flags)})
					break
				}
			}
			continue
		}
		joins := st.blocked > 0 || st.waiting
		if !nosave || joins || c.Exit || abort || c.Signal {
			continue
		}
		until := int64(math.MaxInt64)
		for _, d := range calls[i+1:] {
			if d.Node == c.Node && d.Gen == c.Gen && !d.Exit && d.At > c.At {
				until = d.At
				break
			}
		}
		for j := range lines {
			l := &lines[j]
			if l.Node == c.Node && l.Gen == c.Gen && l.At >= c.At && l.At < until && l.Msg == logFinalSave {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q after %s at %s, which started the shutdown: a SHUTDOWN NOSAVE does not save",
						l.Node, l.Gen, l.Msg, strings.Join(c.Args, " "), seconds(c.At))})
				break
			}
		}
	}
	return out
}
