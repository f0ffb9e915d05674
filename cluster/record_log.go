package cluster

import (
	"fmt"
	"path"
	"strings"

	"github.com/replsim/replsim/checker"
)

// recordLog keeps line format (with args) that node s logged, for
// checker.CheckNodeLog.
func (s *simNode) recordLog(format string, args []any) {
	l := checker.LogLine{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()), ClockMs: s.Now() / 1e6,
		Settings: len(s.h.rec.settings), Format: format, Msg: fmt.Sprintf(format, args...)}
	if s.node != nil {
		l.ReplTimeoutMs = int64(s.node.Config().ReplTimeoutSec) * 1000
		l.DisklessSync = s.node.Config().ReplDisklessSync
	}
	if len(args) > 0 {
		l.Args = make([]string, len(args))
		for i, a := range args {
			l.Args[i] = fmt.Sprint(a)
		}
	}
	s.h.rec.logs = append(s.h.rec.logs, l)
}

// LogInput is every node's log and its state at the end of the run, for
// checker.CheckNodeLog.
func (h *Cluster) LogInput() checker.LogInput {
	in := checker.LogInput{Lines: h.rec.logs, Expects: h.rec.expects, Exits: h.rec.logExits, Ports: map[string]int{},
		Settings: h.rec.settings, DiskFaults: h.rec.disk, Clocks: h.nodeClocks()}
	for _, s := range h.nodes {
		in.Ports[s.name] = s.port
		e := checker.LogEnd{Node: s.name, Gen: s.gen, Up: s.up && !s.exiting && !s.node.Down()}
		if e.Up {
			e.Replicas = s.node.Repl().Replicas
			info := s.node.Info(false, map[string]bool{"persistence": true})
			e.AOFWriteOK = strings.Contains(info, "aof_last_write_status:ok\r\n")
		}
		in.Ends = append(in.Ends, e)
	}
	return in
}

// expectLog records that node s must have logged a line of format now,
// for an event the cluster saw it handle.
func (s *simNode) expectLog(format string) {
	s.h.rec.expects = append(s.h.rec.expects, checker.LogExpect{Node: s.name, Gen: s.gen, At: int64(s.h.w.Now()), Format: format})
}

// Manifests are the AOF manifests on the running nodes' disks (as they
// are, without injected faults), for checker.CheckManifests.
func (h *Cluster) Manifests() []checker.ManifestFile {
	var out []checker.ManifestFile
	for _, s := range h.nodes {
		if !s.up || s.exiting || s.node.Down() {
			continue
		}
		cfg := s.node.Config()
		if !cfg.AppendOnly {
			continue
		}
		p := path.Join(cfg.AppendDirname, cfg.AppendFilename+".manifest")
		text, ok := s.fs.CurrentContent(p)
		if !ok {
			continue
		}
		f := checker.ManifestFile{Node: s.name, Path: p, Text: string(text), Bases: map[string]string{}}
		for _, line := range strings.Split(f.Text, "\n") {
			w := strings.Fields(line)
			if len(w) == 6 && w[0] == "file" && w[5] == "b" && strings.HasSuffix(w[1], ".rdb") {
				if b, ok := s.fs.CurrentContent(path.Join(cfg.AppendDirname, w[1])); ok {
					f.Bases[w[1]] = string(b)
				}
			}
		}
		out = append(out, f)
	}
	return out
}
