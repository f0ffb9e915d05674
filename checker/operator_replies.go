package checker

import (
	"fmt"
	"strings"
)

// Operator replies. Redis answers every command once: a command that
// wrote an error and then went on to write its success as well (a SAVE
// that failed and still said +OK) leaves its client one reply ahead, and
// every later reply on that connection answers the wrong command. The
// operator's console takes the first reply; whatever came after it is
// recorded here.

// ExtraReply is what a node wrote to the operator's console after the
// first reply to one command.
type ExtraReply struct {
	Node  string
	Gen   int
	At    int64 // virtual ns
	Args  []string
	Reply string // the first reply
	Extra string // the raw bytes after it
}

// CheckOperatorReplies reports every operator command that got more than
// one reply.
func CheckOperatorReplies(extra []ExtraReply) []Violation {
	var out []Violation
	for _, e := range extra {
		out = append(out, Violation{Check: "operator_reply", At: e.At, Nodes: []string{e.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): the operator's %s got %s and then %q: Redis answers a command once",
				e.Node, e.Gen, strings.Join(e.Args, " "), e.Reply, e.Extra)})
	}
	return out
}
