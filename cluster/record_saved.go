package cluster

import (
	"fmt"
	"path"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/rdb"
)

// logRewriteSucceeded is backgroundRewriteDoneHandler's success line.
const logRewriteSucceeded = "Background AOF rewrite finished successfully"

// noteSaved reads, at a save's success line, the file the save wrote (the
// dbfilename after "DB saved on disk", the base the manifest names after a
// rewrite's success) and notes whether it reads back whole
// (checker.CheckSavesWhole).
func (s *simNode) noteSaved(l *checker.LogLine) {
	if s.node == nil || s.damage != nil || (l.Format != logRDBSaved && l.Format != logRewriteSucceeded) {
		return
	}
	cfg := s.node.Config()
	file := cfg.DBFilename
	if l.Format == logRewriteSucceeded {
		text, ok := s.fs.CurrentContent(path.Join(cfg.AppendDirname, cfg.AppendFilename+".manifest"))
		if !ok {
			return
		}
		file = ""
		for _, e := range checker.ManifestEntries(string(text)) {
			if e.Type == "b" {
				file = path.Join(cfg.AppendDirname, e.Name)
			}
		}
		if file == "" {
			return
		}
	}
	data, ok := s.fs.CurrentContent(file)
	saved := checker.SavedFile{Node: s.name, At: l.At, Line: l.Msg, File: file}
	switch {
	case !ok:
		saved.Err = "the file is missing"
	case strings.HasSuffix(file, ".aof"):
		if len(data) > 0 && !checker.AOFEndsWhole(data) {
			saved.Err = fmt.Sprintf("its %d bytes end inside a command", len(data))
		}
	default:
		if _, err := rdb.Parse(data); err != nil {
			saved.Err = fmt.Sprintf("%d bytes: %v", len(data), err)
		}
	}
	s.h.rec.saves = append(s.h.rec.saves, saved)
}
