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
