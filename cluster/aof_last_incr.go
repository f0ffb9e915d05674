package cluster

import "path"

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
