package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// linkDownSample reads n's INFO replication when it is a replica whose
// master link is not up, for checker.CheckLinkDownSince: ok is false
// otherwise. clockMs is n's clock and logs how many lines its log (the
// one the sample is judged against) holds.
func linkDownSample(n *node.Node, name string, gen int, at sim.Time, clockMs int64, logs int) (checker.LinkDownSample, bool) {
	if replica, state := n.LinkState(); !replica || state == "connected" {
		return checker.LinkDownSample{}, false
	}
	const field = "master_link_down_since_seconds:"
	info := n.Info(false, map[string]bool{"replication": true})
	i := strings.Index(info, field)
	if i < 0 {
		return checker.LinkDownSample{}, false
	}
	v, _, _ := strings.Cut(info[i+len(field):], "\r\n")
	return checker.LinkDownSample{Node: name, Gen: gen, At: int64(at), ClockMs: clockMs, Logs: logs, Value: v}, true
}

// sampleLinkDown samples node s after a replicationCron run.
func (s *simNode) sampleLinkDown() {
	if !s.up || s.exiting || s.node.Down() {
		return
	}
	if l, ok := linkDownSample(s.node, s.name, s.gen, s.h.w.Now(), s.Now()/1e6, len(s.h.rec.logs)); ok {
		s.h.rec.linkDown = append(s.h.rec.linkDown, l)
	}
}

// LinkDownInputs are every node's log and the replicas' samples of
// master_link_down_since_seconds, and the same for the fake master's
// replica (its own log), for checker.CheckLinkDownSince.
func (h *Cluster) LinkDownInputs() []checker.LinkDownInput {
	out := []checker.LinkDownInput{{Lines: h.rec.logs, Samples: h.rec.linkDown}}
	if f := h.fakeMaster; f != nil && f.rep != nil {
		out = append(out, checker.LinkDownInput{Lines: f.rep.logs, Samples: f.rep.linkDown})
	}
	return out
}
