package disksim

import (
	"errors"
	"fmt"

	"github.com/replsim/replsim/vfs"
)

// Errors disksim reports besides the vfs ones. Every error returned by an FS
// or File method names the operation and the path and wraps one of these or
// one of vfs.ErrNotExist, vfs.ErrIO, vfs.ErrNoSpace.
var (
	// ErrInvalidPath: empty, absolute, or escaping the root ("../x").
	ErrInvalidPath = errors.New("invalid path")
	// ErrIsDir: a file operation named a directory.
	ErrIsDir = errors.New("is a directory")
	// ErrNotDir: a path component or a directory operation named a file.
	ErrNotDir = errors.New("not a directory")
	// ErrNotEmpty: Remove of a directory that still has entries.
	ErrNotEmpty = errors.New("directory not empty")
	// ErrClosed: an operation on a closed File.
	ErrClosed = errors.New("file already closed")
	// ErrStaleHandle: an operation on a File opened before a Crash. Errors
	// carrying it also wrap vfs.ErrIO.
	ErrStaleHandle = errors.New("file handle invalidated by crash")
	// ErrBadMode: Write on a handle opened for reading, or Read on one
	// opened for writing.
	ErrBadMode = errors.New("bad file descriptor")
	// ErrBadGlob: an injector's PathGlob is not a valid path.Match pattern.
	ErrBadGlob = errors.New("bad injector glob")
	// ErrBadCrashMode: Crash was given an unknown CrashMode.
	ErrBadCrashMode = errors.New("unknown crash mode")
)

// opErr formats "disksim: <op> <path>: <err>".
func opErr(op Op, p string, err error) error {
	return fmt.Errorf("disksim: %s %s: %w", op, p, err)
}

// staleErr is the error for a handle that outlived a crash.
func staleErr(op Op, p string) error {
	return fmt.Errorf("disksim: %s %s: %w: %w", op, p, ErrStaleHandle, vfs.ErrIO)
}
