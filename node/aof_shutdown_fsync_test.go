package node

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prepareForShutdown's fsync of the AOF is not counted in
// aof_last_incr_fsync_offset (server.c): a SHUTDOWN whose final save
// fails leaves what the last everysec fsync did not cover to the next
// flush, which fsyncs it once the second has passed (aof.c
// flushAppendOnlyFile, with nothing to write).
func TestAOFShutdownFsyncNotCounted(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	a.advance(1100)
	require.Equal(t, "OK", a.do("SET", "k", "1")) // written and fsynced: a new second
	require.Equal(t, "OK", a.do("SET", "k", "2")) // written, same second: not fsynced
	require.NoError(t, a.env.fs.AddInjector(&disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate),
		PathGlob: "temp-*.rdb", Probability: 1, Err: vfs.ErrIO, Enabled: true}))
	syncs := 0
	a.env.fs.OnSync = func(string, bool) { syncs++ }
	assert.Equal(t, "(error) ERR Errors trying to SHUTDOWN. Check logs.", a.do("SHUTDOWN", "SAVE"))
	require.True(t, a.env.logged("Error trying to save the DB, can't exit."))
	assert.Equal(t, 1, syncs, "the shutdown's fsync")
	a.advance(1100)
	assert.Equal(t, 2, syncs, "the next second's flush fsyncs again")
}
