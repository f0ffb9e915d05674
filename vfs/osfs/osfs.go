// Package osfs is vfs.FS on the operating system: what the real server
// persists through.
package osfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/replsim/replsim/vfs"
)

// FS is vfs.FS on the operating system, rooted at a directory (the
// config's dir). The root can move (CONFIG SET dir); it is safe for use by
// the event loop and background jobs at once.
type FS struct {
	mu   sync.Mutex
	root string
}

// New returns an FS rooted at root.
func New(root string) *FS { return &FS{root: root} }

// Root returns the current root directory.
func (f *FS) Root() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.root
}

// ChangeDir moves the root to dir (relative to the current root) if it is
// an existing directory, and returns its absolute path. Errors read like
// Strerror, as Redis reports a failed chdir.
func (f *FS) ChangeDir(dir string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	abs, err := ResolveDir(f.root, dir)
	if err != nil {
		return "", err
	}
	f.root = abs
	return abs, nil
}

// ResolveDir checks that dir (relative to base) is a directory and returns
// its absolute, cleaned path.
func ResolveDir(base, dir string) (string, error) {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", errors.New(Strerror(err))
	}
	if !st.IsDir() {
		return "", errors.New(Strerror(syscall.ENOTDIR))
	}
	return abs, nil
}

// Strerror renders an OS error the way C's strerror does ("No such file or
// directory"), dropping Go's "op path:" prefix.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return err.Error()
}

func (f *FS) path(name string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) && name != "." {
		return "", fmt.Errorf("vfs: path %q leaves the data directory", name)
	}
	return filepath.Join(f.Root(), filepath.FromSlash(name)), nil
}

// fsError keeps the OS error's text and lets errors.Is find the vfs
// sentinel that classifies it.
type fsError struct {
	kind error
	err  error
}

func (e *fsError) Error() string   { return e.err.Error() }
func (e *fsError) Unwrap() []error { return []error{e.kind, e.err} }

func wrapFSError(err error) error {
	if err == nil {
		return nil
	}
	var kind error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		kind = vfs.ErrNotExist
	case errors.Is(err, syscall.ENOSPC):
		kind = vfs.ErrNoSpace
	case errors.Is(err, syscall.EIO):
		kind = vfs.ErrIO
	default:
		return err
	}
	return &fsError{kind: kind, err: err}
}

type osFile struct{ f *os.File }

func (o osFile) Read(p []byte) (int, error)  { n, err := o.f.Read(p); return n, wrapFSError(err) }
func (o osFile) Write(p []byte) (int, error) { n, err := o.f.Write(p); return n, wrapFSError(err) }
func (o osFile) Sync() error                 { return wrapFSError(o.f.Sync()) }
func (o osFile) Close() error                { return wrapFSError(o.f.Close()) }

func (f *FS) open(name string, flag int) (vfs.File, error) {
	p, err := f.path(name)
	if err != nil {
		return nil, err
	}
	file, err := os.OpenFile(p, flag, 0o644)
	if err != nil {
		return nil, wrapFSError(err)
	}
	return osFile{file}, nil
}

// Create creates or truncates name for writing.
func (f *FS) Create(name string) (vfs.File, error) {
	return f.open(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
}

// OpenAppend opens name for appending, creating it if missing.
func (f *FS) OpenAppend(name string) (vfs.File, error) {
	return f.open(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND)
}

// Open opens name for reading.
func (f *FS) Open(name string) (vfs.File, error) { return f.open(name, os.O_RDONLY) }

// ReadFile returns the whole content of name.
func (f *FS) ReadFile(name string) ([]byte, error) {
	p, err := f.path(name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	return b, wrapFSError(err)
}

// Rename atomically replaces newname with oldname.
func (f *FS) Rename(oldname, newname string) error {
	po, err := f.path(oldname)
	if err != nil {
		return err
	}
	pn, err := f.path(newname)
	if err != nil {
		return err
	}
	return wrapFSError(os.Rename(po, pn))
}

// Remove deletes name.
func (f *FS) Remove(name string) error {
	p, err := f.path(name)
	if err != nil {
		return err
	}
	return wrapFSError(os.Remove(p))
}

// Stat returns the size of name.
func (f *FS) Stat(name string) (int64, error) {
	p, err := f.path(name)
	if err != nil {
		return 0, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return 0, wrapFSError(err)
	}
	return st.Size(), nil
}

// MkdirAll creates a directory and its parents.
func (f *FS) MkdirAll(dir string) error {
	p, err := f.path(dir)
	if err != nil {
		return err
	}
	return wrapFSError(os.MkdirAll(p, 0o755))
}

// List returns the names of the entries in dir, sorted.
func (f *FS) List(dir string) ([]string, error) {
	p, err := f.path(dir)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, wrapFSError(err)
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	sort.Strings(names)
	return names, nil
}

// SyncDir fsyncs the directory so that creations, renames and removals in
// it are durable.
func (f *FS) SyncDir(dir string) error {
	p, err := f.path(dir)
	if err != nil {
		return err
	}
	d, err := os.Open(p)
	if err != nil {
		return wrapFSError(err)
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return wrapFSError(err)
	}
	return wrapFSError(d.Close())
}
