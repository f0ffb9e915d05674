package checker

import (
	"fmt"
	"strings"
)

// aggregator keeps the first violation of each kind and counts the rest,
// so a report shows the few events that matter.
type aggregator struct {
	order  []string
	first  map[string]Violation
	counts map[string]int
}

func newAggregator() *aggregator {
	return &aggregator{first: map[string]Violation{}, counts: map[string]int{}}
}

func (a *aggregator) add(kind, detail string) { a.addV(kind, Violation{Detail: detail}) }

// addV adds a violation with its structured fields (its Check is set by
// violations).
func (a *aggregator) addV(kind string, v Violation) {
	if _, ok := a.first[kind]; !ok {
		a.order = append(a.order, kind)
		a.first[kind] = v
	}
	a.counts[kind]++
}

func (a *aggregator) violations(check string) []Violation {
	out := []Violation{}
	for _, k := range a.order {
		v := a.first[k]
		v.Check = check
		if n := a.counts[k] - 1; n > 0 {
			v.Detail += fmt.Sprintf(" (and %d more like it)", n)
		}
		out = append(out, v)
	}
	return out
}

// relabel renames DiffData's "master"/"replica" sides.
func relabel(diff, want, got string) string {
	diff = strings.ReplaceAll(diff, ": master ", ": "+want+" ")
	return strings.ReplaceAll(diff, ", replica ", ", "+got+" ")
}
