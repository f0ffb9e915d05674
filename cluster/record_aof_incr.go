package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// incrTrack follows, from node s's log, the incr AOF file its current
// process appends to, for checker.CheckAOFSelects.
type incrTrack struct {
	proc   int
	cur    checker.AOFIncrWrite // Name "" when none
	offset int                  // the file's size when the process began appending to it
}

// noteIncrFile follows the lines that make the process append to another
// incr file: the one it opens (or makes) at its start, the one a
// rewrite's start makes (recording what it appended to the one before),
// and the temp incr file renamed into the manifest when the rewrite that
// turned the AOF on succeeds (the same file, under its new name).
func (s *simNode) noteIncrFile(l *checker.LogLine) {
	t := &s.incr
	if t.proc != l.Proc {
		*t = incrTrack{proc: l.Proc}
	}
	switch l.Format {
	case checker.LogAOFOpenedAtStart, checker.LogAOFCreatedAtStart:
		s.recordIncrWrite()
		t.cur = checker.AOFIncrWrite{Node: s.name, Proc: l.Proc, Name: l.Args[0], Origin: checker.IncrAtStart, From: l.At}
		t.offset = 0
		if b, ok := s.fs.CurrentContent(path.Join(s.cfg.AppendDirname, l.Args[0])); ok {
			t.offset = len(b)
		}
	case checker.LogAOFCreatedOnRW:
		s.noteLeftIncr(l)
		s.recordIncrWrite()
		origin := checker.IncrOnRewrite
		if checker.IsTempIncr(l.Args[0]) {
			origin = checker.IncrTemp
		}
		t.cur = checker.AOFIncrWrite{Node: s.name, Proc: l.Proc, Name: l.Args[0], Origin: origin, From: l.At}
		t.offset = 0
	case checker.LogRWRenamedIncr:
		if t.cur.Name == l.Args[0] {
			t.cur.Name = l.Args[1]
		}
	}
}

// recordIncrWrite records what the current process appended to the incr
// file it is leaving (it makes another, or ends), if the file is still
// there.
func (s *simNode) recordIncrWrite() {
	if w, ok := s.incrWriteNow(); ok {
		s.h.rec.incrWrites = append(s.h.rec.incrWrites, w)
	}
	s.incr.cur = checker.AOFIncrWrite{}
}

// incrWriteNow is what the current process has appended so far to the
// incr file it appends to.
func (s *simNode) incrWriteNow() (checker.AOFIncrWrite, bool) {
	t := &s.incr
	if t.cur.Name == "" || t.proc != s.procs {
		return checker.AOFIncrWrite{}, false
	}
	b, ok := s.fs.CurrentContent(path.Join(s.cfg.AppendDirname, t.cur.Name))
	if !ok || t.offset > len(b) {
		return checker.AOFIncrWrite{}, false
	}
	w := t.cur
	w.To = int64(s.h.w.Now())
	w.Data = s.h.rec.keep(b[t.offset:])
	return w, true
}

// AOFIncrWrites are what every process appended to each incr AOF file it
// wrote (the running ones' so far), with the disk faults, for
// checker.CheckAOFSelects.
func (h *Cluster) AOFIncrWrites() ([]checker.AOFIncrWrite, []checker.DiskFault) {
	out := append([]checker.AOFIncrWrite(nil), h.rec.incrWrites...)
	for _, s := range h.nodes {
		if s.up {
			if w, ok := s.incrWriteNow(); ok {
				out = append(out, w)
			}
		}
	}
	return out, h.rec.disk
}
