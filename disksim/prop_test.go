package disksim

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The model: files by id, two fixed directories whose entries map names to
// ids, and the open handles.
type modelFile struct {
	data, synced []byte
	truncated    bool
}

type modelDir struct {
	cur, syn map[string]int
}

type modelHandle struct {
	f  vfs.File
	id int
}

type fsMachine struct {
	fs        *FS
	files     map[int]*modelFile
	dirs      map[string]*modelDir // "." and "d"
	handles   []modelHandle
	next      int
	syncFail  *Injector
	writeFail *Injector
}

var propPaths = []string{"a", "b", "c", "d/x", "d/y"}

func split(p string) (dir, base string) {
	if i := lastSlash(p); i >= 0 {
		return p[:i], p[i+1:]
	}
	return ".", p
}

func newFSMachine(t *rapid.T) *fsMachine {
	m := &fsMachine{
		fs:        New(sim.NewRand(rapid.Uint64().Draw(t, "seed"), "disk")),
		files:     map[int]*modelFile{},
		dirs:      map[string]*modelDir{".": {map[string]int{}, map[string]int{}}, "d": {map[string]int{}, map[string]int{}}},
		syncFail:  &Injector{Name: "sync", Ops: Ops(OpSync), Probability: 1, Err: vfs.ErrIO},
		writeFail: &Injector{Name: "write", Ops: Ops(OpWrite), Probability: 1, Err: vfs.ErrNoSpace},
	}
	m.fs.SyncErrorDropProbability = 0.5
	require.NoError(t, m.fs.MkdirAll("d"))
	require.NoError(t, m.fs.SyncDir("."))
	require.NoError(t, m.fs.AddInjector(m.syncFail))
	require.NoError(t, m.fs.AddInjector(m.writeFail))
	return m
}

func (m *fsMachine) entry(p string) (int, bool) {
	dir, base := split(p)
	id, ok := m.dirs[dir].cur[base]
	return id, ok
}

func (m *fsMachine) open(t *rapid.T, truncate bool) {
	p := rapid.SampledFrom(propPaths).Draw(t, "path")
	var f vfs.File
	var err error
	if truncate {
		f, err = m.fs.Create(p)
	} else {
		f, err = m.fs.OpenAppend(p)
	}
	require.NoError(t, err)
	id, ok := m.entry(p)
	if !ok {
		m.next++
		id = m.next
		m.files[id] = &modelFile{}
		dir, base := split(p)
		m.dirs[dir].cur[base] = id
	} else if truncate {
		mf := m.files[id]
		mf.truncated = mf.truncated || len(mf.synced) > 0
		mf.data = nil
	}
	m.handles = append(m.handles, modelHandle{f, id})
}

func (m *fsMachine) handle(t *rapid.T) (modelHandle, bool) {
	if len(m.handles) == 0 {
		return modelHandle{}, false
	}
	return m.handles[rapid.IntRange(0, len(m.handles)-1).Draw(t, "handle")], true
}

func (m *fsMachine) unsyncedFrom(mf *modelFile) int {
	if mf.truncated {
		return 0
	}
	return len(mf.synced)
}

func (m *fsMachine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"create":     func(t *rapid.T) { m.open(t, true) },
		"openAppend": func(t *rapid.T) { m.open(t, false) },
		"write": func(t *rapid.T) {
			h, ok := m.handle(t)
			if !ok {
				t.Skip("no handle")
			}
			p := rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "data")
			n, err := h.f.Write(p)
			require.NoError(t, err)
			require.Equal(t, len(p), n)
			m.files[h.id].data = append(m.files[h.id].data, p...)
		},
		"writeNoSpace": func(t *rapid.T) {
			h, ok := m.handle(t)
			if !ok {
				t.Skip("no handle")
			}
			p := rapid.SliceOfN(rapid.Byte(), 1, 20).Draw(t, "data")
			m.writeFail.Enabled = true
			n, err := h.f.Write(p)
			m.writeFail.Enabled = false
			require.ErrorIs(t, err, vfs.ErrNoSpace)
			require.Less(t, n, len(p))
			m.files[h.id].data = append(m.files[h.id].data, p[:n]...)
		},
		"sync": func(t *rapid.T) {
			h, ok := m.handle(t)
			if !ok {
				t.Skip("no handle")
			}
			require.NoError(t, h.f.Sync())
			mf := m.files[h.id]
			mf.synced = slices.Clone(mf.data)
			mf.truncated = false
		},
		"syncFails": func(t *rapid.T) {
			h, ok := m.handle(t)
			if !ok {
				t.Skip("no handle")
			}
			drops := m.fs.Stats().SyncDrops
			m.syncFail.Enabled = true
			err := h.f.Sync()
			m.syncFail.Enabled = false
			require.ErrorIs(t, err, vfs.ErrIO)
			if m.fs.Stats().SyncDrops > drops {
				mf := m.files[h.id]
				mf.data = slices.Clone(mf.data[:m.unsyncedFrom(mf)])
			}
		},
		"close": func(t *rapid.T) {
			if len(m.handles) == 0 {
				t.Skip("no handle")
			}
			i := rapid.IntRange(0, len(m.handles)-1).Draw(t, "handle")
			require.NoError(t, m.handles[i].f.Close())
			m.handles = slices.Delete(m.handles, i, i+1)
		},
		"syncDir": func(t *rapid.T) {
			dir := rapid.SampledFrom([]string{".", "d"}).Draw(t, "dir")
			require.NoError(t, m.fs.SyncDir(dir))
			m.dirs[dir].syn = maps.Clone(m.dirs[dir].cur)
		},
		"rename": func(t *rapid.T) {
			from := rapid.SampledFrom(propPaths).Draw(t, "from")
			to := rapid.SampledFrom(propPaths).Draw(t, "to")
			err := m.fs.Rename(from, to)
			id, ok := m.entry(from)
			if !ok {
				require.ErrorIs(t, err, vfs.ErrNotExist)
				return
			}
			require.NoError(t, err)
			fd, fb := split(from)
			td, tb := split(to)
			delete(m.dirs[fd].cur, fb)
			m.dirs[td].cur[tb] = id
		},
		"remove": func(t *rapid.T) {
			p := rapid.SampledFrom(propPaths).Draw(t, "path")
			err := m.fs.Remove(p)
			if _, ok := m.entry(p); !ok {
				require.ErrorIs(t, err, vfs.ErrNotExist)
				return
			}
			require.NoError(t, err)
			dir, base := split(p)
			delete(m.dirs[dir].cur, base)
		},
		"crash": func(t *rapid.T) {
			mode := rapid.SampledFrom([]CrashMode{CrashLoseAll, CrashTorn, CrashKeepAll}).Draw(t, "mode")
			m.crash(t, mode)
		},
		"": func(t *rapid.T) { m.check(t) },
	}
}

func (m *fsMachine) crash(t *rapid.T, mode CrashMode) {
	_, err := m.fs.Crash(mode)
	require.NoError(t, err)
	for _, h := range m.handles {
		_, err := h.f.Write([]byte("z"))
		require.ErrorIs(t, err, ErrStaleHandle)
	}
	m.handles = nil
	if mode == CrashKeepAll {
		return
	}
	survivors := map[int]*modelFile{}
	for _, dir := range []string{".", "d"} {
		md := m.dirs[dir]
		md.cur = maps.Clone(md.syn)
		for _, name := range slices.Sorted(maps.Keys(md.syn)) {
			id := md.syn[name]
			p := name
			if dir != "." {
				p = dir + "/" + name
			}
			got, ok := m.fs.CurrentContent(p)
			require.True(t, ok, "%s: durable entry vanished", p)
			if s, done := survivors[id]; done {
				require.True(t, bytes.Equal(s.data, got), "%s: same file, different content", p)
				continue
			}
			mf := m.files[id]
			switch {
			case mode == CrashLoseAll:
				require.True(t, bytes.Equal(mf.synced, got), "%s: lose_all kept %q, synced %q", p, got, mf.synced)
			case mf.truncated:
				require.True(t, bytes.Equal(mf.synced, got) || bytes.HasPrefix(mf.data, got),
					"%s: truncated file holds %q, want %q or a prefix of %q", p, got, mf.synced, mf.data)
			default:
				// (1) synced data survives; (2) plus a prefix of what was written.
				require.True(t, bytes.HasPrefix(got, mf.synced), "%s: lost synced data: %q, synced %q", p, got, mf.synced)
				require.True(t, bytes.HasPrefix(mf.data, got), "%s: %q is not a prefix of what was written %q", p, got, mf.data)
			}
			survivors[id] = &modelFile{data: slices.Clone(got), synced: slices.Clone(got)}
		}
	}
	m.files = survivors
}

// check is invariant (3): the current state matches the model exactly, and
// the synced state matches the model's synced state.
func (m *fsMachine) check(t *rapid.T) {
	for _, dir := range []string{".", "d"} {
		md := m.dirs[dir]
		want := slices.Sorted(maps.Keys(md.cur))
		if dir == "." {
			want = append(want, "d")
			slices.Sort(want)
		}
		got, err := m.fs.List(dir)
		require.NoError(t, err)
		require.Equal(t, want, got, "List(%s)", dir)
		for name, id := range md.cur {
			p := name
			if dir != "." {
				p = dir + "/" + name
			}
			got, err := m.fs.ReadFile(p)
			require.NoError(t, err)
			require.True(t, bytes.Equal(m.files[id].data, got), "%s: content %q, model %q", p, got, m.files[id].data)
			mf := m.files[id]
			size, unsynced, ok := m.fs.SyncState(p)
			require.True(t, ok, p)
			require.Equal(t, int64(len(mf.data)), size, "%s: SyncState's size", p)
			require.Equal(t, mf.truncated || len(mf.data) > m.unsyncedFrom(mf), unsynced, "%s: SyncState", p)
		}
		for name, id := range md.syn {
			p := name
			if dir != "." {
				p = dir + "/" + name
			}
			got, ok := m.fs.SyncedContent(p)
			require.True(t, ok, "%s: durable entry missing", p)
			require.True(t, bytes.Equal(m.files[id].synced, got), "%s: synced %q, model %q", p, got, m.files[id].synced)
		}
	}
}

func TestFSStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newFSMachine(t)
		t.Repeat(m.actions())
	})
}
