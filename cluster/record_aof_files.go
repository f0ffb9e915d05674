package cluster

import (
	"path"
	"slices"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// aofDirFiles are the names in s's AOF directory now (none when it does
// not exist), read without s's injectors.
func aofDirFiles(s *simNode) map[string]bool {
	out := map[string]bool{}
	s.fs.WithoutInjectors(func() {
		names, err := s.fs.List(s.cfg.AppendDirname)
		if err != nil {
			return
		}
		for _, name := range names {
			out[name] = true
		}
	})
	return out
}

// unlistedAOFFiles are the files in s's AOF directory that its manifest
// (text) does not name, that are neither the manifest nor a temp file,
// and that were not there when its current process started, sorted; and
// whether s's disk failed any operation (a read or a flipped bit too) in
// that directory, or any removal, since that start. For
// checker.CheckAOFOrphans.
func (h *Cluster) unlistedAOFFiles(s *simNode, text string) (unlisted []string, faulted bool) {
	dir := s.cfg.AppendDirname
	listed := map[string]bool{path.Base(s.cfg.AppendFilename) + ".manifest": true}
	for _, e := range checker.ManifestEntries(text) {
		listed[e.Name] = true
	}
	now := aofDirFiles(s)
	for name := range now {
		if !listed[name] && !s.aofAtStart[name] && !strings.HasPrefix(name, "temp-") {
			unlisted = append(unlisted, name)
		}
	}
	slices.Sort(unlisted)
	for _, d := range h.rec.disk {
		if d.Node != s.name || sim.Time(d.At) < s.startedAt {
			continue
		}
		if d.Op == "remove" || d.Path == dir || strings.HasPrefix(d.Path, dir+"/") {
			faulted = true
		}
	}
	return unlisted, faulted
}
