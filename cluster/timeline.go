package cluster

import "github.com/replsim/replsim/sim"

// TimelineEvent is one thing the harness did to the cluster (a fault, an
// operator action, a crash or restart), kept for the checkers and reports.
type TimelineEvent struct {
	At     sim.Time
	Kind   string // fault kind (net_reset, proc_crash, ...) or action (op_promote, proc_restart, ...)
	Node   string // the node it concerns, if one
	Detail string
	// Epoch is the master epoch after the event.
	Epoch int
}

// Note records an event in the timeline and the trace, and counts it as a
// fault of its kind.
func (h *Cluster) Note(kind, node, detail string) {
	h.NoteEnd(kind, node, detail)
	h.faults[kind]++
	h.observeRoles()
}
