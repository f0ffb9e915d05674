package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
)

// masterRead is the last data a node read on its master link: the
// connection, and the node's clock (ms) as it read.
type masterRead struct {
	conn    netsim.ConnID
	at      int64 // virtual ns
	clockMs int64
}

// noteMasterRead notes data arriving on s's master link as s reads it.
func (s *simNode) noteMasterRead(c netsim.ConnID) {
	if node.ConnID(c) == s.node.MasterLinkConn() {
		s.masterRead = masterRead{conn: c, at: int64(s.h.w.Now()), clockMs: s.Now() / 1e6}
	}
}

// noteMasterTimeout records, with a line s just logged dropping its master
// link for silence (the line's index), the last read the harness saw on
// the link it drops (-1 if none) and the node's hz, for checker's
// checkMasterTimeouts.
func (s *simNode) noteMasterTimeout(l *checker.LogLine) {
	if !checker.IsSilenceTimeout(l) || s.node == nil {
		return
	}
	r := checker.MasterRead{Line: len(s.h.rec.logs) - 1, LastReadAt: -1, LastReadMs: -1, Hz: s.node.Hz()}
	if c := s.node.MasterLinkConn(); c != 0 && netsim.ConnID(c) == s.masterRead.conn {
		r.LastReadAt, r.LastReadMs = s.masterRead.at, s.masterRead.clockMs
	}
	s.h.rec.masterReads = append(s.h.rec.masterReads, r)
}
