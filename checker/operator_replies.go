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

// OperatorExpect is an operator command whose reply Redis 7.0.15 fixes
// (Want, as RESP text without the line end), and the reply it got.
type OperatorExpect struct {
	Node      string
	At        int64
	Args      []string
	Want, Got string
}

// CheckOperatorReplies reports every operator command that got more than
// one reply, or another reply than Redis gives.
func CheckOperatorReplies(extra []ExtraReply, expects []OperatorExpect) []Violation {
	var out []Violation
	for _, e := range expects {
		if e.Got != e.Want {
			out = append(out, Violation{Check: "operator_reply", At: e.At, Nodes: []string{e.Node},
				Detail: fmt.Sprintf("%s answered the operator's %s with %s: Redis 7.0.15 answers %s",
					e.Node, strings.Join(e.Args, " "), e.Got, e.Want)})
		}
	}
	for _, e := range extra {
		out = append(out, Violation{Check: "operator_reply", At: e.At, Nodes: []string{e.Node},
			Detail: fmt.Sprintf("%s (incarnation %d): the operator's %s got %s and then %q: Redis answers a command once",
				e.Node, e.Gen, strings.Join(e.Args, " "), e.Reply, e.Extra)})
	}
	return out
}
