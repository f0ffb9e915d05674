package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// recordAOFStart keeps the last file the AOF manifest of s lists, as it
// is on disk just before s's new process loads it (checker.CheckAOFTails).
// Starts on a manifest the harness broke or beside a stale pre-7.0 AOF
// (which may be upgraded instead) are left out.
func (h *Cluster) recordAOFStart(s *simNode) {
	if !s.cfg.AppendOnly || s.damage != nil || s.staleAOF {
		return
	}
	dir := s.cfg.AppendDirname
	text, ok := s.fs.CurrentContent(path.Join(dir, s.cfg.AppendFilename+".manifest"))
	if !ok {
		return
	}
	last, incr := "", false
	var files []checker.AOFStartFile
	for _, e := range checker.ManifestEntries(string(text)) {
		if e.Type == "i" || e.Type == "b" && last == "" {
			last, incr = e.Name, incr || e.Type == "i"
		}
		if e.Type == "i" || e.Type == "b" {
			f := checker.AOFStartFile{Name: e.Name, Type: e.Type, Size: -1}
			if b, ok := s.fs.CurrentContent(path.Join(dir, e.Name)); ok {
				f.Size = len(b)
			}
			files = append(files, f)
		}
	}
	if last == "" {
		return
	}
	data, ok := s.fs.CurrentContent(path.Join(dir, last))
	if !ok {
		return
	}
	h.rec.aofStarts = append(h.rec.aofStarts, checker.AOFStart{Node: s.name, Proc: s.procs, At: int64(h.w.Now()), Last: last, Incr: incr, Data: data,
		NoLoadTruncated: !s.cfg.AofLoadTruncated, Files: files})
}
