package server

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/replsim/replsim/node"
)

var _ node.ConfigFileStore = (*realEnv)(nil)

// ReadConfigFile implements node.ConfigFileStore: a missing file is empty.
func (e *realEnv) ReadConfigFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, cError(err)
}

// WriteConfigFile implements node.ConfigFileStore the way Redis's
// rewriteConfigOverwriteFile does: a temporary file next to the target,
// written, fsynced, made 0644, renamed over it, and the directory synced.
func (e *realEnv) WriteConfigFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return cError(err)
	}
	tmp := f.Name()
	err = writeSyncClose(f, data)
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return cError(err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func writeSyncClose(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// cError words err as C's strerror does ("Permission denied"), which is
// what Redis puts in its replies.
func cError(err error) error {
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return errors.New(strings.ToUpper(s[:1]) + s[1:])
	}
	return err
}
