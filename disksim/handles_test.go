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
