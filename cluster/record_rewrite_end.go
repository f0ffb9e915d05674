package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// noteRewriteEnd follows the lines of a background AOF rewrite's done
// handler that node s logs in the event it is handling: the files it
// renames into place, and whether it finishes.
func (s *simNode) noteRewriteEnd(l *checker.LogLine) {
	renamed, finished := checker.RewriteEndLine(l.Format, l.Args)
	if renamed == "" && !finished {
		return
	}
	if s.rewriteEnd == nil {
		if finished {
			return
		}
		s.rewriteEnd = &checker.RewriteEnd{Node: s.name, Gen: s.gen, At: l.At}
	}
	if finished {
		s.rewriteEnd.Finished = true
		return
	}
	s.rewriteEnd.Renamed = append(s.rewriteEnd.Renamed, path.Join(s.node.Config().AppendDirname, renamed))
}

// recordRewriteEnd records, at the end of the event in which node s's
// rewrite renamed files into place, which of them are still on its disk
// (as they are, without injected faults), for checker.CheckRewriteEnds.
func (s *simNode) recordRewriteEnd() {
	e := s.rewriteEnd
	if e == nil {
		return
	}
	s.rewriteEnd = nil
	for _, p := range e.Renamed {
		_, ok := s.fs.CurrentContent(p)
		e.Left = append(e.Left, ok)
	}
	s.h.rec.rewriteEnds = append(s.h.rec.rewriteEnds, *e)
}

// RewriteEndsInput is what checker.CheckRewriteEnds reads.
func (h *Cluster) RewriteEndsInput() ([]checker.RewriteEnd, []checker.DiskFault) {
	return h.rec.rewriteEnds, h.rec.disk
}
