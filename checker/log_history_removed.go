package checker

import (
	"fmt"
	"slices"
	"strings"
)

// historyRemoved checks that a rewrite that finishes removes the incr
// files the process appended to before it. A rewrite's start opens a new
// incr file ("Creating AOF incr file %s on background rewrite") and the
// one it leaves stays in the manifest's incr list; when a rewrite then
// finishes, its base holds all of them, so the done handler marks every
// incr file but the newest as history (markRewrittenIncrAofAsHistory) and
// removes the history ("Removing the history file %s in the background")
// before "Background AOF rewrite finished successfully". A process that
// loaded its manifest is judged from the file it opened at start.
func historyRemoved(lines []LogLine) []Violation {
	type state struct {
		current string          // the incr file appended to, "" unknown
		temp    string          // the temp incr file the running rewrite renamed to current
		left    []string        // incr files rewrites' starts left since the last success
		removed map[string]bool // since the child's end ("terminated with success")
	}
	states := map[process]*state{}
	var out []Violation
	for i := range lines {
		l := &lines[i]
		s := stateOf(states, processOf(l), func() *state { return &state{} })
		arg := argAt(*l, 0)
		switch l.Format {
		case logAOFOpened, logAOFCreatedAtStart:
			s.current = arg
		case logAOFCreatedOnRW:
			if s.current != "" && !isTempIncr(s.current) && !slices.Contains(s.left, s.current) {
				s.left = append(s.left, s.current)
			}
			s.current, s.temp = arg, ""
		case logRWRenamedIncr:
			if s.current == arg {
				s.current, s.temp = argAt(*l, 1), arg
			}
		case logAOFRWSuccess:
			s.removed = map[string]bool{}
		case logHistoryRemoved:
			if s.removed != nil {
				s.removed[arg] = true
			}
			if arg == s.current {
				// A rewrite with the AOF off made every incr file
				// history: none is appended to until the AOF is on again.
				s.current = ""
			}
		case logRewriteOK:
			var missing []string
			for _, f := range s.left {
				if !s.removed[f] {
					missing = append(missing, f)
				}
			}
			if len(missing) > 0 {
				out = append(out, Violation{Check: "node_log", At: l.At, Nodes: []string{l.Node},
					Detail: fmt.Sprintf("%s (incarnation %d): %q without removing %s, the incr file(s) rewrites' starts left since the last success: the finished rewrite's base holds them, so they become history and are removed first (aof.c markRewrittenIncrAofAsHistory, aofDelHistoryFiles)",
						l.Node, l.Gen, l.Msg, strings.Join(missing, ", "))})
			}
			s.left, s.temp, s.removed = nil, "", nil
		}
		if rewriteEndsFailed(l) && s.temp != "" {
			// The done handler removes the incr file it renamed: the
			// AOF still waits for a rewrite to turn it on.
			s.current, s.temp = s.temp, ""
		}
	}
	return out
}
