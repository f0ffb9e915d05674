package cluster

import (
	"path"

	"github.com/replsim/replsim/vfs"
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

// writeSyncedFile makes p hold data, synced, as a hand edit would
// (create, write, fsync, close), and reports whether every step worked.
func writeSyncedFile(fs vfs.FS, p string, data []byte) bool {
	f, err := fs.Create(p)
	if err != nil {
		return false
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	return f.Close() == nil && werr == nil && serr == nil
}
