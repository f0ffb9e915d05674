// Package vfs is the filesystem interface the node persists through. The
// simulator backs it with disksim (crashable, fault-injecting); the real
// server backs it with the operating system. Paths are slash-separated and
// relative to the node's working directory ("dir" in the config).
package vfs

import (
	"errors"
	"io"
)

// Errors an FS reports. Implementations wrap them so errors.Is works.
var (
	ErrNotExist = errors.New("no such file or directory")
	ErrIO       = errors.New("input/output error")      // EIO
	ErrNoSpace  = errors.New("no space left on device") // ENOSPC
)

// File is an open file. Writes append at the end for files opened with
// Create or OpenAppend; Read reads from the start for files opened with Open.
type File interface {
	io.Reader
	io.Writer
	// Sync makes the file's content durable (fsync). After a failed Sync
	// the unsynced data may be lost; callers must not assume a retry helps.
	Sync() error
	Close() error
}

// FS is the node's view of a filesystem.
type FS interface {
	// Create creates or truncates name for writing.
	Create(name string) (File, error)
	// OpenAppend opens name for appending, creating it if missing.
	OpenAppend(name string) (File, error)
	// Open opens name for reading.
	Open(name string) (File, error)
	// ReadFile returns the whole content of name.
	ReadFile(name string) ([]byte, error)
	// Rename atomically replaces newname with oldname. The rename is
	// durable only after SyncDir of the directory.
	Rename(oldname, newname string) error
	// Remove deletes name.
	Remove(name string) error
	// Stat returns the size of name.
	Stat(name string) (size int64, err error)
	// MkdirAll creates a directory and its parents.
	MkdirAll(dir string) error
	// List returns the names of the entries in dir, sorted.
	List(dir string) ([]string, error)
	// SyncDir makes dir's entries (creations, renames, removals) durable.
	SyncDir(dir string) error
}
