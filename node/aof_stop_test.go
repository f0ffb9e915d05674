package node

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONFIG SET appendonly no keeps a failed write's status (stopAppendOnly
// does not reset aof_last_write_status), writes are no longer refused for
// it while the AOF is off, and turning the AOF on again logs it away as
// startAppendOnly does (redis-server 7.0.15, aof.c).
func TestAOFStopKeepsTheErrorStatusUntilTheReopen(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "*.incr.aof",
		Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	assert.Equal(t, "OK", a.do("SET", "k", "1"))
	assert.Equal(t, "(error) MISCONF Errors writing to the AOF file: No space left on device", a.do("SET", "k", "2"))

	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "no"))
	assert.Equal(t, "err", infoField(t, a, "aof_last_write_status"), "the status outlives the stop")
	assert.Equal(t, "OK", a.do("SET", "k", "3"), "with the AOF off, writes are not refused")
	assert.False(t, a.env.logged("AOF reopen"))

	inj.Enabled = false
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.Equal(t, "OK", a.do("SET", "k", "4"))
	assert.True(t, a.env.logged("AOF reopen, just ignore the last error."))
	assert.Equal(t, "ok", infoField(t, a, "aof_last_write_status"))
}

// stopAppendOnly and prepareForShutdown fsync the AOF even after its last
// write failed, and log a failed fsync in their own words (the shutdown's
// with a full stop).
func TestAOFFlushAndSyncFsyncsAfterAFailedWrite(t *testing.T) {
	for _, shutdown := range []bool{false, true} {
		a := startNode(t, aofConfig("everysec"), nil)
		a.env.fs.SyncErrorDropProbability = 0
		inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpWrite, disksim.OpSync), PathGlob: "*.incr.aof",
			Probability: 1, Enabled: true}
		require.NoError(t, a.env.fs.AddInjector(inj))
		a.do("SET", "k", "1")
		a.n.aofFlushAndSync(shutdown)
		want := "Fail to fsync the AOF file: Input/output error"
		if shutdown {
			want += "."
		}
		found := false
		for _, l := range a.env.logs {
			found = found || len(l) >= len(want) && l[len(l)-len(want):] == want
		}
		assert.True(t, found, "shutdown=%v: %q logged (%q)", shutdown, want, a.env.logs)
	}
}

// The AOF's MISCONF depends on whether the AOF is on, not on the
// appendonly setting (writeCommandsDeniedByDiskError tests aof_state): a
// replica whose AOF a sync stopped accepts PING despite the old write
// error.
func TestAOFMisconfOnlyWhileAOFIsOn(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.n.persist().aof.writeErr = vfs.ErrIO
	assert.Equal(t, "(error) MISCONF Errors writing to the AOF file: Input/output error", a.do("PING"))
	a.n.aofStop()
	require.True(t, a.n.cfg.AppendOnly)
	assert.Equal(t, "PONG", a.do("PING"))
}
