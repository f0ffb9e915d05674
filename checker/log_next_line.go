package checker

import (
	"fmt"
	"strings"
)

// logSavePoint is serverCron's line for a save point that fires.
const logSavePoint = "%d changes in %d seconds. Saving..."

// nextLine is a pair of lines Redis writes in one call: the line of an
// incarnation right after one matching After matches one of Next. A
// pattern matches a line's printf format or the start of its message.
type nextLine struct {
	After string
	Next  []string
	Why   string
}

// nextLines are the pairs the node's log must keep.
var nextLines = []nextLine{
	{After: logSavePoint, Next: []string{logSaveStarted},
		Why: "serverCron's save point calls rdbSaveBackground at once, which logs the fork"},
	{After: logFinalSave, Next: []string{logDBSaved, logSaveWriteError},
		Why: "finishShutdown's rdbSave logs its outcome"},
}

func (p nextLine) matches(pattern string, l *LogLine) bool {
	return l.Format == pattern || strings.HasPrefix(l.Msg, pattern)
}

// checkNextLines flags a line of nextLines followed by another line than
// its pair's.
func checkNextLines(lines []LogLine) []Violation {
	pending := map[incarnation]*nextLine{}
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
		pending[k] = nil
		for j := range nextLines {
			if nextLines[j].matches(nextLines[j].After, l) {
				pending[k] = &nextLines[j]
			}
		}
	}
	return out
}
