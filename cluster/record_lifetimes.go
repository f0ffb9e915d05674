package cluster

import (
	"slices"

	"github.com/replsim/replsim/checker"
)

// Lifetimes are when each node's process ended (a crash or an exit: both
// reset every connection of the node, so nothing sent to that process can
// run later) and when each master epoch began, for the linearizability
// check (checker.Lifetimes), and when an operator's DEBUG RELOAD emptied
// a node's dataset to load it back (which touches every watched key).
func (h *Cluster) Lifetimes() checker.Lifetimes {
	lt := checker.Lifetimes{Ends: map[string][]int64{}, EpochStarts: map[int]int64{}, Flushes: map[string][]int64{}}
	for _, ev := range h.timeline {
		if ev.Kind == EventCrash || ev.Kind == EventExit {
			lt.Ends[ev.Node] = append(lt.Ends[ev.Node], ev.At)
		}
	}
	for _, r := range h.rec.reloads {
		if !slices.Contains(r.Args, "NOFLUSH") {
			lt.Flushes[r.Node] = append(lt.Flushes[r.Node], r.At)
		}
	}
	for _, m := range h.masterships() {
		lt.EpochStarts[m.epoch] = m.from
	}
	return lt
}
