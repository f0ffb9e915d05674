package harness

import (
	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
)

func (h *Harness) state(s *simNode) checker.NodeState {
	return checker.NodeState{Name: s.name, Repl: s.node.Repl(), Data: s.node.Dataset(), Digest: s.node.Digest()}
}

// check runs every checker over the recorded run.
func (h *Harness) check(res *Result) {
	lin := checker.CheckLinearizable(h.masterOps, h.opts.CheckTimeout)
	res.Violations = append(res.Violations, lin.Violations...)
	res.Lin = lin
	master := h.state(h.master)
	for _, s := range h.nodes {
		if s == h.master || !s.up {
			continue
		}
		res.Violations = append(res.Violations, checker.CheckConvergence(master, h.state(s))...)
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
