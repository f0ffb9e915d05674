package disksim

import (
	"errors"
	"io"
	"testing"

	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateWriteRead(t *testing.T) {
	fs := newFS(1)
	writeFile(t, fs, "a", "hello", false, false)
	assert.Equal(t, "hello", content(t, fs, "a"))
	appendFile(t, fs, "a", " world", false)
	assert.Equal(t, "hello world", content(t, fs, "a"))

	size, err := fs.Stat("a")
	require.NoError(t, err)
	assert.EqualValues(t, 11, size)

	// Create truncates.
	writeFile(t, fs, "a", "x", false, false)
	assert.Equal(t, "x", content(t, fs, "a"))
}

func TestOpenReadsFromStart(t *testing.T) {
	fs := newFS(1)
	writeFile(t, fs, "a", "abcdef", false, false)
	f, err := fs.Open("a")
	require.NoError(t, err)
	buf := make([]byte, 4)
	n, err := f.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "abcd", string(buf[:n]))
	rest, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Equal(t, "ef", string(rest))
	n, err = f.Read(buf)
	assert.Zero(t, n)
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, f.Close())
}

func TestHandleModesAndClose(t *testing.T) {
	fs := newFS(1)
	w, err := fs.Create("a")
	require.NoError(t, err)
	_, err = w.Read(make([]byte, 1))
	assert.ErrorIs(t, err, ErrBadMode)

	r, err := fs.Open("a")
	require.NoError(t, err)
	_, err = r.Write([]byte("x"))
	assert.ErrorIs(t, err, ErrBadMode)
	assert.EqualError(t, err, "disksim: write a: bad file descriptor")

	require.NoError(t, w.Close())
	_, err = w.Write([]byte("x"))
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, w.Sync(), ErrClosed)
	assert.ErrorIs(t, w.Close(), ErrClosed)
}

func TestOpenAppendCreates(t *testing.T) {
	fs := newFS(1)
	appendFile(t, fs, "new", "x", false)
	assert.Equal(t, "x", content(t, fs, "new"))
}

func TestPaths(t *testing.T) {
	fs := newFS(1)
	require.NoError(t, fs.MkdirAll("d/e"))
	writeFile(t, fs, "d/./e/../f", "v", false, false)
	assert.Equal(t, "v", content(t, fs, "d/f"))

	for _, bad := range []string{"", "/abs", "..", "../x", "a/../../x"} {
		_, err := fs.Create(bad)
		assert.ErrorIs(t, err, ErrInvalidPath, bad)
	}
	_, err := fs.Create("../x")
	assert.EqualError(t, err, "disksim: create ../x: invalid path: escapes the root")
	_, err = fs.Create(".")
	assert.ErrorIs(t, err, ErrIsDir)
	_, err = fs.List("/")
	assert.ErrorIs(t, err, ErrInvalidPath)
}

func TestNotExistAndTypeErrors(t *testing.T) {
	fs := newFS(1)
	require.NoError(t, fs.MkdirAll("d"))
	writeFile(t, fs, "f", "x", false, false)

	_, err := fs.Open("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	assert.EqualError(t, err, "disksim: open missing: no such file or directory")
	_, err = fs.ReadFile("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	_, err = fs.Stat("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	assert.ErrorIs(t, fs.Remove("missing"), vfs.ErrNotExist)
	assert.ErrorIs(t, fs.Rename("missing", "x"), vfs.ErrNotExist)
	_, err = fs.Create("nodir/x")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	_, err = fs.List("nodir")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	assert.ErrorIs(t, fs.SyncDir("nodir"), vfs.ErrNotExist)

	_, err = fs.Create("f/x")
	assert.ErrorIs(t, err, ErrNotDir)
	assert.ErrorIs(t, fs.MkdirAll("f/g"), ErrNotDir)
	_, err = fs.List("f")
	assert.ErrorIs(t, err, ErrNotDir)

	_, err = fs.Open("d")
	assert.ErrorIs(t, err, ErrIsDir)
	_, err = fs.Create("d")
	assert.ErrorIs(t, err, ErrIsDir)
	assert.ErrorIs(t, fs.Rename("d", "e"), ErrIsDir)
	assert.ErrorIs(t, fs.Rename("f", "d"), ErrIsDir)

	size, err := fs.Stat("d")
	require.NoError(t, err)
	assert.Zero(t, size)
}

func TestRenameRemoveList(t *testing.T) {
	fs := newFS(1)
	require.NoError(t, fs.MkdirAll("d"))
	writeFile(t, fs, "b", "B", false, false)
	writeFile(t, fs, "a", "A", false, false)
	names, err := fs.List(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "d"}, names)

	require.NoError(t, fs.Rename("a", "b")) // replaces b
	assert.Equal(t, "A", content(t, fs, "b"))
	_, err = fs.Stat("a")
	assert.ErrorIs(t, err, vfs.ErrNotExist)

	require.NoError(t, fs.Rename("b", "d/c"))
	names, err = fs.List("d")
	require.NoError(t, err)
	assert.Equal(t, []string{"c"}, names)
	require.NoError(t, fs.Rename("d/c", "d/c")) // no-op
	assert.Equal(t, "A", content(t, fs, "d/c"))

	assert.ErrorIs(t, fs.Remove("d"), ErrNotEmpty)
	require.NoError(t, fs.Remove("d/c"))
	require.NoError(t, fs.Remove("d"))
	names, err = fs.List(".")
	require.NoError(t, err)
	assert.Empty(t, names)
}

func TestWriteThroughHandleAfterRename(t *testing.T) {
	fs := newFS(1)
	f, err := fs.Create("tmp")
	require.NoError(t, err)
	require.NoError(t, fs.Rename("tmp", "final"))
	_, err = f.Write([]byte("data"))
	require.NoError(t, err)
	assert.Equal(t, "data", content(t, fs, "final"))
}

func TestMkdirAllIdempotent(t *testing.T) {
	fs := newFS(1)
	require.NoError(t, fs.MkdirAll("a/b/c"))
	require.NoError(t, fs.MkdirAll("a/b"))
	require.NoError(t, fs.MkdirAll("."))
	names, err := fs.List("a/b")
	require.NoError(t, err)
	assert.Equal(t, []string{"c"}, names)
}

func TestReadFileReturnsCopy(t *testing.T) {
	fs := newFS(1)
	writeFile(t, fs, "a", "abc", true, true)
	b, err := fs.ReadFile("a")
	require.NoError(t, err)
	b[0] = 'X'
	assert.Equal(t, "abc", content(t, fs, "a"))
	s, ok := fs.SyncedContent("a")
	require.True(t, ok)
	s[0] = 'X'
	s, _ = fs.SyncedContent("a")
	assert.Equal(t, "abc", string(s))
}

func TestSnapshot(t *testing.T) {
	fs := newFS(1)
	require.NoError(t, fs.MkdirAll("d"))
	require.NoError(t, fs.SyncDir("."))
	writeFile(t, fs, "d/a", "12345", true, true)
	appendFile(t, fs, "d/a", "67", false)
	writeFile(t, fs, "b", "xy", false, false)
	snap := fs.Snapshot()
	assert.Equal(t, Snapshot{
		{Path: "b", Size: 2},
		{Path: "d", Dir: true, Durable: true},
		{Path: "d/a", Size: 7, SyncedSize: 5, Durable: true},
	}, snap)
	assert.Equal(t, "b 2 synced=0\nd/ durable\nd/a 7 synced=5 durable\n", snap.String())
}

func TestErrorsWrap(t *testing.T) {
	fs := newFS(1)
	_, err := fs.Open("x")
	var target error = vfs.ErrNotExist
	assert.True(t, errors.Is(err, target))
}
