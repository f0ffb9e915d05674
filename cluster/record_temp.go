package cluster

import (
	"path"
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
// process left on its disk, for checker.CheckTempFiles.
func (h *Cluster) TempFilesInput() []checker.TempFilesNode {
	var out []checker.TempFilesNode
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		n := checker.TempFilesNode{Node: s.name, Gen: s.gen,
			Info: s.node.Info(false, map[string]bool{"persistence": true})}
		for name := range tempFiles(s) {
			if !s.tempAtStart[name] {
				n.Left = append(n.Left, name)
			}
		}
		for _, f := range h.rec.disk {
			if f.Node == s.name && f.Op == "remove" && sim.Time(f.At) >= s.startedAt {
				n.RemoveFailed = true
			}
		}
		out = append(out, n)
	}
	return out
}
