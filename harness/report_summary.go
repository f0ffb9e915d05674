package harness

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
)

// propertyMeaning says in plain words what each check decides.
var propertyMeaning = map[string]string{
	checker.PropLinearizability: "Every operation sent to the master must look as if it took effect at one instant between its call and its reply, one key at a time, within one master epoch (a new epoch starts at each promotion or master crash).",
	checker.PropPrefix:          "A replica may lag, but it may only ever show a state its master really had at some point of its replication stream, and move forward through that stream (back only by a full resync).",
	checker.PropConvergence:     "Once faults stop and links heal, every replica must reach its master's offset and hold exactly its master's dataset within the heal budget.",
	checker.PropDurability:      "A master that crashes and restarts must keep what its persistence settings promise: with appendfsync always, every acknowledged write.",
	checker.PropPromotion:       "A replica promoted with SLAVEOF NO ONE keeps exactly its data, starts a new replication history, takes nothing more from the old master and accepts writes.",
	checker.PropWaitDurability:  "A write that WAIT confirmed on every replica must survive a failover.",
	checker.PropAccess:          "Without AUTH nothing runs when a password is set; a read-only replica refuses client writes with READONLY; a replica with a wrong masterauth receives nothing.",
	checker.PropLiveness:        "The run must finish within its virtual-time budget; after the heal each replica must catch up with its master within a budget derived from its links, the data and repl-timeout, and without a resync loop.",
}

// summaryText is summary.txt: the verdict and, per violation, the property
// in plain words, then what broke it.
func summaryText(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "replsim run, seed %d: %s\n\n", res.Seed, strings.ToUpper(res.Verdict))
	switch res.Verdict {
	case VerdictPass:
		b.WriteString("Every checker accepted the run.\n\n")
	case VerdictUnknown:
		b.WriteString("A checker could not decide in time. That is never a pass: rerun with a longer check timeout, or fewer operations.\n\n")
	default:
		fmt.Fprintf(&b, "%d property violation(s). Each names the property, then the key or node and the operations that matter.\n", len(res.Violations))
		b.WriteString("Times are virtual seconds since the start of the run; [a..b] is when a client sent a command and got its reply.\n\n")
	}
	byCheck := map[string][]checker.Violation{}
	var checks []string
	for _, v := range res.Violations {
		if byCheck[v.Check] == nil {
			checks = append(checks, v.Check)
		}
		byCheck[v.Check] = append(byCheck[v.Check], v)
	}
	for _, c := range checks {
		fmt.Fprintf(&b, "== %s\n", c)
		if m := propertyMeaning[c]; m != "" {
			fmt.Fprintf(&b, "What it means: %s\n", m)
		}
		for i, v := range byCheck[c] {
			fmt.Fprintf(&b, "%d. %s\n", i+1, res.NamedDetail(v))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "The run: %d operations, %d events, %.3fs simulated, trace hash %s.\n", res.Ops, res.Events, float64(res.SimTimeMs)/1000, res.TraceHash)
	if len(res.Bugs) > 0 {
		fmt.Fprintf(&b, "Planted bugs switched on: %s.\n", strings.Join(res.Bugs, ", "))
	}
	if len(res.Report.Roles) > 0 {
		fmt.Fprintf(&b, "Who was master when: %s\n", mastersInWords(res))
	}
	if len(res.Timeline) > 0 || len(res.Violations) > 0 {
		es := timelineWindow(res)
		head := "What happened, in order"
		for _, e := range es {
			if !e.Keep {
				head += " (around the violations: their nodes' and keys' last events and writes, and every change of master; the rest elided, all of it in trace.txt)"
				break
			}
		}
		b.WriteString(head + ":\n")
		b.WriteString(windowText(res, es, res.Report.Clients))
	} else {
		fmt.Fprintf(&b, "Faults: %s.\n", FormatCounts(res.Faults))
	}
	if len(res.Stats) > 0 {
		keys := make([]string, 0, len(res.Stats))
		for k := range res.Stats {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%d", k, res.Stats[k])
		}
		fmt.Fprintf(&b, "Counters: %s.\n", strings.Join(parts, " "))
	}
	fmt.Fprintf(&b, "\nReplay it exactly: %s   (or ./%s)\n", reproCommand(res), ReportRepro)
	fmt.Fprintf(&b, "Every event: %s. The run drawn, nodes and clients over time: %s (open in a browser).\n", ReportTrace, ReportHTML)
	return b.String()
}
