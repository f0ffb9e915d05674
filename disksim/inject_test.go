package disksim

import (
	"errors"
	"math/bits"
	"testing"

	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type faultRec struct {
	op   Op
	path string
	kind string
}

func recordFaults(fs *FS) *[]faultRec {
	var got []faultRec
	fs.OnFault = func(op Op, path, kind string) { got = append(got, faultRec{op, path, kind}) }
	return &got
}

func TestInjectorProbabilityOneAndZero(t *testing.T) {
	fs := newFS(3)
	faults := recordFaults(fs)
	always := &Injector{Name: "always", Ops: Ops(OpWrite), Probability: 1, Err: vfs.ErrIO, Enabled: true}
	require.NoError(t, fs.AddInjector(always))
	f, err := fs.Create("appendonly.aof")
	require.NoError(t, err)
	for i := 0; i < 20; i++ {
		n, err := f.Write([]byte("0123456789"))
		require.ErrorIs(t, err, vfs.ErrIO)
		assert.Less(t, n, 10)
		assert.EqualError(t, err, "disksim: write appendonly.aof: input/output error")
	}
	assert.Len(t, *faults, 20)
	assert.Equal(t, faultRec{OpWrite, "appendonly.aof", KindWriteError}, (*faults)[0])
	assert.Equal(t, 20, fs.Stats().WriteErrors)
	assert.Equal(t, 20, fs.Stats().Fault(KindWriteError))

	always.Probability = 0
	for i := 0; i < 20; i++ {
		_, err := f.Write([]byte("x"))
		require.NoError(t, err)
	}
	assert.Len(t, *faults, 20)
}

func TestInjectorProbabilityHalf(t *testing.T) {
	fs := newFS(3)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpStat), Probability: 0.5, Enabled: true}))
	writeFile(t, fs, "a", "", false, false)
	failed := 0
	for i := 0; i < 1000; i++ {
		if _, err := fs.Stat("a"); err != nil {
			require.ErrorIs(t, err, vfs.ErrIO)
			failed++
		}
	}
	assert.InDelta(t, 500, failed, 100)
	assert.Equal(t, failed, fs.Stats().OtherErrors)
}

func TestInjectorGlob(t *testing.T) {
	fs := newFS(3)
	require.NoError(t, fs.MkdirAll("appendonlydir"))
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpCreate), PathGlob: "*.aof", Probability: 1, Enabled: true}))
	_, err := fs.Create("dump.rdb")
	require.NoError(t, err)
	_, err = fs.Create("x.aof")
	assert.ErrorIs(t, err, vfs.ErrIO)
	_, err = fs.Create("appendonlydir/x.aof") // matched by base name
	assert.ErrorIs(t, err, vfs.ErrIO)
	_, err = fs.OpenAppend("y.aof") // creating
	assert.ErrorIs(t, err, vfs.ErrIO)

	fs2 := newFS(3)
	require.NoError(t, fs2.MkdirAll("appendonlydir"))
	require.NoError(t, fs2.AddInjector(&Injector{Ops: AllOps, PathGlob: "appendonlydir/*", Probability: 1, Enabled: true}))
	_, err = fs2.Create("x.aof")
	require.NoError(t, err)
	_, err = fs2.Create("appendonlydir/x.aof")
	assert.ErrorIs(t, err, vfs.ErrIO)
}

func TestInjectorRenameMatchesEitherName(t *testing.T) {
	fs := newFS(3)
	faults := recordFaults(fs)
	writeFile(t, fs, "temp-1.rdb", "x", true, false)
	inj := &Injector{Ops: Ops(OpRename), PathGlob: "dump.rdb", Probability: 1, Enabled: true}
	require.NoError(t, fs.AddInjector(inj))
	err := fs.Rename("temp-1.rdb", "dump.rdb")
	assert.ErrorIs(t, err, vfs.ErrIO)
	assert.EqualError(t, err, "disksim: rename temp-1.rdb -> dump.rdb: input/output error")
	assert.Equal(t, []faultRec{{OpRename, "temp-1.rdb", KindRenameError}}, *faults)
	assert.Equal(t, "x", content(t, fs, "temp-1.rdb"), "failed rename changed nothing")
}

func TestInjectorToggle(t *testing.T) {
	fs := newFS(3)
	inj := &Injector{Ops: Ops(OpRemove), Probability: 1}
	require.NoError(t, fs.AddInjector(inj))
	writeFile(t, fs, "a", "", false, false)
	writeFile(t, fs, "b", "", false, false)
	require.NoError(t, fs.Remove("a"))
	inj.Enabled = true
	assert.ErrorIs(t, fs.Remove("b"), vfs.ErrIO)
	assert.Equal(t, 1, fs.Stats().RemoveErrors)
	inj.Enabled = false
	require.NoError(t, fs.Remove("b"))
}

func TestInjectorFirstMatchWins(t *testing.T) {
	fs := newFS(3)
	faults := recordFaults(fs)
	require.NoError(t, fs.AddInjector(&Injector{Name: "off", Ops: AllOps, Probability: 1, Err: vfs.ErrNoSpace}))
	require.NoError(t, fs.AddInjector(&Injector{Name: "other", Ops: Ops(OpSync), Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}))
	require.NoError(t, fs.AddInjector(&Injector{Name: "first", Ops: Ops(OpMkdir), Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}))
	require.NoError(t, fs.AddInjector(&Injector{Name: "second", Ops: Ops(OpMkdir), Probability: 1, Err: vfs.ErrIO, Enabled: true}))
	err := fs.MkdirAll("d")
	assert.ErrorIs(t, err, vfs.ErrNoSpace)
	assert.False(t, errors.Is(err, vfs.ErrIO))
	assert.Equal(t, []faultRec{{OpMkdir, "d", KindOtherError}}, *faults)
	_, err = fs.List(".")
	require.NoError(t, err)
	assert.Empty(t, mustList(t, fs, "."), "failed mkdir created nothing")
}

func mustList(t *testing.T, fs *FS, dir string) []string {
	t.Helper()
	names, err := fs.List(dir)
	require.NoError(t, err)
	return names
}

func TestInjectorBadGlob(t *testing.T) {
	fs := newFS(3)
	err := fs.AddInjector(&Injector{Name: "bad", PathGlob: "[", Ops: AllOps, Enabled: true})
	assert.ErrorIs(t, err, ErrBadGlob)
	assert.Error(t, fs.AddInjector(nil))

	inj := &Injector{Name: "later", Ops: AllOps, Probability: 1, Enabled: true}
	require.NoError(t, fs.AddInjector(inj))
	inj.PathGlob = "["
	_, err = fs.Create("a")
	assert.ErrorIs(t, err, ErrBadGlob)
}

func TestBitFlipChangesExactlyOneBit(t *testing.T) {
	data := []byte("the quick brown fox jumps over the lazy dog")
	for seed := uint64(0); seed < 20; seed++ {
		fs := newFS(seed)
		faults := recordFaults(fs)
		writeFile(t, fs, "dump.rdb", string(data), true, true)
		require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpRead), BitFlip: true, Probability: 1, Enabled: true}))

		got, err := fs.ReadFile("dump.rdb")
		require.NoError(t, err)
		require.Equal(t, 1, flippedBits(data, got))

		f, err := fs.Open("dump.rdb")
		require.NoError(t, err)
		buf := make([]byte, 10)
		n, err := f.Read(buf)
		require.NoError(t, err)
		require.Equal(t, 1, flippedBits(data[:n], buf[:n]))

		stored, _ := fs.CurrentContent("dump.rdb")
		require.Equal(t, data, stored, "bit flips are on the read path only")
		assert.Equal(t, []faultRec{{OpRead, "dump.rdb", KindBitFlip}, {OpRead, "dump.rdb", KindBitFlip}}, *faults)
		assert.Equal(t, 2, fs.Stats().BitFlips)
	}
}

func TestBitFlipOnEmptyReadIsNoFault(t *testing.T) {
	fs := newFS(3)
	writeFile(t, fs, "empty", "", false, false)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpRead), BitFlip: true, Probability: 1, Enabled: true}))
	got, err := fs.ReadFile("empty")
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Zero(t, fs.Stats().Faults())
}

func flippedBits(a, b []byte) int {
	n := 0
	for i := range a {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

func TestReadError(t *testing.T) {
	fs := newFS(3)
	writeFile(t, fs, "a", "abc", false, false)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpRead), Probability: 1, Enabled: true}))
	_, err := fs.ReadFile("a")
	assert.EqualError(t, err, "disksim: read a: input/output error")
	f, err := fs.Open("a")
	require.NoError(t, err)
	_, err = f.Read(make([]byte, 3))
	assert.ErrorIs(t, err, vfs.ErrIO)
	assert.Equal(t, 2, fs.Stats().OtherErrors)
}

func TestOpenErrors(t *testing.T) {
	fs := newFS(3)
	faults := recordFaults(fs)
	writeFile(t, fs, "a", "abc", false, false)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpOpen), Probability: 1, Enabled: true}))
	_, err := fs.Open("a")
	assert.ErrorIs(t, err, vfs.ErrIO)
	_, err = fs.OpenAppend("a")
	assert.ErrorIs(t, err, vfs.ErrIO)
	_, err = fs.ReadFile("a")
	assert.ErrorIs(t, err, vfs.ErrIO)
	_, err = fs.OpenAppend("new") // OpCreate, not targeted
	require.NoError(t, err)
	assert.Len(t, *faults, 3)
	assert.Equal(t, 3, fs.Stats().OpenErrors)
}

func TestWriteNoSpaceIsPartial(t *testing.T) {
	sawPartial := false
	for seed := uint64(0); seed < 20; seed++ {
		fs := newFS(seed)
		f, err := fs.Create("a")
		require.NoError(t, err)
		require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpWrite), Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}))
		n, err := f.Write([]byte("0123456789"))
		require.ErrorIs(t, err, vfs.ErrNoSpace)
		assert.EqualError(t, err, "disksim: write a: no space left on device")
		require.Less(t, n, 10)
		assert.Equal(t, "0123456789"[:n], content(t, fs, "a"))
		assert.EqualValues(t, n, fs.Stats().BytesWritten)
		sawPartial = sawPartial || n > 0
	}
	assert.True(t, sawPartial)
}

func TestSyncErrorDropsOrKeeps(t *testing.T) {
	for _, drop := range []float64{0, 1} {
		fs := newFS(3)
		fs.SyncErrorDropProbability = drop
		faults := recordFaults(fs)
		writeFile(t, fs, "a", "synced", true, true)
		f, err := fs.OpenAppend("a")
		require.NoError(t, err)
		_, err = f.Write([]byte("+pending"))
		require.NoError(t, err)
		inj := &Injector{Ops: Ops(OpSync), Probability: 1, Enabled: true}
		require.NoError(t, fs.AddInjector(inj))
		err = f.Sync()
		assert.EqualError(t, err, "disksim: sync a: input/output error")
		assert.Equal(t, []faultRec{{OpSync, "a", KindFsyncError}}, *faults)
		s, _ := fs.SyncedContent("a")
		assert.Equal(t, "synced", string(s))
		if drop == 1 {
			assert.Equal(t, "synced", content(t, fs, "a"))
			assert.Equal(t, 1, fs.Stats().SyncDrops)
			assert.EqualValues(t, 8, fs.Stats().BytesLost)
		} else {
			assert.Equal(t, "synced+pending", content(t, fs, "a"))
			assert.Zero(t, fs.Stats().SyncDrops)
		}
		// Appending continues at the (possibly shortened) end, and a later
		// successful sync persists it.
		inj.Enabled = false
		_, err = f.Write([]byte("!"))
		require.NoError(t, err)
		require.NoError(t, f.Sync())
		s, _ = fs.SyncedContent("a")
		assert.Equal(t, content(t, fs, "a"), string(s))
	}
}

func TestSyncErrorDropAfterTruncate(t *testing.T) {
	fs := newFS(3)
	fs.SyncErrorDropProbability = 1
	writeFile(t, fs, "a", "old", true, true)
	f, err := fs.Create("a")
	require.NoError(t, err)
	_, err = f.Write([]byte("new"))
	require.NoError(t, err)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpSync), Probability: 1, Enabled: true}))
	assert.Error(t, f.Sync())
	assert.Equal(t, "", content(t, fs, "a"), "the truncation stays, the new data is dropped")
}

func TestSyncDirError(t *testing.T) {
	fs := newFS(3)
	faults := recordFaults(fs)
	writeFile(t, fs, "a", "x", true, false)
	require.NoError(t, fs.AddInjector(&Injector{Ops: Ops(OpSyncDir), Probability: 1, Enabled: true}))
	assert.ErrorIs(t, fs.SyncDir("."), vfs.ErrIO)
	assert.Equal(t, []faultRec{{OpSyncDir, ".", KindFsyncError}}, *faults)
	_, ok := fs.SyncedContent("a")
	assert.False(t, ok, "a failed SyncDir made nothing durable")
}

func TestInjectorOnlyFailsOpsThatWouldSucceed(t *testing.T) {
	fs := newFS(3)
	require.NoError(t, fs.AddInjector(&Injector{Ops: AllOps, Probability: 1, Enabled: true}))
	_, err := fs.Open("missing")
	assert.ErrorIs(t, err, vfs.ErrNotExist)
	assert.Zero(t, fs.Stats().Faults())
}

func TestOpString(t *testing.T) {
	assert.Equal(t, "syncdir", OpSyncDir.String())
	assert.Equal(t, "op(99)", Op(99).String())
	assert.True(t, AllOps.Has(OpMkdir))
	assert.False(t, Ops(OpRead).Has(OpWrite))
}
