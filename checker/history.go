// Package checker decides whether a recorded run was correct. Every check is
// a pure function of the recorded history and the final node states, and
// every check has a planted bug or a corrupted history that makes it fail,
// in a test.
package checker

import (
	"strconv"
	"strings"
)

// OpKind is the kind of a client operation.
type OpKind uint8

// Operation kinds the workload issues.
const (
	OpGet OpKind = iota
	OpSet
	OpIncr
	OpDel
)

var opNames = [...]string{"GET", "SET", "INCR", "DEL"}

func (k OpKind) String() string { return opNames[k] }

// Op is one client operation with its outcome. Times are virtual
// nanoseconds. An operation whose reply never came has Unknown set: it may
// or may not have taken effect, and it is never dropped from the history.
type Op struct {
	ID     int
	Client int
	Node   string
	// Epoch counts master changes (promotions, master crashes) before the call.
	Epoch   int
	Kind    OpKind
	Key     string
	Value   string // SET's argument
	Call    int64
	Return  int64
	Unknown bool
	Err     string // error reply, if any
	Exists  bool   // GET found the key
	Result  string // GET's value
	Int     int64  // INCR's and DEL's integer reply
}

// Describe renders the operation in Redis terms, e.g. `SET k1 "7" -> OK`.
func (o *Op) Describe() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	b.WriteByte(' ')
	b.WriteString(o.Key)
	if o.Kind == OpSet {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(o.Value))
	}
	b.WriteString(" -> ")
	b.WriteString(o.Outcome())
	return b.String()
}

// Outcome renders just the reply.
func (o *Op) Outcome() string {
	switch {
	case o.Unknown:
		return "(no reply: outcome unknown)"
	case o.Err != "":
		return "(error) " + o.Err
	}
	switch o.Kind {
	case OpGet:
		if !o.Exists {
			return "(nil)"
		}
		return strconv.Quote(o.Result)
	case OpSet:
		return "OK"
	default:
		return "(integer) " + strconv.FormatInt(o.Int, 10)
	}
}

// Violation is one failed property.
type Violation struct {
	Check  string `json:"check"`
	Detail string `json:"detail"`
}
