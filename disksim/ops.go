package disksim

import (
	"maps"

	"github.com/replsim/replsim/vfs"
)

// Path validation and lookup errors come first; an injector only gets to
// fail an operation that would otherwise succeed.

// Create creates name, or truncates it if it exists, and opens it for
// appending. The new entry is durable only after SyncDir of its directory;
// a truncation only after Sync of the file.
func (fs *FS) Create(name string) (vfs.File, error) {
	c, err := cleanFilePath(OpCreate, name)
	if err != nil {
		return nil, err
	}
	parent, base, n, err := fs.lookup(OpCreate, c)
	if err != nil {
		return nil, err
	}
	if n != nil && n.dir {
		return nil, opErr(OpCreate, c, ErrIsDir)
	}
	if err := fs.failOp(OpCreate, c, ""); err != nil {
		return nil, err
	}
	if n == nil {
		n = fs.newFile()
		parent.entries[base] = n
	} else {
		n.truncated = n.truncated || len(n.synced) > 0
		n.data = nil
	}
	return fs.open(n, c, true), nil
}

// OpenAppend opens name for appending, creating it (OpCreate) if missing.
func (fs *FS) OpenAppend(name string) (vfs.File, error) {
	c, err := cleanFilePath(OpOpen, name)
	if err != nil {
		return nil, err
	}
	parent, base, n, err := fs.lookup(OpOpen, c)
	if err != nil {
		return nil, err
	}
	if n != nil && n.dir {
		return nil, opErr(OpOpen, c, ErrIsDir)
	}
	op := OpOpen
	if n == nil {
		op = OpCreate
	}
	if err := fs.failOp(op, c, ""); err != nil {
		return nil, err
	}
	if n == nil {
		n = fs.newFile()
		parent.entries[base] = n
	}
	return fs.open(n, c, true), nil
}

// fileRef is an existing file found by lookupFile.
type fileRef struct {
	path   string // cleaned
	parent *inode
	base   string
	ino    *inode
}

// lookupFile resolves an existing file for op.
func (fs *FS) lookupFile(op Op, name string) (fileRef, error) {
	c, err := cleanFilePath(op, name)
	if err != nil {
		return fileRef{}, err
	}
	parent, base, n, err := fs.lookup(op, c)
	switch {
	case err != nil:
		return fileRef{}, err
	case n == nil:
		return fileRef{}, opErr(op, c, vfs.ErrNotExist)
	case n.dir:
		return fileRef{}, opErr(op, c, ErrIsDir)
	}
	return fileRef{path: c, parent: parent, base: base, ino: n}, nil
}

// Open opens name for reading from the start.
func (fs *FS) Open(name string) (vfs.File, error) {
	f, err := fs.lookupFile(OpOpen, name)
	if err != nil {
		return nil, err
	}
	if err := fs.failOp(OpOpen, f.path, ""); err != nil {
		return nil, err
	}
	return fs.open(f.ino, f.path, false), nil
}

// ReadFile returns a copy of name's current content. It is an OpOpen then
// an OpRead for injectors.
func (fs *FS) ReadFile(name string) ([]byte, error) {
	f, err := fs.lookupFile(OpOpen, name)
	if err != nil {
		return nil, err
	}
	c, n := f.path, f.ino
	if err := fs.failOp(OpOpen, c, ""); err != nil {
		return nil, err
	}
	inj, err := fs.inject(OpRead, c, "")
	if err != nil {
		return nil, err
	}
	if inj != nil && !inj.BitFlip {
		fs.fault(OpRead, c, false)
		return nil, injErr(inj, OpRead, c)
	}
	out := append([]byte(nil), n.data...)
	if inj != nil && len(out) > 0 {
		from := 0
		if inj.FlipTail > 0 {
			from = max(0, len(out)-inj.FlipTail)
		}
		fs.LastFlip = Flip{Offset: int64(from + fs.flipBit(out[from:])), Size: int64(len(out))}
		fs.fault(OpRead, c, true)
	}
	return out, nil
}

// Rename moves the file oldname to newname, replacing any file there. Both
// directories need SyncDir for the rename to be durable. Directories cannot
// be renamed.
func (fs *FS) Rename(oldname, newname string) error {
	src, err := fs.lookupFile(OpRename, oldname)
	if err != nil {
		return err
	}
	co := src.path
	cn, err := cleanFilePath(OpRename, newname)
	if err != nil {
		return err
	}
	newParent, newBase, target, err := fs.lookup(OpRename, cn)
	if err != nil {
		return err
	}
	if target != nil && target.dir {
		return opErr(OpRename, cn, ErrIsDir)
	}
	if err := fs.failOp(OpRename, co, cn); err != nil {
		return err
	}
	if co == cn {
		return nil
	}
	delete(src.parent.entries, src.base)
	newParent.entries[newBase] = src.ino
	// An open handle's name follows the file, as /proc/<pid>/fd shows it:
	// its later operations are the renamed file's.
	for h := range fs.live {
		if h.ino == src.ino {
			h.path = cn
		}
	}
	if fs.OnRename != nil {
		fs.OnRename(co, cn)
	}
	return nil
}

// Remove deletes the file or empty directory name. The removal is durable
// only after SyncDir of its directory.
func (fs *FS) Remove(name string) error {
	c, err := cleanFilePath(OpRemove, name)
	if err != nil {
		return err
	}
	parent, base, n, err := fs.lookup(OpRemove, c)
	switch {
	case err != nil:
		return err
	case n == nil:
		return opErr(OpRemove, c, vfs.ErrNotExist)
	case n.dir && len(n.entries) > 0:
		return opErr(OpRemove, c, ErrNotEmpty)
	}
	if err := fs.failOp(OpRemove, c, ""); err != nil {
		return err
	}
	delete(parent.entries, base)
	return nil
}

// Stat returns the current size of name; a directory has size 0.
func (fs *FS) Stat(name string) (int64, error) {
	c, err := cleanPath(OpStat, name)
	if err != nil {
		return 0, err
	}
	n := fs.root
	if c != "." {
		_, _, n, err = fs.lookup(OpStat, c)
		if err != nil {
			return 0, err
		}
		if n == nil {
			return 0, opErr(OpStat, c, vfs.ErrNotExist)
		}
	}
	if err := fs.failOp(OpStat, c, ""); err != nil {
		return 0, err
	}
	return int64(len(n.data)), nil
}

// MkdirAll creates dir and any missing parents. Each new directory is
// durable only after SyncDir of its parent.
func (fs *FS) MkdirAll(dir string) error {
	c, err := cleanPath(OpMkdir, dir)
	if err != nil {
		return err
	}
	parts := splitPath(c)
	d := fs.root
	missing := len(parts)
	for i, part := range parts {
		n, ok := d.entries[part]
		if !ok {
			missing = i
			break
		}
		if !n.dir {
			return opErr(OpMkdir, c, ErrNotDir)
		}
		d = n
	}
	if err := fs.failOp(OpMkdir, c, ""); err != nil {
		return err
	}
	for _, part := range parts[missing:] {
		n := fs.newDir()
		d.entries[part] = n
		d = n
	}
	return nil
}

// List returns the names in dir's current entries, sorted.
func (fs *FS) List(dir string) ([]string, error) {
	c, err := cleanPath(OpList, dir)
	if err != nil {
		return nil, err
	}
	d, err := fs.walkDir(OpList, c, c)
	if err != nil {
		return nil, err
	}
	if err := fs.failOp(OpList, c, ""); err != nil {
		return nil, err
	}
	return sortedNames(d.entries), nil
}

// SyncDir makes dir's current entries its synced entries.
func (fs *FS) SyncDir(dir string) error {
	c, err := cleanPath(OpSyncDir, dir)
	if err != nil {
		return err
	}
	d, err := fs.walkDir(OpSyncDir, c, c)
	if err != nil {
		return err
	}
	if err := fs.failOp(OpSyncDir, c, ""); err != nil {
		return err
	}
	d.syncedEntries = maps.Clone(d.entries)
	return nil
}
