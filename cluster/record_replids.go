package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
)

// sampleReplIDs reads node s's replication IDs from INFO replication
// after a replicationCron run, for checker.CheckReplIDs.
func (s *simNode) sampleReplIDs() {
	if !s.up || s.exiting || s.node.Down() {
		return
	}
	info := s.node.Info(false, map[string]bool{"replication": true})
	field := func(name string) string {
		i := strings.Index(info, "\r\n"+name+":")
		if i < 0 {
			return ""
		}
		v, _, _ := strings.Cut(info[i+len(name)+3:], "\r\n")
		return v
	}
	s.h.rec.replIDs = append(s.h.rec.replIDs, checker.ReplIDSample{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()),
		Logs: len(s.h.rec.logs), ID: field("master_replid"), ID2: field("master_replid2"), Second: field("second_repl_offset")})
}

// ReplIDInput is every node's log and its samples of the replication
// IDs, for checker.CheckReplIDs.
func (h *Cluster) ReplIDInput() checker.ReplIDInput {
	return checker.ReplIDInput{Lines: h.rec.logs, Samples: h.rec.replIDs}
}
