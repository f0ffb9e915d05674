package checker

import "fmt"

// Lines of a SHUTDOWN that saves (Redis 7.0.15's finishShutdown): it
// announces the save, rdbSave logs its success, and the node says
// goodbye, in that order and in one go.
const (
	logFinalSave   = "Saving the final RDB snapshot before exiting."
	logDBSaved     = "DB saved on disk"
	logReadyToExit = "Redis is now ready to exit, bye bye..."
)

// checkShutdownSave flags a final save that was not announced: an
// incarnation's "DB saved on disk" right before its "Redis is now ready
// to exit, bye bye..." is the shutdown's save, and finishShutdown logs
// "Saving the final RDB snapshot before exiting." right before it.
func checkShutdownSave(lines []LogLine) []Violation {
	type gen struct {
		node string
		n    int
	}
	last := map[gen][2]*LogLine{} // per incarnation, its last two lines
	var out []Violation
	for i := range lines {
		l := &lines[i]
		k := gen{l.Node, l.Gen}
		prev := last[k]
		if l.Msg == logReadyToExit && prev[1] != nil && prev[1].Msg == logDBSaved && (prev[0] == nil || prev[0].Msg != logFinalSave) {
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
