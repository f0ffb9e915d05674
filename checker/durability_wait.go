package checker

import (
	"math"
	"strings"
)

// The AOF a switch to appendonly yes, or a replica's restart of it after a
// full sync, turns on promises nothing until the background rewrite that
// turns it on has ended (startAppendOnly sets AOF_WAIT_REWRITE, and only
// backgroundRewriteDoneHandler's success sets AOF_ON): meanwhile writes go
// to a temp incr file, fsynced under always, that no manifest lists, so a
// crash then restarts from the manifest of before. The wait begins with
// the rewrite's temp incr file, or the line scheduling the rewrite, and
// ends with "Background AOF rewrite finished successfully" in the same
// incarnation.

// aofWaitStarts are the lines with which the AOF begins to wait (besides
// the temp incr file's logAOFCreatedOnRW).
var aofWaitStarts = map[string]bool{logEnabledOtherChild: true, logEnabledInExec: true}

// aofWaitLines keeps, per node, the lines that begin or end a wait, and
// the first line of each incarnation (which ends any), in order.
func aofWaitLines(lines []LogLine) map[string][]LogLine {
	out := map[string][]LogLine{}
	gens := map[string]int{}
	for _, l := range lines {
		g, seen := gens[l.Node]
		if !seen || g != l.Gen || aofWaitStarts[l.Format] || l.Format == logAOFRWFinished || isTempIncrLine(l) {
			out[l.Node] = append(out[l.Node], l)
			gens[l.Node] = l.Gen
		}
	}
	return out
}

// isTempIncrLine is openNewIncrAofForAppend's line for the temp incr file
// (getTempIncrAofName), which it opens only while the AOF waits.
func isTempIncrLine(l LogLine) bool {
	return l.Format == logAOFCreatedOnRW && len(l.Args) > 0 && strings.HasPrefix(l.Args[0], "temp-")
}

// aofWaitingAt returns when the AOF of node's incarnation that crashed at
// crashAt began the wait it was still in then, if it was in one.
func aofWaitingAt(lines []LogLine, crashAt int64) (int64, bool) {
	gen, waiting, since := -1, false, int64(0)
	for _, l := range lines {
		if l.At > crashAt || gen != -1 && l.Gen != gen && l.At == crashAt {
			// A new incarnation's lines at the crash's instant are its
			// restart's (an exit after the heal restarts at once: seed
			// 70560 of the protocol family alone).
			break
		}
		if l.Gen != gen {
			gen, waiting = l.Gen, false
		}
		switch {
		case l.Format == logAOFRWFinished:
			waiting = false
		case !waiting && (aofWaitStarts[l.Format] || isTempIncrLine(l)):
			waiting, since = true, l.At
		}
	}
	return since, waiting
}

// AOFWaiting says whether node's last incarnation in lines ends with its
// AOF waiting for the rewrite that turns it on.
func AOFWaiting(lines []LogLine, node string) bool {
	_, waiting := aofWaitingAt(aofWaitLines(lines)[node], math.MaxInt64)
	return waiting
}
