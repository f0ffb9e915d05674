package node

import (
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failedEverysecFsync is an everysec node whose fsync of a write failed
// (writes now get MISCONF), with the disk working again.
func failedEverysecFsync(t *testing.T) *testNode {
	t.Helper()
	a := startNode(t, aofConfig("everysec"), nil)
	a.env.fs.SyncErrorDropProbability = 0
	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpSync), PathGlob: "*.incr.aof",
		Probability: 1, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	a.do("SET", "k", "1")
	a.advance(1100)
	require.Equal(t, "(error) MISCONF Errors writing to the AOF file: Input/output error", a.do("SET", "k", "2"))
	inj.Enabled = false
	return a
}

// TestAOFFsyncErrorRetriedAfterRewriteOrPolicyChange: a failed everysec
// fsync is retried a second later and clears MISCONF once it succeeds,
// even when a BGREWRITEAOF has since switched to a new, empty incr file
// (nothing left unsynced to trigger the fsync: chaos seeds 3722, 5315,
// 5682 refused writes and their replicas' PINGs for good), or the policy
// has become no.
func TestAOFFsyncErrorRetriedAfterRewriteOrPolicyChange(t *testing.T) {
	for _, then := range []string{"BGREWRITEAOF", "appendfsync no", "appendfsync always"} {
		t.Run(then, func(t *testing.T) {
			a := failedEverysecFsync(t)
			if then == "BGREWRITEAOF" {
				assert.Equal(t, "Background append only file rewriting started", a.do("BGREWRITEAOF"))
				a.runJobs()
			} else {
				assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendfsync", then[len("appendfsync "):]))
			}
			a.advance(1100)
			assert.Equal(t, "OK", a.do("SET", "k", "2"))
			assert.Equal(t, "ok", infoField(t, a, "aof_last_write_status"))
		})
	}
}

// TestAOFFsyncFailedEverysecNotRedoneUnderAlways: what a failed everysec
// fsync covered counts as synced (Redis sets aof_last_incr_fsync_offset
// as it hands the fsync to the background), so switching to appendfsync
// always fsyncs nothing at once; the node's retry, a second later, does
// (chaos seed 10575 fsynced with nothing written under always).
func TestAOFFsyncFailedEverysecNotRedoneUnderAlways(t *testing.T) {
	a := failedEverysecFsync(t)
	syncs := 0
	a.env.fs.OnSync = func(string, bool) { syncs++ }
	assert.Equal(t, "OK", a.do("CONFIG", "SET", "appendfsync", "always"))
	assert.Zero(t, syncs, "the failed fsync's data is not fsynced again at the switch")
	a.advance(1100)
	assert.Equal(t, 1, syncs, "the retry")
	assert.Equal(t, "OK", a.do("SET", "k", "2"))
	assert.Equal(t, 2, syncs, "and the write's own")
}
