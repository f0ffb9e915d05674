package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
)

// sampleLinkDown reads node s's INFO replication after a replicationCron
// run while it is a replica whose master link is not up, and keeps its
// master_link_down_since_seconds, for checker.CheckLinkDownSince.
func (s *simNode) sampleLinkDown() {
	if !s.up || s.exiting || s.node.Down() {
		return
	}
	if replica, state := s.node.LinkState(); !replica || state == "connected" {
		return
	}
	const field = "master_link_down_since_seconds:"
	info := s.node.Info(false, map[string]bool{"replication": true})
	i := strings.Index(info, field)
	if i < 0 {
		return
	}
	v, _, _ := strings.Cut(info[i+len(field):], "\r\n")
	s.h.rec.linkDown = append(s.h.rec.linkDown, checker.LinkDownSample{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()),
		ClockMs: s.Now() / 1e6, Logs: len(s.h.rec.logs), Value: v})
}

// LinkDownInput is every node's log and the replicas' samples of
// master_link_down_since_seconds, for checker.CheckLinkDownSince.
func (h *Cluster) LinkDownInput() checker.LinkDownInput {
	return checker.LinkDownInput{Lines: h.rec.logs, Samples: h.rec.linkDown}
}
