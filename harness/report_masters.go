package harness

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// masterSpan is one node's time as master (its observed role), with what
// began and ended it.
type masterSpan struct {
	Node     string
	From, To int64 // To is the end of the run if it stayed master
	Open     bool  // master to the end of the run
	// Began and Ended say how, in words ("promoted", "crashed"), with
	// the timeline event that did it when there is one.
	Began, Ended string
}

// masterSpans derives who was master when from the observed roles, and
// says what began and ended each span from the timeline.
func masterSpans(res *Result) []masterSpan {
	end := res.SimTimeMs * 1_000_000
	var out []masterSpan
	open := map[string]int{} // node -> index into out of its open span
	for _, r := range res.Report.Roles {
		i, isMaster := open[r.Node]
		switch {
		case r.Role == "master" && !isMaster:
			open[r.Node] = len(out)
			out = append(out, masterSpan{Node: r.Node, From: r.At, To: end, Open: true,
				Began: beganWhy(res.Timeline, r.Node, r.At)})
		case r.Role != "master" && isMaster:
			delete(open, r.Node)
			out[i].To, out[i].Open = r.At, false
			out[i].Ended = endedWhy(res.Timeline, r, res.Report.Roles)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// eventAt finds the timeline event of one of kinds at time at that
// concerns node ("" for any node).
func eventAt(tl []cluster.TimelineEvent, at int64, node string, kinds ...string) *cluster.TimelineEvent {
	for i := range tl {
		ev := &tl[i]
		if ev.At != at || (node != "" && ev.Node != node) {
			continue
		}
		for _, k := range kinds {
			if ev.Kind == k {
				return ev
			}
		}
	}
	return nil
}

func eventWords(ev *cluster.TimelineEvent) string {
	s := ev.Kind
	if ev.Node != "" {
		s += " " + ev.Node
	}
	if ev.Detail != "" {
		s += " " + ev.Detail
	}
	return s
}

// beganWhy says how node became master at t.
func beganWhy(tl []cluster.TimelineEvent, node string, t int64) string {
	if t == 0 {
		return "started as master"
	}
	switch ev := eventAt(tl, t, node, cluster.EventPromote, cluster.EventRepair, cluster.EventRestart, cluster.EventRestartWiped, cluster.EventAddReplica); {
	case ev == nil:
		return "became master"
	case ev.Kind == cluster.EventPromote:
		return "promoted"
	case ev.Kind == cluster.EventRepair:
		return "made master by the heal (" + eventWords(ev) + ")"
	default:
		return "restarted as master (" + eventWords(ev) + ")"
	}
}

// endedWhy says how r.Node stopped being master at r.At.
func endedWhy(tl []cluster.TimelineEvent, r checker.RoleChange, roles []checker.RoleChange) string {
	if ev := eventAt(tl, r.At, r.Node, cluster.EventCrash, cluster.EventExit, cluster.EventDemote, cluster.EventRepoint, cluster.EventRepair); ev != nil {
		switch ev.Kind {
		case cluster.EventCrash:
			return "crashed (" + eventWords(ev) + ")"
		case cluster.EventExit:
			return "exited (" + eventWords(ev) + ")"
		case cluster.EventDemote:
			return "demoted (" + eventWords(ev) + ")"
		default:
			return "made a replica (" + eventWords(ev) + ")"
		}
	}
	if ev := eventAt(tl, r.At, "", cluster.EventPromote); ev != nil {
		return "made a replica when " + ev.Node + " was promoted"
	}
	if r.Role == "down" {
		return "went down"
	}
	return "became a replica"
}

// secs renders virtual ns as seconds, trimmed to milliseconds: "1.06 s".
func secs(t int64) string {
	s := fmt.Sprintf("%.3f", float64(t)/1e9)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		s = "0"
	}
	return s
}

// mastersInWords says who was master when, in one paragraph: "n1 master
// 0–1.06 s, then crashed (...); no master 1.06–1.08 s; n2 promoted at
// 1.08 s, master to the end (4.48 s)".
func mastersInWords(res *Result) string {
	spans := masterSpans(res)
	end := res.SimTimeMs * 1_000_000
	if len(spans) == 0 {
		return "no node was ever master."
	}
	var parts []string
	var covered int64 // the end of the last span so far
	for i, s := range spans {
		if s.From > covered && (i > 0 || s.From > 0) {
			parts = append(parts, fmt.Sprintf("no master %s–%s s", secs(covered), secs(s.From)))
		}
		var b strings.Builder
		b.WriteString(s.Node + " ")
		if s.From > 0 {
			fmt.Fprintf(&b, "%s at %s s, ", s.Began, secs(s.From))
		}
		if s.Open {
			fmt.Fprintf(&b, "master %s s to the end (%s s)", secs(s.From), secs(end))
		} else {
			fmt.Fprintf(&b, "master %s–%s s, then %s", secs(s.From), secs(s.To), s.Ended)
		}
		var also []string
		for _, o := range spans[:i] {
			if o.To > s.From {
				also = append(also, o.Node)
			}
		}
		if len(also) > 0 {
			fmt.Fprintf(&b, " (while %s was master too)", strings.Join(also, " and "))
		}
		parts = append(parts, b.String())
		covered = max(covered, s.To)
	}
	if covered < end && !spans[len(spans)-1].Open {
		parts = append(parts, fmt.Sprintf("no master %s s to the end (%s s)", secs(covered), secs(end)))
	}
	return strings.Join(parts, "; ") + "."
}

// masterAt names the nodes that were master at t ("none" if none).
func masterAt(spans []masterSpan, t int64) string {
	var ms []string
	for _, s := range spans {
		if s.From <= t && (t < s.To || s.Open) {
			ms = append(ms, s.Node)
		}
	}
	if len(ms) == 0 {
		return "none"
	}
	return strings.Join(ms, "+")
}
