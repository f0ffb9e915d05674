package checker

import "fmt"

// CheckRefusalsLogged judges that a node that refused to start said why:
// Redis 7.0.15 logs every reason it exits for while loading its files
// (a bad format, an unexpected end, a damaged manifest, a file it cannot
// open, "Fatal error loading the DB: ..."), so a failed restart
// (EventRestartFailed) has at least one line of its node in its instant.
func CheckRefusalsLogged(events []NodeEvent, lines []LogLine) []Violation {
	logged := map[nodeInstant]bool{}
	for _, l := range lines {
		logged[nodeInstant{l.Node, l.At}] = true
	}
	agg := newAggregator()
	for _, e := range events {
		if e.Kind != EventRestartFailed || logged[nodeInstant{e.Node, e.At}] {
			continue
		}
		agg.addV("refusal-logged/"+e.Node, Violation{Detail: fmt.Sprintf(
			"%s refused to start at %s (%s) without a line: Redis logs why it exits while loading its files",
			e.Node, seconds(e.At), e.Detail), At: e.At, Nodes: []string{e.Node}})
	}
	return agg.violations("node_log")
}
