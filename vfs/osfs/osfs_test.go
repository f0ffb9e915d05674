package osfs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOSFS(t *testing.T) {
	root := t.TempDir()
	fs := New(root)

	f, err := fs.Create("a.tmp")
	require.NoError(t, err)
	_, err = f.Write([]byte("hello "))
	require.NoError(t, err)
	require.NoError(t, f.Sync())
	require.NoError(t, f.Close())

	f, err = fs.OpenAppend("a.tmp")
	require.NoError(t, err)
	_, err = f.Write([]byte("world"))
	require.NoError(t, err)
	require.NoError(t, f.Close())

	require.NoError(t, fs.Rename("a.tmp", "a.rdb"))
	require.NoError(t, fs.SyncDir("."))
	b, err := fs.ReadFile("a.rdb")
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(b))
	size, err := fs.Stat("a.rdb")
	require.NoError(t, err)
	assert.Equal(t, int64(11), size)

	r, err := fs.Open("a.rdb")
	require.NoError(t, err)
	b, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(b))
	require.NoError(t, r.Close())

	require.NoError(t, fs.MkdirAll("appendonlydir/x"))
	require.NoError(t, fs.SyncDir("appendonlydir"))
	names, err := fs.List(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"a.rdb", "appendonlydir"}, names)

	require.NoError(t, fs.Remove("a.rdb"))
	_, err = fs.Stat("a.rdb")
	assert.True(t, errors.Is(err, vfs.ErrNotExist), "%v", err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
	_, err = fs.ReadFile("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	_, err = fs.Open("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)

	_, err = fs.ReadFile("../escape")
	assert.ErrorContains(t, err, "leaves the data directory")
	_, err = fs.Create("/etc/passwd")
	assert.ErrorContains(t, err, "leaves the data directory")
}

func TestOSFSChangeDir(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "file"), nil, 0o644))
	fs := New(root)

	abs, err := fs.ChangeDir("sub")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "sub"), abs)
	assert.Equal(t, abs, fs.Root())

	_, err = fs.ChangeDir("nope")
	assert.EqualError(t, err, "No such file or directory")
	_, err = fs.ChangeDir(filepath.Join(root, "file"))
	assert.EqualError(t, err, "Not a directory")
	assert.Equal(t, abs, fs.Root(), "a failed change keeps the root")
}
