package checker

import (
	"fmt"
	"strings"
)

// REPLICAOF (SLAVEOF) naming the master a replica already follows does
// nothing: Redis 7.0.15's replicaofCommand logs "REPLICAOF would result
// into synchronization with the master we are already connected with. No
// operation performed." and answers "+OK Already connected to specified
// master". Any other accepted REPLICAOF answers a plain +OK.
const (
	logReplicaofNoop   = "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed."
	replyAlreadyLinked = "OK Already connected to specified master"
)

// CheckReplicaofNoops flags an operator's REPLICAOF whose reply and log
// disagree: the "Already connected" reply without the no-op line among
// the lines the call wrote, or the line with another reply.
func CheckReplicaofNoops(lines []LogLine, calls []OperatorCall) []Violation {
	var out []Violation
	for _, c := range calls {
		if !c.Answered || len(c.Args) != 3 || !(strings.EqualFold(c.Args[0], "REPLICAOF") || strings.EqualFold(c.Args[0], "SLAVEOF")) {
			continue
		}
		logged := false
		for i := c.LogFrom; i < c.LogTo && i < len(lines); i++ {
			if lines[i].Node == c.Node && lines[i].Format == logReplicaofNoop {
				logged = true
			}
		}
		if noop := c.Reply == replyAlreadyLinked; noop != logged {
			what := "without the line"
			if logged {
				what = "with another reply"
			}
			out = append(out, Violation{Check: "node_log", At: c.At, Nodes: []string{c.Node},
				Detail: fmt.Sprintf("%s answered the operator's %s with %q and logged %q: Redis logs %q exactly when it answers %q (replicaofCommand) — here %s",
					c.Node, strings.Join(c.Args, " "), c.Reply, loggedLines(lines, c), logReplicaofNoop, replyAlreadyLinked, what)})
		}
	}
	return out
}

// loggedLines joins the messages node c.Node logged during call c.
func loggedLines(lines []LogLine, c OperatorCall) string {
	var msgs []string
	for i := c.LogFrom; i < c.LogTo && i < len(lines); i++ {
		if lines[i].Node == c.Node {
			msgs = append(msgs, lines[i].Msg)
		}
	}
	return strings.Join(msgs, " | ")
}
