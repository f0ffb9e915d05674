package checker

import "fmt"

// killedSavesStayKilled checks that an RDB child SHUTDOWN killed ("There
// is a child saving an .rdb. Killing it!", killRDBChild's SIGUSR1) never
// ends well: when the shutdown then fails and the node stays up,
// checkChildrenDone reaps it as "terminated by signal 10", and until a
// new child starts no end of a save or transfer reports success or a
// save's error, not even after that reap (a child that was not killed
// would end a second time).
func killedSavesStayKilled(lines []LogLine) []Violation {
	killed := map[process]*LogLine{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := processOf(l)
		switch l.Format {
		case logKillRDB:
			killed[k] = l
		case logSaveStarted, logSendStarted:
			delete(killed, k)
		case logSaveDone, logSaveError, logSendDone:
			if kill := killed[k]; kill != nil {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q at %s for the RDB child SHUTDOWN killed at %s (%q): a killed child ends by signal 10",
						l.Node, l.Gen, l.Msg, seconds(l.At), seconds(kill.At), kill.Msg)})
				delete(killed, k)
			}
		}
	}
	return out
}

// shutdownKillsRDBChild checks finishShutdown's first step: with an RDB
// child running (a BGSAVE, a BGSAVE for SYNC to disk or to replicas'
// sockets), SHUTDOWN logs "There is a child saving an .rdb. Killing it!"
// before anything else it does about the AOF, the final save or the
// exit. The log's start and end lines count the children of a process.
func shutdownKillsRDBChild(lines []LogLine) []Violation {
	type state struct {
		rdb    int  // RDB children and diskless transfers running
		killed bool // the shutdown's kill line since the last start
	}
	states := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		s := stateOf(states, processOf(l), func() *state { return &state{} })
		rdb, _, xfer, start := childDelta(l)
		s.rdb += rdb + xfer
		if start && rdb+xfer > 0 {
			s.killed = false
		}
		switch l.Format {
		case logKillRDB:
			s.killed = true
		case logKillAOF, logWritingInitialAOF, logWritingInitialAOFForced, logShutdownFsync, logFinalSave, logReadyToExit, logShutdownErrors:
			if s.rdb > 0 && !s.killed {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q at %s with an RDB child running and no %q before it: SHUTDOWN kills the RDB child first (server.c finishShutdown)",
						l.Node, l.Gen, l.Msg, seconds(l.At), logKillRDB)})
				s.killed = true // one report per shutdown
			}
		}
	}
	return out
}
