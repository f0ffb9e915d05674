package checker

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node"
)

// NodeState is the final state of one node, as the checkers see it.
type NodeState struct {
	Name    string
	Repl    node.ReplStatus
	Data    []node.KeyValue
	Digest  string
	Crashed bool
}

// CheckConvergence compares a replica with its master once the run has
// healed: the link must be up, the offsets equal and the datasets identical.
func CheckConvergence(master, replica NodeState) []Violation {
	var out []Violation
	if !replica.Repl.LinkUp || replica.Repl.Offset != master.Repl.Offset {
		out = append(out, Violation{Check: "convergence", Detail: fmt.Sprintf(
			"replica %s did not catch up with master %s: link %s, replica offset %d, master offset %d",
			replica.Name, master.Name, replica.Repl.LinkState, replica.Repl.Offset, master.Repl.Offset)})
	}
	if replica.Digest != master.Digest {
		out = append(out, Violation{Check: "convergence", Detail: fmt.Sprintf(
			"replica %s's dataset differs from master %s's at offset %d: %s",
			replica.Name, master.Name, replica.Repl.Offset, DiffData(master.Data, replica.Data, 5))})
	}
	return out
}

// DiffData describes up to max differing keys between two sorted datasets.
func DiffData(want, got []node.KeyValue, max int) string {
	var diffs []string
	i, j := 0, 0
	show := func(kv *node.KeyValue) string {
		if kv == nil {
			return "(missing)"
		}
		s := strconv.Quote(kv.Value)
		if kv.ExpireAt != 0 {
			s += fmt.Sprintf(" (expires at %d)", kv.ExpireAt)
		}
		return s
	}
	add := func(db int, key string, w, g *node.KeyValue) {
		diffs = append(diffs, fmt.Sprintf("db%d key %s: master %s, replica %s", db, key, show(w), show(g)))
	}
	less := func(a, b node.KeyValue) bool { return a.DB < b.DB || (a.DB == b.DB && a.Key < b.Key) }
	for i < len(want) || j < len(got) {
		switch {
		case j >= len(got) || (i < len(want) && less(want[i], got[j])):
			add(want[i].DB, want[i].Key, &want[i], nil)
			i++
		case i >= len(want) || less(got[j], want[i]):
			add(got[j].DB, got[j].Key, nil, &got[j])
			j++
		default:
			if want[i] != got[j] {
				add(want[i].DB, want[i].Key, &want[i], &got[j])
			}
			i++
			j++
		}
	}
	total := len(diffs)
	if total > max {
		diffs = append(diffs[:max], fmt.Sprintf("(+%d more)", total-max))
	}
	return strings.Join(diffs, "; ")
}
