package node

import "github.com/replsim/replsim/vfs"

// saveFS is the filesystem an RDB save writes through: fs itself, or with
// BugSaveIgnoresWriteError one whose files swallow write errors.
func (n *Node) saveFS(fs vfs.FS) vfs.FS {
	if n.bug(BugSaveIgnoresWriteError) {
		return laxWritesFS{fs}
	}
	return fs
}

// laxWritesFS creates files whose writes never fail, whatever they stored
// (BugSaveIgnoresWriteError).
type laxWritesFS struct{ vfs.FS }

func (l laxWritesFS) Create(name string) (vfs.File, error) {
	f, err := l.FS.Create(name)
	if err != nil {
		return nil, err
	}
	return laxWritesFile{f}, nil
}

type laxWritesFile struct{ vfs.File }

func (f laxWritesFile) Write(p []byte) (int, error) {
	_, _ = f.File.Write(p)
	return len(p), nil
}
