package harness

import (
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
)

func (h *Harness) state(s *simNode) checker.NodeState {
	return checker.NodeState{Name: s.name, Repl: s.node.Repl(), Data: s.node.Dataset(), Digest: s.node.Digest(),
		Crashed: !s.up, Chain: h.chain(s)}
}

// chain follows master links upwards from s: its master, that node's
// master, and so on, stopping at a master, a missing or down node, or a
// cycle.
func (h *Harness) chain(s *simNode) []string {
	var out []string
	seen := map[string]bool{s.name: true}
	for cur := s; cur != nil && cur.up; {
		r := cur.node.Repl()
		if r.Role != "slave" {
			break
		}
		out = append(out, r.MasterHost)
		if seen[r.MasterHost] {
			break
		}
		seen[r.MasterHost] = true
		cur = h.Node(r.MasterHost)
	}
	return out
}

// check runs every checker over the recorded run; each is a pure function
// of what was recorded.
func (h *Harness) check(res *Result) {
	res.Options = h.opts
	clocks := h.nodeClocks()
	slack := time.Duration(h.clockSlack(clocks))
	linHist := h.linHistory()
	lin := checker.CheckLinearizableWith(linHist, checker.LinOptions{Timeout: h.opts.CheckTimeout, ClockSlack: slack})
	res.Violations = append(res.Violations, lin.Violations...)
	res.Lin = lin

	prefix := checker.CheckPrefix(checker.PrefixInput{
		Chunks: h.rec.chunks, FullSyncs: h.rec.syncs, Promotions: h.rec.promotions, Restarts: h.rec.restarts,
		Reads: h.replicaOps, Clocks: clocks,
	})
	res.Violations = append(res.Violations, prefix.Violations...)

	res.Violations = append(res.Violations, checker.CheckDurability(h.durabilityInput(linHist, clocks))...)

	roles := h.roles()
	prom := checker.CheckPromotion(h.promotionInput(linHist, roles))
	res.Violations = append(res.Violations, prom.Violations...)

	all := make([]checker.Op, 0, len(h.masterOps)+len(h.replicaOps))
	all = append(append(all, h.masterOps...), h.replicaOps...)
	res.Violations = append(res.Violations, checker.CheckAccess(checker.AccessInput{
		Ops: all, Roles: roles, FullSyncs: h.rec.syncs, Auth: h.authEvents(), AuthStates: h.rec.auth,
	})...)

	res.Violations = append(res.Violations, h.checkConvergence()...)
	res.Violations, res.Hazards = splitHazards(res.Violations)

	h.rec.stats = map[string]int64{
		"prefix_reads_checked":   int64(prefix.Checked),
		"prefix_reads_unchecked": int64(prefix.Unchecked),
		"lost_on_failover":       int64(prom.LostOnFailover),
		"wait_covered_writes":    int64(prom.WaitCovered),
		"promotions":             int64(len(h.rec.promotions)),
	}
	switch {
	case lin.Result == porcupine.Unknown && len(res.Violations) == len(lin.Violations):
		res.Verdict = VerdictUnknown
	case len(res.Violations) > 0:
		res.Verdict = VerdictFail
	default:
		res.Verdict = VerdictPass
	}
}

// durabilityInput is what the durability check reads; like the promotion
// check it needs the writes readers sent to a master (seed 197).
func (h *Harness) durabilityInput(linHist []checker.Op, clocks checker.Clocks) checker.DurabilityInput {
	return checker.DurabilityInput{Restarts: h.rec.restarts, Ops: linHist, FullSyncs: h.rec.syncs,
		Clocks: clocks, DiskFaults: h.rec.disk, Pauses: h.rec.pauses}
}

// promotionInput is what the promotion check reads. Its operations are the
// linearizability history's: a replica reader's write to a node while that
// node was master is one of that master's writes too (seed 189).
func (h *Harness) promotionInput(linHist []checker.Op, roles []checker.RoleChange) checker.PromotionInput {
	return checker.PromotionInput{
		Promotions: h.rec.promotions, Ops: linHist, Chunks: h.rec.chunks, Roles: roles, Replicas: h.opts.Replicas,
		FullSyncs: h.rec.syncs, Restarts: h.rec.restarts, WaitAcks: h.rec.waits,
	}
}

// checkConvergence compares every live replica with the master at the end
// of the heal phase.
func (h *Harness) checkConvergence() []checker.Violation {
	if h.master == nil || !h.master.up {
		return nil // nothing to converge to; the liveness of the run says why
	}
	// Run stops the heal phase early only once everything converged, so a
	// replica that lags waited the whole budget.
	waited := time.Duration(healBudget)
	master := h.state(h.master)
	var out []checker.Violation
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		out = append(out, checker.CheckConvergenceWithin(master, h.state(s), waited)...)
	}
	return out
}

// splitHazards separates known, documented Redis hazards the run walked
// into (reported, never a failure) from real violations.
func splitHazards(all []checker.Violation) (violations, hazards []checker.Violation) {
	for _, v := range all {
		if v.Check == checker.PropHazard {
			hazards = append(hazards, v)
		} else {
			violations = append(violations, v)
		}
	}
	return violations, hazards
}
