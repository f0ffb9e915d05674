package disksim

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func crash(t *testing.T, fs *FS, mode CrashMode) CrashReport {
	t.Helper()
	rep, err := fs.Crash(mode)
	require.NoError(t, err)
	return rep
}

func TestCrashKeepsFullySynced(t *testing.T) {
	for _, mode := range []CrashMode{CrashLoseAll, CrashTorn, CrashKeepAll} {
		t.Run(mode.String(), func(t *testing.T) {
			fs := newFS(7)
			writeFile(t, fs, "a", "durable", true, true)
			crash(t, fs, mode)
			assert.Equal(t, "durable", content(t, fs, "a"))
		})
	}
}

func TestCrashLosesUnsyncedEntry(t *testing.T) {
	fs := newFS(7)
	writeFile(t, fs, "a", "synced file, unsynced entry", true, false)
	rep := crash(t, fs, CrashLoseAll)
	_, err := fs.Stat("a")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	assert.Equal(t, []FileLoss{{Path: "a", Before: 27, After: -1, Lost: 27}}, rep.Files)
	assert.Equal(t, "crash lose_all: a 27->gone lost 27", rep.String())
}

func TestCrashLosesUnsyncedData(t *testing.T) {
	fs := newFS(7)
	writeFile(t, fs, "a", "entry synced, data not", false, true)
	crash(t, fs, CrashLoseAll)
	assert.Equal(t, "", content(t, fs, "a"))
}

func TestCrashLosesUnsyncedNewDirectory(t *testing.T) {
	fs := newFS(7)
	require.NoError(t, fs.MkdirAll("d"))
	writeFile(t, fs, "d/a", "x", true, true) // d's entries synced, root's not
	crash(t, fs, CrashLoseAll)
	_, err := fs.List("d")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
}

func TestCrashRevertsRenameAndRemove(t *testing.T) {
	fs := newFS(7)
	writeFile(t, fs, "old", "O", true, true)
	writeFile(t, fs, "gone", "G", true, true)
	require.NoError(t, fs.Rename("old", "new"))
	require.NoError(t, fs.Remove("gone"))
	crash(t, fs, CrashTorn)
	names, err := fs.List(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"gone", "old"}, names)

	require.NoError(t, fs.Rename("old", "new"))
	require.NoError(t, fs.SyncDir("."))
	crash(t, fs, CrashTorn)
	names, err = fs.List(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"gone", "new"}, names)
	assert.Equal(t, "O", content(t, fs, "new"))
}

func TestCrashTornKeepsPrefix(t *testing.T) {
	sawPartial := false
	for seed := uint64(0); seed < 50; seed++ {
		fs := newFS(seed)
		writeFile(t, fs, "a", "base-", true, true)
		appendFile(t, fs, "a", "0123456789", false)
		rep := crash(t, fs, CrashTorn)
		got := content(t, fs, "a")
		require.True(t, strings.HasPrefix("base-0123456789", got), got)
		require.True(t, strings.HasPrefix(got, "base-"), got)
		if len(got) > 5 && len(got) < 15 {
			sawPartial = true
		}
		if got != "base-0123456789" {
			require.Len(t, rep.Files, 1)
			assert.EqualValues(t, 15-len(got), rep.Files[0].Lost)
			assert.EqualValues(t, 15-len(got), fs.Stats().BytesLost)
		}
	}
	assert.True(t, sawPartial, "50 seeds never tore a tail")
}

func TestCrashKeepAllKeepsEverythingButHandles(t *testing.T) {
	fs := newFS(7)
	f, err := fs.Create("a")
	require.NoError(t, err)
	_, err = f.Write([]byte("unsynced"))
	require.NoError(t, err)
	rep := crash(t, fs, CrashKeepAll)
	assert.Empty(t, rep.Files)
	assert.Equal(t, "crash keep_all: nothing lost", rep.String())
	assert.Equal(t, "unsynced", content(t, fs, "a"))

	// Still unsynced: a later power loss takes it.
	crash(t, fs, CrashLoseAll)
	_, err = fs.Stat("a")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
}

func TestCrashInvalidatesHandles(t *testing.T) {
	fs := newFS(7)
	writeFile(t, fs, "a", "x", true, true)
	w, err := fs.OpenAppend("a")
	require.NoError(t, err)
	r, err := fs.Open("a")
	require.NoError(t, err)
	crash(t, fs, CrashKeepAll)

	_, err = w.Write([]byte("y"))
	assert.ErrorIs(t, err, ErrStaleHandle)
	assert.ErrorIs(t, err, vfs.ErrIO)
	assert.EqualError(t, err, "disksim: write a: file handle invalidated by crash: input/output error")
	assert.ErrorIs(t, w.Sync(), ErrStaleHandle)
	_, err = r.Read(make([]byte, 1))
	assert.ErrorIs(t, err, ErrStaleHandle)
	assert.ErrorIs(t, r.Close(), ErrStaleHandle)
	assert.ErrorIs(t, r.Close(), ErrClosed)
	assert.Equal(t, "x", content(t, fs, "a"))
}

func TestCrashLostDataNeverReappears(t *testing.T) {
	for seed := uint64(0); seed < 30; seed++ {
		fs := newFS(seed)
		writeFile(t, fs, "a", "", true, true)
		appendFile(t, fs, "a", "lost-lost-lost", false)
		crash(t, fs, CrashTorn)
		after := content(t, fs, "a")
		appendFile(t, fs, "a", "NEW", false)
		crash(t, fs, CrashTorn)
		got := content(t, fs, "a")
		require.True(t, strings.HasPrefix(after+"NEW", got), "seed %d: %q after %q", seed, got, after)
		require.True(t, strings.HasPrefix(got, after), "seed %d", seed)
	}
}

func TestCrashTruncation(t *testing.T) {
	fs := newFS(7)
	writeFile(t, fs, "a", "old content", true, true)
	writeFile(t, fs, "a", "new", false, false) // truncate, unsynced
	s, ok := fs.SyncedContent("a")
	require.True(t, ok)
	assert.Equal(t, "old content", string(s))
	rep := crash(t, fs, CrashLoseAll)
	assert.Equal(t, "old content", content(t, fs, "a"))
	assert.Equal(t, []FileLoss{{Path: "a", Before: 3, After: 11, Lost: 3}}, rep.Files)

	outcomes := map[string]bool{}
	for seed := uint64(0); seed < 40; seed++ {
		fs := newFS(seed)
		writeFile(t, fs, "a", "old content", true, true)
		writeFile(t, fs, "a", "new", false, false)
		crash(t, fs, CrashTorn)
		got := content(t, fs, "a")
		require.True(t, got == "old content" || strings.HasPrefix("new", got), got)
		outcomes[got] = true
	}
	assert.True(t, outcomes["old content"])
	assert.Greater(t, len(outcomes), 2)

	// A synced truncation is durable.
	fs = newFS(7)
	writeFile(t, fs, "a", "old content", true, true)
	writeFile(t, fs, "a", "new", true, false)
	crash(t, fs, CrashLoseAll)
	assert.Equal(t, "new", content(t, fs, "a"))
}

func TestCrashCrossDirectoryRenameCanDuplicate(t *testing.T) {
	fs := newFS(7)
	require.NoError(t, fs.MkdirAll("d"))
	writeFile(t, fs, "a", "A", true, true)
	require.NoError(t, fs.Rename("a", "d/a"))
	require.NoError(t, fs.SyncDir("d")) // root still lists "a"
	crash(t, fs, CrashLoseAll)
	assert.Equal(t, "A", content(t, fs, "a"))
	assert.Equal(t, "A", content(t, fs, "d/a"))
}

func TestCrashDeterministic(t *testing.T) {
	run := func() (string, Snapshot) {
		fs := newFS(42)
		require.NoError(t, fs.MkdirAll("d"))
		require.NoError(t, fs.SyncDir("."))
		var reports []string
		for i := 0; i < 5; i++ {
			for _, name := range []string{"a", "b", "d/c", "d/e"} {
				writeFile(t, fs, name, "", true, true)
				appendFile(t, fs, name, strings.Repeat("x", 10+i), false)
			}
			reports = append(reports, crash(t, fs, CrashTorn).String())
		}
		return strings.Join(reports, "\n"), fs.Snapshot()
	}
	r1, s1 := run()
	r2, s2 := run()
	assert.Equal(t, r1, r2)
	assert.Equal(t, s1, s2)
}

func TestCrashBadMode(t *testing.T) {
	fs := newFS(7)
	_, err := fs.Crash(CrashMode(9))
	assert.ErrorIs(t, err, ErrBadCrashMode)
	assert.Zero(t, fs.Stats().Crashes)
}
