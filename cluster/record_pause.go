package cluster

import (
	"math"

	"github.com/replsim/replsim/checker"
)

// recordPause notes that s's process stops now, for the durability check
// (a stopped process fsyncs nothing).
func (s *simNode) recordPause() {
	r := &s.h.rec
	r.pauses = append(r.pauses, checker.Pause{Node: s.name, From: int64(s.h.w.Now()), To: math.MaxInt64})
	s.openPause = len(r.pauses)
}

// recordPauseEnd ends s's pause record, if one is open: the process runs
// again, or it was killed while stopped.
func (s *simNode) recordPauseEnd() {
	if s.openPause == 0 {
		return
	}
	s.h.rec.pauses[s.openPause-1].To = int64(s.h.w.Now())
	s.openPause = 0
}
