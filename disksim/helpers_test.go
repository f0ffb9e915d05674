package disksim

import (
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/require"
)

func newFS(seed uint64) *FS { return New(sim.NewRand(seed, "disk")) }

// writeFile creates name with content, optionally syncing the file and its
// directory.
func writeFile(t testing.TB, fs *FS, name, content string, syncFile, syncDir bool) {
	t.Helper()
	f, err := fs.Create(name)
	require.NoError(t, err)
	_, err = f.Write([]byte(content))
	require.NoError(t, err)
	if syncFile {
		require.NoError(t, f.Sync())
	}
	require.NoError(t, f.Close())
	if syncDir {
		dir := "."
		if i := lastSlash(name); i >= 0 {
			dir = name[:i]
		}
		require.NoError(t, fs.SyncDir(dir))
	}
}

func appendFile(t testing.TB, fs *FS, name, content string, sync bool) {
	t.Helper()
	f, err := fs.OpenAppend(name)
	require.NoError(t, err)
	_, err = f.Write([]byte(content))
	require.NoError(t, err)
	if sync {
		require.NoError(t, f.Sync())
	}
	require.NoError(t, f.Close())
}

func content(t testing.TB, fs *FS, name string) string {
	t.Helper()
	b, err := fs.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}
