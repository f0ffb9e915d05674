package shrink

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/harness"
	"github.com/replsim/replsim/scenario"
)

// maxHistoryLines bounds the readable history written into a script.
const maxHistoryLines = 200

// Script renders a shrunk run as a scenario script: a header that says
// where it came from (cmdline), the run's history as comments, and one
// simulate command with the transcript it produces now.
func Script(r Result, cmdline string, run RunFunc) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Shrunk with: %s\n", cmdline)
	fmt.Fprintf(&b, "# Fails: %s\n", r.Check)
	fmt.Fprintf(&b, "# Before: %s\n", DescribeSize(r.Before))
	fmt.Fprintf(&b, "# After:  %s (%d simulations)\n", DescribeSize(r.Shrunk), r.Runs)
	if r.Shrunk.Seed != r.Before.Seed {
		fmt.Fprintf(&b, "# Seed:   %d, not %d: the failure needed fewer operations under it\n", r.Shrunk.Seed, r.Before.Seed)
	}
	b.WriteString("# Replay: go run ./cmd/replsim run --scenario THIS_FILE (exit 1 while it fails)\n")
	b.WriteString("# Adopt:  copy to scenario/testdata/regressions/; go test ./scenario -run Scenario\n")
	b.WriteString("#\n# What the shrunk run does (a reading aid, not checked):\n")
	traced := r.Shrunk
	traced.KeepTrace = true
	for _, l := range historyLines(run(traced)) {
		b.WriteString("#   " + l + "\n")
	}
	b.WriteString("\n")
	s := &scenario.Script{Blocks: []scenario.ScriptBlock{{Command: scenario.SimulateCommand(r.Shrunk)}}}
	out, err := scenario.RunScript(s)
	if err != nil {
		return "", fmt.Errorf("the generated script does not run: %w", err)
	}
	b.WriteString(s.Format(out.Outputs))
	return b.String(), nil
}

// historyLines merges the run's client operations and its faults and
// heals, in time order; a long history keeps its beginning and its end.
func historyLines(res *harness.Result) []string {
	type entry struct {
		at   int64
		text string
	}
	var es []entry
	for _, ops := range [][]checker.Op{res.MasterOps, res.ReplicaOps} {
		for i := range ops {
			op := &ops[i]
			es = append(es, entry{op.Call, fmt.Sprintf("%.6fs %s on %s: %s", float64(op.Call)/1e9, clientName(res, op.Client), op.Node, op.Describe())})
		}
	}
	for _, l := range res.Trace {
		ts, msg, ok := strings.Cut(l, " ")
		if !ok || !(strings.HasPrefix(msg, "fault ") || strings.HasPrefix(msg, "heal") || strings.HasPrefix(msg, "net partition") || strings.HasPrefix(msg, "net heal")) {
			continue
		}
		var sec float64
		if _, err := fmt.Sscanf(ts, "%f", &sec); err != nil {
			continue
		}
		es = append(es, entry{int64(sec * 1e9), ts + "s " + msg})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].at < es[j].at })
	text := func(es []entry) []string {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.text
		}
		return out
	}
	if len(es) <= maxHistoryLines {
		return text(es)
	}
	half := maxHistoryLines / 2
	out := append(text(es[:half]), fmt.Sprintf("... (%d more)", len(es)-2*half))
	return append(out, text(es[len(es)-half:])...)
}

// clientName names the client of an operation as the run's topology does
// (c1.., then the readers r1..): the harness starts them in that order.
func clientName(res *harness.Result, id int) string {
	t := harness.GenerateSchedule(res.Options).Topology
	if res.Options.Schedule != nil {
		t = res.Options.Schedule.Topology
	}
	if names := t.ClientNames(); id >= 0 && id < len(names) {
		return names[id]
	}
	return fmt.Sprintf("client %d", id)
}
