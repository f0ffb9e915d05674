package checker

import (
	"fmt"
	"strings"
)

// aggregator keeps the first detail of each kind of violation and counts
// the rest, so a report shows the few events that matter.
type aggregator struct {
	order  []string
	first  map[string]string
	counts map[string]int
}

func newAggregator() *aggregator {
	return &aggregator{first: map[string]string{}, counts: map[string]int{}}
}

func (a *aggregator) add(kind, detail string) {
	if _, ok := a.first[kind]; !ok {
		a.order = append(a.order, kind)
		a.first[kind] = detail
	}
	a.counts[kind]++
}

func (a *aggregator) violations(check string) []Violation {
	out := []Violation{}
	for _, k := range a.order {
		d := a.first[k]
		if n := a.counts[k] - 1; n > 0 {
			d += fmt.Sprintf(" (and %d more like it)", n)
		}
		out = append(out, Violation{Check: check, Detail: d})
	}
	return out
}

// relabel renames DiffData's "master"/"replica" sides.
func relabel(diff, want, got string) string {
	diff = strings.ReplaceAll(diff, ": master ", ": "+want+" ")
	return strings.ReplaceAll(diff, ", replica ", ", "+got+" ")
}
