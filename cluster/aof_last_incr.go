package cluster

import (
	"path"

	"github.com/replsim/replsim/checker"
)

// lastIncr names s's last incr AOF file, by its manifest: its path on s's
// disk and its name as the manifest gives it. ok is false when the
// manifest cannot be read or lists no incr file. The AOF plants edit this
// file before a restart.
func lastIncr(s *simNode) (p, name string, ok bool) {
	dir := s.cfg.AppendDirname
	files, ok := manifestFiles(s.fs, dir+"/"+s.cfg.AppendFilename+".manifest")
	if !ok || len(files) < 2 {
		return "", "", false
	}
	name = files[len(files)-1]
	return path.Join(dir, name), name, true
}

// lastIncrNamed is the name of the last incr file s's manifest names, ""
// for none (or no readable manifest).
func lastIncrNamed(s *simNode) string {
	text, ok := s.fs.CurrentContent(path.Join(s.cfg.AppendDirname, s.cfg.AppendFilename+".manifest"))
	if !ok {
		return ""
	}
	name := ""
	for _, e := range checker.ManifestEntries(string(text)) {
		if e.Type == "i" {
			name = e.Name
		}
	}
	return name
}
