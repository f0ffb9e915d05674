package harness

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// Verdicts.
const (
	VerdictPass = "pass"
	VerdictFail = "fail"
	// VerdictUnknown means a checker could not decide (porcupine timed
	// out) and nothing else failed. It is never a pass.
	VerdictUnknown = "unknown"
)

// Result is the outcome of one run.
type Result struct {
	Seed       uint64              `json:"seed"`
	Verdict    string              `json:"verdict"`
	TraceHash  string              `json:"trace_hash"`
	Ops        int                 `json:"ops"`
	Events     uint64              `json:"events"`
	SimTimeMs  int64               `json:"sim_time_ms"`
	Violations []checker.Violation `json:"violations"`
	// Hazards are known Redis hazards the run walked into (redis#2087):
	// Redis's documented behaviour, reported but not a failure.
	Hazards []checker.Violation `json:"hazards,omitempty"`
	Faults  map[string]int      `json:"faults"`
	Swarm   []string            `json:"swarm"` // fault kinds the schedule enabled
	Stats   map[string]int64    `json:"stats"`
	Bugs    []string            `json:"bugs,omitempty"`

	// Options are the options the run used, defaults filled in.
	Options    Options                 `json:"-"`
	Trace      []string                `json:"-"`
	Timeline   []cluster.TimelineEvent `json:"-"`
	MasterOps  []checker.Op            `json:"-"`
	ReplicaOps []checker.Op            `json:"-"`
	// Workload is the operations the clients sent, as a list that
	// replays them (each anchored at the time it was sent).
	Workload *cluster.OpList   `json:"-"`
	Lin      checker.LinResult `json:"-"`
	// Report is what the report draws beyond the above: names, roles,
	// masters and replication positions over time.
	Report cluster.ReportData `json:"-"`
}

// Passed reports whether the verdict is pass.
func (r *Result) Passed() bool { return r.Verdict == VerdictPass }

// Repro is the one-line command that replays this run.
func (r *Result) Repro() string {
	s := fmt.Sprintf("go run ./cmd/replsim run --seed %d", r.Seed)
	def := Options{}.WithDefaults()
	if o := r.Options; o.Ops != 0 {
		if o.Ops != def.Ops {
			s += fmt.Sprintf(" --ops %d", o.Ops)
		}
		if o.Replicas != def.Replicas {
			s += fmt.Sprintf(" --replicas %d", o.Replicas)
		}
		if o.Clients != def.Clients {
			s += fmt.Sprintf(" --clients %d", o.Clients)
		}
		if o.Keys != def.Keys {
			s += fmt.Sprintf(" --keys %d", o.Keys)
		}
	}
	for _, b := range r.Bugs {
		s += " --bug " + b
	}
	for _, f := range r.Options.Families {
		s += " --family " + f
	}
	return s
}

// Summary renders a short human summary.
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d: %s\n", r.Seed, strings.ToUpper(r.Verdict))
	fmt.Fprintf(&b, "  %d ops, %d events, %.3fs simulated, trace %s\n", r.Ops, r.Events, float64(r.SimTimeMs)/1000, r.TraceHash)
	fmt.Fprintf(&b, "  faults: %s\n", FormatCounts(r.Faults))
	if len(r.Swarm) > 0 {
		fmt.Fprintf(&b, "  swarm: %s\n", strings.Join(r.Swarm, " "))
	}
	fmt.Fprintf(&b, "  syncs: %d full, %d partial\n", r.Stats["sync_full"], r.Stats["sync_partial_ok"])
	if len(r.Bugs) > 0 {
		fmt.Fprintf(&b, "  planted bugs: %s\n", strings.Join(r.Bugs, ", "))
	}
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  VIOLATION [%s] %s\n", v.Check, r.NamedDetail(v))
	}
	for _, v := range r.Hazards {
		fmt.Fprintf(&b, "  HAZARD (Redis's documented behaviour, not a failure) %s\n", r.NamedDetail(v))
	}
	if !r.Passed() {
		fmt.Fprintf(&b, "  reproduce: %s\n", r.Repro())
	}
	return b.String()
}

// FormatCounts renders counts as "a=1 b=2", sorted by name ("none" when
// empty), as summaries show fault counts.
func FormatCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
