package node

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONFIG SET appendonly yes does not write the AOF itself: it starts a
// background rewrite (startAppendOnly) and the AOF is on only once it
// succeeds. Meanwhile writes go to the temp incr file, fsynced under
// always, which the manifest does not list: a crash then loses them, and
// a restart loads what the manifest on disk names (aof.c; redis-server
// 7.0.15 logs the same lines).
func TestAOFEnableWaitsForTheRewrite(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	require.Equal(t, "OK", a.do("SET", "old", "1"))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "no"))
	require.Equal(t, "OK", a.do("SET", "k", "1"))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	ai := &a.n.persist().aof
	assert.True(t, ai.waitRewrite)
	assert.False(t, ai.opened)
	assert.Equal(t, "1", infoField(t, a, "aof_rewrite_in_progress"))
	require.Equal(t, "OK", a.do("SET", "k", "2"))
	assert.Contains(t, content(t, a.env.fs, "appendonlydir/temp-appendonly.aof.incr"), "$1\r\nk\r\n$1\r\n2\r\n")
	assert.Equal(t, []string{
		"Creating AOF incr file temp-appendonly.aof.incr on background rewrite",
	}, a.env.logs[len(a.env.logs)-2:len(a.env.logs)-1])
	assert.Regexp(t, `^Background append only file rewriting started by pid \d+$`, a.env.logs[len(a.env.logs)-1])

	b := startNode(t, aofConfig("always"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:old=1"}, b.data(), "the manifest still names the AOF of before the switch")
}

// The rewrite's end renames the temp incr file into the manifest and turns
// the AOF on (backgroundRewriteDoneHandler).
func TestAOFEnableRewriteDone(t *testing.T) {
	cfg := persistConfig()
	cfg.AppendFsync = "always"
	a := startNode(t, cfg, nil)
	require.Equal(t, "OK", a.do("SET", "k", "1"))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	require.Equal(t, "OK", a.do("SET", "k", "2"))
	a.runJobs()
	ai := &a.n.persist().aof
	assert.True(t, ai.opened)
	assert.False(t, ai.waitRewrite)
	assert.True(t, a.env.logged("Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof"))
	assert.True(t, a.env.logged("Background AOF rewrite finished successfully"))
	assert.Equal(t, "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
		content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"))
	require.Equal(t, "OK", a.do("SET", "j", "3"))
	b := startNode(t, aofConfig("always"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:j=3", "0:k=2"}, b.data(), "the write while the AOF waited is in the renamed incr file")
}

// With another child running, the rewrite is only scheduled: nothing is
// buffered until it starts, and turning the AOF off then fsyncs no file
// (stopAppendOnly's fsync of aof_fd -1; redis-server 7.0.15 logs the
// same).
func TestAOFEnableScheduledBehindBGSAVE(t *testing.T) {
	cfg := persistConfig()
	cfg.RdbKeySaveDelay = 1000000
	a := startNode(t, cfg, nil)
	require.Equal(t, "OK", a.do("SET", "k", "1"))
	require.Equal(t, "Background saving started", a.do("BGSAVE"))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.True(t, a.env.logged("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible."))
	assert.Equal(t, "1", infoField(t, a, "aof_rewrite_scheduled"))
	require.Equal(t, "OK", a.do("SET", "k", "2"))
	assert.Empty(t, a.n.persist().aof.buf)
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "no"))
	assert.True(t, a.env.logged("Fail to fsync the AOF file: Bad file descriptor"))
	assert.Equal(t, "0", infoField(t, a, "aof_rewrite_scheduled"))

	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	a.advance(1100)
	a.runJobs()
	a.advance(200)
	assert.True(t, a.env.logged("Background append only file rewriting started by pid"), "the cron starts it once the BGSAVE is over")
}

// SHUTDOWN does not kill the rewrite that is to turn the AOF on, unless
// forced (prepareForShutdown).
func TestAOFShutdownWhileWritingTheInitialAOF(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	assert.Equal(t, "(error) ERR Errors trying to SHUTDOWN. Check logs.", a.do("SHUTDOWN"))
	assert.True(t, a.env.logged("Writing initial AOF, can't exit."))
	assert.False(t, a.n.Down())
	a.send("SHUTDOWN", "FORCE")
	assert.True(t, a.env.logged("Writing initial AOF. Exit anyway."))
	assert.True(t, a.n.Down())
}

// A failed rewrite leaves the AOF waiting: what the temp incr file held is
// dropped and the cron tries again, with a delay after three failures in
// a row (backgroundRewriteDoneHandler, aofRewriteLimited).
func TestAOFEnableRewriteFailureRetries(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "temp-rewriteaof-*",
		Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	for range 3 {
		a.runJobs()
		a.advance(100)
	}
	assert.Equal(t, 3, countLines(a.env.logs, "Background AOF rewrite terminated with error"))
	assert.Equal(t, 3, countLines(a.env.logs, "Removing the temp incr aof file temp-appendonly.aof.incr in the background"))
	a.runJobs()
	a.advance(1000)
	assert.True(t, a.env.logged("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes"))
	assert.Equal(t, 3, countLines(a.env.logs, "Background append only file rewriting started by pid"))
	assert.True(t, a.n.persist().aof.waitRewrite)
	inj.Enabled = false
	a.advance(60000)
	a.runJobs()
	assert.True(t, a.n.persist().aof.opened)
}

// A write to the temp incr file that fails, then the rewrite failing too,
// leaves aof_last_write_status at err with nothing left in aof_buf: the
// cron's retry has nothing to write and the next rewrite's success does
// not reset the status, so writes stay refused (redis-server 7.0.15 on a
// full tmpfs: MISCONF after "Background AOF rewrite finished
// successfully").
func TestAOFWriteErrorStuckAfterFailedFirstRewrite(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	require.Equal(t, "OK", a.do("SET", "a", "1"))
	assert.Equal(t, "(error) MISCONF Errors writing to the AOF file: No space left on device", a.do("SET", "b", "1"))
	a.runJobs()
	assert.True(t, a.env.logged("Background AOF rewrite terminated with error"))
	inj.Enabled = false
	a.advance(200)
	a.runJobs()
	assert.True(t, a.env.logged("Background AOF rewrite finished successfully"))
	a.advance(2000)
	assert.Equal(t, "err", infoField(t, a, "aof_last_write_status"))
	assert.Equal(t, "(error) MISCONF Errors writing to the AOF file: No space left on device", a.do("SET", "c", "1"))
}

// A write while the AOF waits for a scheduled rewrite is dropped, but it
// takes its #TS: annotation's second all the same (feedAppendOnlyFile
// makes the annotation before it decides to keep the feed), so the first
// write the rewrite's temp incr file takes in that second has none.
func TestAOFTimestampOfADroppedFeed(t *testing.T) {
	cfg := persistConfig()
	cfg.RdbKeySaveDelay = 1000000
	cfg.AofTimestampEnabled = true
	a := startNode(t, cfg, nil)
	require.Equal(t, "Background saving started", a.do("BGSAVE"))
	require.Equal(t, "OK", a.do("CONFIG", "SET", "appendonly", "yes"))
	require.Equal(t, "OK", a.do("SET", "k", "dropped"))
	a.runJobs()
	a.advance(300)
	require.True(t, a.env.logged("Background append only file rewriting started by pid"))
	require.Equal(t, "OK", a.do("SET", "k", "same-second"))
	incr := content(t, a.env.fs, "appendonlydir/temp-appendonly.aof.incr")
	assert.NotContains(t, incr, "dropped")
	assert.Contains(t, incr, "same-second")
	assert.NotContains(t, incr, "#TS:", "the dropped write took this second's annotation")
	a.advance(1000)
	require.Equal(t, "OK", a.do("SET", "k", "next-second"))
	incr = content(t, a.env.fs, "appendonlydir/temp-appendonly.aof.incr")
	assert.Contains(t, incr, "#TS:"+strconv.FormatInt(testEpochNs/1e9+1, 10)+"\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$11\r\nnext-second\r\n")
}
