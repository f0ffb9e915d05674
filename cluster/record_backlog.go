package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/tap"
)

var _ tap.BacklogTap = (*simNode)(nil)

// BacklogServed implements tap.BacklogTap: the backlog a partial resync
// sent, in the stream chunks' sequence.
func (s *simNode) BacklogServed(replicaAddr string, first int64, p []byte) {
	r := &s.h.rec
	r.backlogServes = append(r.backlogServes, checker.BacklogServe{Seq: r.next(), At: int64(s.h.w.Now()), Node: s.name,
		Replica: hostOf(replicaAddr), First: first, Data: r.keep(p)})
}

// BacklogInput is what checker.CheckBacklogServes judges.
func (h *Cluster) BacklogInput() checker.BacklogInput {
	return checker.BacklogInput{Chunks: h.rec.chunks, Serves: h.rec.backlogServes}
}
