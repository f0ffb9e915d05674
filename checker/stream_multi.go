package checker

import (
	"fmt"
	"sort"
)

// CheckStreamTransactions flags a master history that wraps fewer than
// two commands in MULTI/EXEC, or nests a MULTI: Redis 7.0.15's
// propagatePendingCommands wraps what one call propagates only when it is
// more than one command ("the single command is atomic"), and a
// transaction's SELECT does not count (it goes before the MULTI, or
// inside when the transaction changes db).
func CheckStreamTransactions(chunks []StreamChunk) []Violation {
	hist := recordedHistories(chunks)
	ids := make([]string, 0, len(hist))
	for id := range hist {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	agg := newAggregator()
	for _, id := range ids {
		h := hist[id]
		open, inside := false, 0
		for _, name := range commandNames(h.data) {
			switch name {
			case "multi":
				if open {
					agg.addV("multi/"+h.owner, Violation{Detail: fmt.Sprintf(
						"%s's stream under %s nests a MULTI in a MULTI: Redis never propagates one inside a transaction",
						h.owner, short(id)), Nodes: []string{h.owner}, ReplID: id})
				}
				open, inside = true, 0
			case "exec":
				if open && inside < 2 {
					agg.addV("multi/"+h.owner, Violation{Detail: fmt.Sprintf(
						"%s's stream under %s wraps %d command(s) in MULTI/EXEC: Redis wraps what a call propagates only when it is more than one command (propagatePendingCommands)",
						h.owner, short(id), inside), Nodes: []string{h.owner}, ReplID: id})
				}
				open = false
			case "select":
			default:
				if open {
					inside++
				}
			}
		}
	}
	return agg.violations(PropPrefix)
}
