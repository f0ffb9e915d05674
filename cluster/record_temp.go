package cluster

import (
	"path"
	"sort"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// tempFiles lists the temp files ("temp-" names) in s's working directory
// and AOF directory, read without s's disk faults (the harness's reads
// are not the node's).
func tempFiles(s *simNode) map[string]bool {
	out := map[string]bool{}
	for _, dir := range []string{".", s.cfg.AppendDirname} {
		for _, name := range listDir(s, dir) {
			if strings.HasPrefix(name, "temp-") {
				out[path.Join(dir, name)] = true
			}
		}
	}
	return out
}

// TempFilesInput is, for every running node, the temp files its current
// process left on its disk, and the same for every process as it was
// killed (a crash takes no file away, and a save or rewrite it ran is
// skipped as at the end), for checker.CheckTempFiles.
func (h *Cluster) TempFilesInput() []checker.TempFilesNode {
	out := append([]checker.TempFilesNode(nil), h.rec.tempAtCrash...)
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		out = append(out, h.tempFilesNode(s))
	}
	return out
}

// noteTempAtCrash records the temp files of s's running process as it is
// about to be killed.
func (h *Cluster) noteTempAtCrash(s *simNode) {
	if s.exiting || s.node.Down() {
		return
	}
	h.rec.tempAtCrash = append(h.rec.tempAtCrash, h.tempFilesNode(s))
}

// tempFilesNode is the temp files s's running process created and left,
// with its INFO persistence and whether a removal failed on its disk since
// it started.
func (h *Cluster) tempFilesNode(s *simNode) checker.TempFilesNode {
	n := checker.TempFilesNode{Node: s.name, Gen: s.gen,
		Info: s.node.Info(false, map[string]bool{"persistence": true})}
	for name := range tempFiles(s) {
		if !s.tempAtStart[name] {
			n.Left = append(n.Left, name)
		}
	}
	sort.Strings(n.Left)
	for _, f := range h.rec.disk {
		if f.Node == s.name && f.Op == "remove" && sim.Time(f.At) >= s.startedAt {
			n.RemoveFailed = true
		}
	}
	return n
}
