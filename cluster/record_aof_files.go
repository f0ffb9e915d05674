package cluster

import (
	"path"
	"slices"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// listDir lists dir on s's disk as the harness sees it: without s's
// injectors (the harness's reads are not the node's), nil when dir does
// not exist.
func listDir(s *simNode, dir string) []string {
	var names []string
	s.fs.WithoutInjectors(func() { names, _ = s.fs.List(dir) })
	return names
}

// aofDirFiles are the names in s's AOF directory now.
func aofDirFiles(s *simNode) map[string]bool {
	out := map[string]bool{}
	for _, name := range listDir(s, s.cfg.AppendDirname) {
		out[name] = true
	}
	return out
}

// aofDirSizes are the sizes of the files in s's AOF directory now.
func aofDirSizes(s *simNode) map[string]int {
	out := map[string]int{}
	for _, name := range listDir(s, s.cfg.AppendDirname) {
		if b, ok := s.fs.CurrentContent(path.Join(s.cfg.AppendDirname, name)); ok {
			out[name] = len(b)
		}
	}
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
