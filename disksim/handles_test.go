package disksim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/sim"
)

func TestOpenHandles(t *testing.T) {
	fs := New(sim.NewRand(1, "disk"))
	w, err := fs.Create("b")
	require.NoError(t, err)
	r, err := fs.Open("b")
	require.NoError(t, err)
	_, err = fs.Create("a")
	require.NoError(t, err)
	assert.Equal(t, []OpenHandle{{Path: "a", Write: true}, {Path: "b"}, {Path: "b", Write: true}}, fs.OpenHandles())
	require.NoError(t, r.Close())
	assert.Equal(t, []OpenHandle{{Path: "a", Write: true}, {Path: "b", Write: true}}, fs.OpenHandles())

	_, err = fs.Crash(CrashKeepAll)
	require.NoError(t, err)
	assert.Empty(t, fs.OpenHandles(), "a crash ends the process that held them")
	assert.Error(t, w.Close(), "a stale handle")
	assert.Empty(t, fs.OpenHandles())

	y, err := fs.OpenAppend("a")
	require.NoError(t, err)
	fs.ProcessEnd()
	assert.Empty(t, fs.OpenHandles())
	_, err = y.Write([]byte("z"))
	assert.Error(t, err, "a handle of an ended process is closed")
}

// A handle's name follows a rename of its file, for OpenHandles and for
// the injectors that match its later operations by path.
func TestOpenHandleFollowsRename(t *testing.T) {
	fs := New(sim.NewRand(1, "disk"))
	w, err := fs.Create("temp-x")
	require.NoError(t, err)
	require.NoError(t, fs.Rename("temp-x", "x.incr.aof"))
	assert.Equal(t, []OpenHandle{{Path: "x.incr.aof", Write: true}}, fs.OpenHandles())
	require.NoError(t, fs.AddInjector(&Injector{Name: "eio", Ops: Ops(OpWrite), PathGlob: "*.incr.aof",
		Probability: 1, Enabled: true}))
	_, err = w.Write([]byte("a"))
	assert.Error(t, err)
}

// A handle of a file removed while open is listed as deleted.
func TestOpenHandleDeleted(t *testing.T) {
	fs := New(sim.NewRand(1, "disk"))
	require.NoError(t, fs.MkdirAll("d"))
	_, err := fs.Create("d/a")
	require.NoError(t, err)
	assert.Equal(t, []OpenHandle{{Path: "d/a", Write: true}}, fs.OpenHandles())
	require.NoError(t, fs.Remove("d/a"))
	assert.Equal(t, []OpenHandle{{Path: "d/a", Write: true, Deleted: true}}, fs.OpenHandles())
	_, err = fs.Create("d/a")
	require.NoError(t, err)
	assert.Equal(t, []OpenHandle{{Path: "d/a", Write: true, Deleted: true}, {Path: "d/a", Write: true}}, fs.OpenHandles())
}
