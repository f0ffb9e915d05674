package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// OpenFilesInput is, for every running node, the file handles its process
// holds open at the end, for checker.CheckOpenFiles.
func (h *Cluster) OpenFilesInput() []checker.OpenFilesNode {
	var out []checker.OpenFilesNode
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		cfg := s.node.Config()
		n := checker.OpenFilesNode{Node: s.name, Gen: s.gen, AOFOn: cfg.AppendOnly, Dir: cfg.AppendDirname,
			DirFaulted: h.aofDirFaulted(s, cfg.AppendDirname),
			Waiting:    cfg.AppendOnly && checker.AOFWaiting(h.rec.logs, s.name), TempIncr: "temp-" + cfg.AppendFilename + ".incr"}
		if text, ok := s.fs.CurrentContent(path.Join(cfg.AppendDirname, cfg.AppendFilename+".manifest")); ok {
			n.Manifest = string(text)
		}
		for _, o := range s.fs.OpenHandles() {
			n.Handles = append(n.Handles, checker.OpenFile{Path: o.Path, Write: o.Write, Deleted: o.Deleted})
		}
		out = append(out, n)
	}
	return out
}
