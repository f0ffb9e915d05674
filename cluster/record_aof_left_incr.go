package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// noteLeftIncr notes the incr AOF file the process appended to when a
// rewrite's start (line l) opened a new one: the start fsyncs and closes
// it (aof_background_fsync_and_close), which recordLeftIncr checks once
// the event is done.
func (s *simNode) noteLeftIncr(l *checker.LogLine) {
	t := &s.incr
	// A rewrite that is to turn the AOF on (its new file a temp one)
	// leaves no file: none was open.
	if t.cur.Name == "" || t.proc != l.Proc || checker.IsTempIncr(t.cur.Name) || len(l.Args) > 0 && checker.IsTempIncr(l.Args[0]) {
		return
	}
	s.leftIncr = &checker.LeftIncr{Node: s.name, At: l.At, Path: path.Join(s.cfg.AppendDirname, t.cur.Name)}
}

// recordLeftIncr records how much of the incr file a rewrite's start left
// was still unsynced after the event that started the rewrite.
func (s *simNode) recordLeftIncr() {
	li := s.leftIncr
	if li == nil {
		return
	}
	s.leftIncr = nil
	cur, ok := s.fs.CurrentContent(li.Path)
	if !ok {
		return
	}
	synced, _ := s.fs.SyncedContent(li.Path)
	li.Unsynced = int64(len(cur) - len(synced))
	s.h.rec.leftIncrs = append(s.h.rec.leftIncrs, *li)
}

// LeftIncrs are the incr AOF files rewrites' starts left, and the disk
// faults, for checker.CheckLeftIncrsSynced.
func (h *Cluster) LeftIncrs() ([]checker.LeftIncr, []checker.DiskFault) {
	return h.rec.leftIncrs, h.rec.disk
}
