package harness

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// The timeline a summary shows: every event when there are few, otherwise
// the violations, the events and operations that lead to them (following
// the nodes, keys and operations each names) and every change of master;
// the rest is elided with counts.

const (
	// showAllEvents: a timeline this short is shown whole.
	showAllEvents = 30
	// windowViolations is how many violations the window follows.
	windowViolations = 5
	// eventsBefore is how many events on a named node before a violation
	// are kept, and anyBefore how many events on any node.
	eventsBefore = 5
	anyBefore    = 3
	// writesBefore is how many writes to a named key before a violation
	// are kept.
	writesBefore = 3
)

// masterKinds are the events that can change who is master.
var masterKinds = map[string]bool{
	cluster.EventPromote: true, cluster.EventDemote: true, cluster.EventRepoint: true, cluster.EventRepair: true,
	cluster.EventCrash: true, cluster.EventExit: true, cluster.EventRestart: true, cluster.EventRestartWiped: true,
	cluster.EventRestartFailed: true, cluster.EventAddReplica: true,
}

// Kinds of windowEntry.
const (
	entryEvent = iota
	entryOp
	entryViolation
)

// windowEntry is one line of the timeline window.
type windowEntry struct {
	At    int64
	Kind  int
	Event *cluster.TimelineEvent
	Op    *checker.Op
	// Violation is the 1-based number of the violation (entryViolation).
	Violation int
	Keep      bool
}

// violationAt is when a violation happened: its own time, or the end of
// the run for a check judged there (convergence, liveness).
func violationAt(res *Result, v checker.Violation) int64 {
	if v.At > 0 {
		return v.At
	}
	return res.SimTimeMs * 1_000_000
}

// opsByRef indexes every operation of the run by client and call time.
func opsByRef(res *Result) map[checker.OpRef]*checker.Op {
	m := make(map[checker.OpRef]*checker.Op, len(res.MasterOps)+len(res.ReplicaOps))
	for _, ops := range [][]checker.Op{res.MasterOps, res.ReplicaOps} {
		for i := range ops {
			m[ops[i].Ref()] = &ops[i]
		}
	}
	return m
}

// concerns reports whether ev is about one of nodes: its node, or a node
// its detail names as a word.
func concerns(ev *cluster.TimelineEvent, nodes []string) bool {
	for _, n := range nodes {
		if ev.Node == n {
			return true
		}
		for _, f := range strings.FieldsFunc(ev.Detail, func(r rune) bool { return r == ' ' || r == '-' || r == '>' || r == ',' || r == '(' || r == ')' }) {
			if f == n {
				return true
			}
		}
	}
	return false
}

// relatedOps are the operations that lead to violation v: the ones it
// names, and for each key it names the last few writes before it and the
// operations running when it happened.
func relatedOps(res *Result, v checker.Violation, byRef map[checker.OpRef]*checker.Op) []*checker.Op {
	at := violationAt(res, v)
	seen := map[*checker.Op]bool{}
	var out []*checker.Op
	add := func(op *checker.Op) {
		if op != nil && !seen[op] {
			seen[op] = true
			out = append(out, op)
		}
	}
	for _, r := range v.Ops {
		add(byRef[r])
	}
	named := func(node string) bool { return slices.Contains(v.Nodes, node) }
	keys := v.Keys
	if len(keys) > 4 {
		keys = keys[:4]
	}
	for _, key := range keys {
		var writes, running []*checker.Op
		for _, ops := range [][]checker.Op{res.MasterOps, res.ReplicaOps} {
			for i := range ops {
				op := &ops[i]
				if op.Key != key && op.Key2 != key {
					continue
				}
				switch {
				case op.Writes() && op.Acked() && op.Return <= at:
					writes = append(writes, op)
				case op.Call <= at && (op.Unknown || op.Return >= at) && (op.Writes() || named(op.Node)):
					running = append(running, op)
				}
			}
		}
		sort.SliceStable(writes, func(i, j int) bool { return writes[i].Return < writes[j].Return })
		if len(writes) > writesBefore {
			writes = writes[len(writes)-writesBefore:]
		}
		if len(running) > writesBefore {
			running = running[:writesBefore]
		}
		for _, op := range append(writes, running...) {
			add(op)
		}
	}
	return out
}

// timelineWindow builds the timeline a summary shows, and reports whether
// anything was elided.
func timelineWindow(res *Result) []windowEntry {
	var es []windowEntry
	for i := range res.Timeline {
		ev := &res.Timeline[i]
		es = append(es, windowEntry{At: ev.At, Kind: entryEvent, Event: ev, Keep: len(res.Timeline) <= showAllEvents})
	}
	masterChanges := 0
	for _, ev := range res.Timeline {
		if masterKinds[ev.Kind] {
			masterChanges++
		}
	}
	byRef := opsByRef(res)
	ops := map[*checker.Op]bool{}
	for n, v := range res.Violations {
		if n == windowViolations {
			break
		}
		at := violationAt(res, v)
		es = append(es, windowEntry{At: at, Kind: entryViolation, Violation: n + 1, Keep: true})
		for _, op := range relatedOps(res, v, byRef) {
			if !ops[op] {
				ops[op] = true
				es = append(es, windowEntry{At: op.Call, Kind: entryOp, Op: op, Keep: true})
			}
		}
		// Walk back from the violation: the last few events on its
		// nodes, and the last few on any node.
		named, any := 0, 0
		for i := len(res.Timeline) - 1; i >= 0; i-- {
			ev := &res.Timeline[i]
			if ev.At > at {
				continue
			}
			if any < anyBefore {
				es[i].Keep = true
				any++
			}
			if named < eventsBefore && concerns(ev, v.Nodes) {
				es[i].Keep = true
				named++
			}
			if any == anyBefore && named == eventsBefore {
				break
			}
		}
	}
	for i := range res.Timeline {
		ev := &res.Timeline[i]
		if masterKinds[ev.Kind] && (masterChanges <= 2*showAllEvents/3 || concerns(ev, violationNodes(res))) {
			es[i].Keep = true
		}
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].At != es[j].At {
			return es[i].At < es[j].At
		}
		return es[i].Kind < es[j].Kind
	})
	return es
}

// violationNodes are the nodes the followed violations name.
func violationNodes(res *Result) []string {
	var out []string
	for n, v := range res.Violations {
		if n == windowViolations {
			break
		}
		out = append(out, v.Nodes...)
	}
	return out
}

// windowText renders the window, one line per kept entry and one per run
// of elided events ("… 7 other events: 3 net_blackhole, ...").
func windowText(res *Result, es []windowEntry, names []string) string {
	var b strings.Builder
	spans := masterSpans(res)
	var elided []string
	var elided1 *cluster.TimelineEvent
	flush := func() {
		if len(elided) == 0 {
			return
		}
		if len(elided) == 1 {
			// Eliding one event saves nothing: show it.
			fmt.Fprintf(&b, "  %.6fs %s\n", float64(elided1.At)/1e9, eventWords(elided1))
			elided = elided[:0]
			return
		}
		counts := map[string]int{}
		for _, k := range elided {
			counts[k]++
		}
		fmt.Fprintf(&b, "  … %d other event(s): %s\n", len(elided), formatByCount(counts))
		elided = elided[:0]
	}
	for _, e := range es {
		if !e.Keep {
			elided = append(elided, e.Event.Kind)
			elided1 = e.Event
			continue
		}
		flush()
		switch e.Kind {
		case entryEvent:
			line := eventWords(e.Event)
			if masterKinds[e.Event.Kind] {
				line += fmt.Sprintf("   [master after: %s]", masterAt(spans, e.At))
			}
			fmt.Fprintf(&b, "  %.6fs %s\n", float64(e.At)/1e9, line)
		case entryOp:
			op := e.Op
			fmt.Fprintf(&b, "  %.6fs   %s -> %s: %s [%s..%s]\n", float64(op.Call)/1e9, clientName(names, fmt.Sprint(op.Client)), op.Node,
				op.Describe(), secs6(op.Call), retSecs6(op))
		case entryViolation:
			v := res.Violations[e.Violation-1]
			fmt.Fprintf(&b, "  %.6fs >>> VIOLATION %d [%s]%s\n", float64(e.At)/1e9, e.Violation, v.Check, whereWords(v))
		}
	}
	flush()
	return b.String()
}

// whereWords is what a violation names, briefly: " on n1, keys k6 k3,
// offsets 728..788 of ffcaf717".
func whereWords(v checker.Violation) string {
	var parts []string
	if len(v.Nodes) > 0 {
		parts = append(parts, "on "+strings.Join(v.Nodes, " "))
	}
	if len(v.Keys) > 0 {
		parts = append(parts, "keys "+strings.Join(v.Keys, " "))
	}
	if len(v.Offsets) > 0 {
		offs := make([]string, len(v.Offsets))
		for i, o := range v.Offsets {
			offs[i] = fmt.Sprint(o)
		}
		s := "offset " + offs[0]
		if len(offs) > 1 {
			s = "offsets " + strings.Join(offs, ", ")
		}
		if v.ReplID != "" {
			s += " of " + shortID(v.ReplID)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func secs6(t int64) string { return fmt.Sprintf("%.6fs", float64(t)/1e9) }

func retSecs6(op *checker.Op) string {
	if op.Unknown {
		return "never"
	}
	return secs6(op.Return)
}

// formatByCount renders counts as "3 net_blackhole, 2 clock_jump": most
// first, then by name.
func formatByCount(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}
