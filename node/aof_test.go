package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/vfs"
)

func aofConfig(fsync string) Config {
	cfg := persistConfig()
	cfg.AppendOnly = true
	cfg.AppendFsync = fsync
	return cfg
}

func content(t *testing.T, fs *disksim.FS, name string) string {
	t.Helper()
	b, ok := fs.CurrentContent(name)
	require.True(t, ok, "%s missing", name)
	return string(b)
}

func TestAOFLayoutOnFreshStart(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	fs := a.env.fs
	names, err := fs.List("appendonlydir")
	require.NoError(t, err)
	assert.Equal(t, []string{"appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest"}, names)
	assert.Equal(t, "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
		content(t, fs, "appendonlydir/appendonly.aof.manifest"))
	base, err := rdb.Parse([]byte(content(t, fs, "appendonlydir/appendonly.aof.1.base.rdb")))
	require.NoError(t, err)
	v, _ := base.AuxValue("aof-base")
	assert.Equal(t, "1", v)
	for _, name := range names {
		_, ok := fs.SyncedContent("appendonlydir/" + name)
		assert.True(t, ok, "%s durable", name)
	}

	a.do("SET", "k", "v")
	a.do("SELECT", "5")
	a.do("SET", "k5", "v5")
	a.do("SET", "k6", "v6")
	assert.Equal(t, "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"+
		"*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n*3\r\n$3\r\nSET\r\n$2\r\nk5\r\n$2\r\nv5\r\n*3\r\n$3\r\nSET\r\n$2\r\nk6\r\n$2\r\nv6\r\n",
		content(t, fs, "appendonlydir/appendonly.aof.1.incr.aof"))
}

func TestAOFReloadEqualsDataset(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	a.do("SET", "k", "v")
	a.do("INCR", "n")
	a.do("INCRBY", "n", "41")
	a.do("SET", "ttl", "x", "EX", "1000")
	a.do("SELECT", "9")
	a.do("MULTI")
	a.do("SET", "a", "1")
	a.do("SET", "b", "2")
	a.do("EXEC")
	a.do("DEL", "a")
	a.do("SELECT", "0")
	a.do("SET", "gone", "1", "PX", "100")
	a.advance(1000) // the key expires; its DEL reaches the AOF
	a.send("SHUTDOWN", "NOSAVE")
	require.True(t, a.n.Down())

	b := startNode(t, aofConfig("everysec"), a.env.fs)
	assert.Equal(t, a.n.Dataset(), b.n.Dataset())
	assert.Equal(t, []string{"0:k=v", "0:n=42", "0:ttl=x", "9:b=2"}, b.data())
	assert.True(t, b.env.logged("DB loaded from append only file"))
	// The restarted node appends to the same incr file.
	b.do("SET", "more", "1")
	b.send("SHUTDOWN")
	c := startNode(t, aofConfig("everysec"), b.env.fs)
	assert.Equal(t, b.n.Dataset(), c.n.Dataset())
	assert.Equal(t, "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
		content(t, c.env.fs, "appendonlydir/appendonly.aof.manifest"))
}

func TestAOFKeysExpiredWhileDownLoadThenExpire(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "k", "v", "PX", "1000")
	b := newTestNode(t, aofConfig("always"), a.env.fs)
	b.env.now += 10e9
	require.NoError(t, b.n.Load())
	assert.Equal(t, []string{"0:k=v"}, b.data(), "nothing expires while loading")
	assert.Equal(t, "(nil)", b.do("GET", "k"))
}

// An expiry in the AOF that has passed by the time the node loads it does
// not delete the key while loading (Redis's checkAlreadyExpired is false
// while loading): the commands after it apply to the key as they did
// before the restart (found by the chaos workload, seed 2864: a DECR after
// PEXPIREAT replayed onto a deleted key came back as -1).
func TestAOFPastExpiryDoesNotDeleteWhileLoading(t *testing.T) {
	for _, expire := range [][]string{{"PEXPIRE", "k", "500"}, {"PEXPIRE", "k", "500", "GT"}, {"EXPIRE", "k", "1"}} {
		t.Run(strings.Join(expire, " "), func(t *testing.T) {
			a := startNode(t, aofConfig("always"), nil)
			a.do("SET", "k", "10")
			a.do("SET", "ttl", "x", "PX", "100") // so GT has a TTL to beat on k too
			a.do("PEXPIRE", "k", "100")
			a.do(expire...)
			a.do("DECR", "k")
			b := newTestNode(t, aofConfig("always"), a.env.fs)
			b.env.now += 10e9
			require.NoError(t, b.n.Load())
			assert.Equal(t, []string{"0:k=9", "0:ttl=x"}, b.data(), "the DECR applied to the loaded key")
			assert.Equal(t, "(nil)", b.do("GET", "k"), "and the key expires once loaded")
		})
	}
}

func TestAOFAlwaysEveryAcknowledgedWriteSurvivesCrash(t *testing.T) {
	for _, mode := range []disksim.CrashMode{disksim.CrashLoseAll, disksim.CrashTorn} {
		t.Run(mode.String(), func(t *testing.T) {
			a := startNode(t, aofConfig("always"), nil)
			var acked []string
			for i := 0; i < 50; i++ {
				k := "k" + itoa(int64(i))
				if a.do("SET", k, "v") == "OK" {
					acked = append(acked, "0:"+k+"=v")
				}
				a.env.now += 7e6
			}
			b := startNode(t, aofConfig("always"), a.crash(mode))
			assert.ElementsMatch(t, acked, b.data())
		})
	}
}

func TestAOFEverysecLosesAtMostTwoSeconds(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	ackedAt := map[string]int64{}
	for i := 0; i < 100; i++ {
		k := "k" + itoa(int64(i))
		require.Equal(t, "OK", a.do("SET", k, "v"))
		ackedAt["0:"+k+"=v"] = a.env.now
		a.advance(100) // ten writes a second, with the cron ticking
	}
	for i := 100; i < 103; i++ { // just before the crash, no tick since
		k := "k" + itoa(int64(i))
		require.Equal(t, "OK", a.do("SET", k, "v"))
		ackedAt["0:"+k+"=v"] = a.env.now
		a.env.now += 10e6
	}
	crashAt := a.env.now
	b := startNode(t, aofConfig("everysec"), a.crash(disksim.CrashLoseAll))
	got := map[string]bool{}
	for _, kv := range b.data() {
		got[kv] = true
	}
	lost := 0
	for kv, at := range ackedAt {
		if !got[kv] {
			lost++
			assert.Greater(t, at, crashAt-2e9, "%s acknowledged more than 2 s before the crash was lost", kv)
		}
	}
	assert.Positive(t, lost, "everysec does lose the last writes in a power loss")
}

func TestAOFNoFsyncPolicy(t *testing.T) {
	a := startNode(t, aofConfig("no"), nil)
	a.do("SET", "k", "v")
	a.advance(5000)
	b := startNode(t, aofConfig("no"), a.crash(disksim.CrashLoseAll))
	assert.Empty(t, b.n.Dataset(), "appendfsync no never syncs by itself")
	// A kill -9 keeps the page cache.
	c := startNode(t, aofConfig("no"), nil)
	c.do("SET", "k", "v")
	d := startNode(t, aofConfig("no"), c.crash(disksim.CrashKeepAll))
	assert.Equal(t, []string{"0:k=v"}, d.data())
}

func TestAOFAlwaysFsyncErrorTakesNodeDown(t *testing.T) {
	for name, op := range map[string]disksim.Op{"fsync": disksim.OpSync, "write": disksim.OpWrite} {
		t.Run(name, func(t *testing.T) {
			a := startNode(t, aofConfig("always"), nil)
			require.Equal(t, "OK", a.do("SET", "k", "1"))
			require.NoError(t, a.env.fs.AddInjector(&disksim.Injector{Name: name, Ops: disksim.Ops(op),
				PathGlob: "*.incr.aof", Probability: 1, Enabled: true}))
			assert.Empty(t, a.send("SET", "k", "2"), "the reply to a write not on disk is never sent")
			assert.True(t, a.n.Down())
			assert.True(t, a.env.closed[a.conn])
			assert.True(t, a.env.logged("Exiting..."))
			a.n.Tick()
			a.n.OnAccept(99, "x:1")
			assert.True(t, a.env.closed[99], "a down node refuses connections")
		})
	}
}

func TestAOFEverysecWriteErrorMisconfThenRecovery(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "*.incr.aof",
		Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	assert.Equal(t, "OK", a.do("SET", "k", "1"), "the write happened in memory; its reply goes out")
	misconf := "(error) MISCONF Errors writing to the AOF file: No space left on device"
	assert.Equal(t, misconf, a.do("SET", "k", "2"))
	assert.Equal(t, misconf, a.do("PING"))
	assert.Equal(t, `"1"`, a.do("GET", "k"))
	assert.Equal(t, "err", infoField(t, a, "aof_last_write_status"))
	a.advance(1000)
	assert.Equal(t, misconf, a.do("SET", "k", "2"), "still failing")
	inj.Enabled = false
	a.advance(100)
	assert.True(t, a.env.logged("AOF write error looks solved, Redis can write again."))
	assert.Equal(t, "OK", a.do("SET", "k", "3"))
	assert.Equal(t, "ok", infoField(t, a, "aof_last_write_status"))
	a.advance(2000)
	b := startNode(t, aofConfig("everysec"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=3"}, b.data(), "the partial write and its rest load as whole commands")
}

func TestAOFEverysecFsyncErrorMisconfThenRecovery(t *testing.T) {
	a := failedEverysecFsync(t)
	a.advance(1100)
	assert.Equal(t, "OK", a.do("SET", "k", "2"))
}

func TestAOFTruncatedTail(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "a", "1")
	a.do("SET", "b", "2")
	a.send("SHUTDOWN")
	incr := "appendonlydir/appendonly.aof.1.incr.aof"
	whole := content(t, a.env.fs, incr)
	torn := whole + "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1"
	require.NoError(t, writeSynced(a.env.fs, incr, []byte(torn)))

	t.Run("aof-load-truncated no", func(t *testing.T) {
		cfg := aofConfig("always")
		cfg.AofLoadTruncated = false
		b := newTestNode(t, cfg, a.env.fs)
		err := b.n.Load()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "appendonly.aof.1.incr.aof")
		assert.Contains(t, err.Error(), "offset "+itoa(int64(len(whole))))
		assert.Empty(t, b.n.Dataset())
		assert.Equal(t, torn, content(t, a.env.fs, incr), "the file is left alone")
	})
	t.Run("aof-load-truncated yes", func(t *testing.T) {
		b := startNode(t, aofConfig("always"), a.env.fs)
		assert.Equal(t, []string{"0:a=1", "0:b=2"}, b.data())
		assert.True(t, b.env.logged("!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!"))
		assert.True(t, b.env.logged("!!! Truncating the AOF appendonly.aof.1.incr.aof at offset "+itoa(int64(len(whole)))+" !!!"))
		assert.Equal(t, whole, content(t, a.env.fs, incr), "the tail is cut off")
		b.do("SET", "c", "3")
		c := startNode(t, aofConfig("always"), b.crash(disksim.CrashLoseAll))
		assert.Equal(t, []string{"0:a=1", "0:b=2", "0:c=3"}, c.data())
	})
}

func TestAOFUnfinishedMultiIsReverted(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "a", "1")
	a.send("SHUTDOWN")
	incr := "appendonlydir/appendonly.aof.1.incr.aof"
	whole := content(t, a.env.fs, incr)
	tail := string(encodeCommand("MULTI")) + string(encodeCommand("SET", "b", "2"))
	require.NoError(t, writeSynced(a.env.fs, incr, []byte(whole+tail)))
	b := startNode(t, aofConfig("always"), a.env.fs)
	assert.Equal(t, []string{"0:a=1"}, b.data())
	assert.Equal(t, whole, content(t, a.env.fs, incr))
	// As real redis-server 7.0.15 logs it: the revert, then the short read.
	assert.Equal(t, []string{
		"Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof",
		"!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!",
		"!!! Truncating the AOF appendonly.aof.1.incr.aof at offset " + itoa(int64(len(whole))) + " !!!",
	}, b.env.logsFrom("Revert", 3))
}

func TestAOFCorruptMiddleIsAnError(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "a", "1")
	a.do("SET", "b", "2")
	a.send("SHUTDOWN")
	incr := "appendonlydir/appendonly.aof.1.incr.aof"
	whole := content(t, a.env.fs, incr)
	first := len(encodeCommand("SELECT", "0")) + len(encodeCommand("SET", "a", "1"))
	for name, bad := range map[string]string{
		"garbage":       whole[:first] + "xx" + whole[first+2:],
		"bad length":    strings.Replace(whole, "$1\r\na", "$3\r\na", 1),
		"unknown cmd":   whole[:first] + string(encodeCommand("NOSUCH", "x")) + whole[first:],
		"wrong arity":   whole[:first] + string(encodeCommand("GET")) + whole[first:],
		"negative argc": whole[:first] + "*-1\r\n" + whole[first:],
	} {
		t.Run(name, func(t *testing.T) {
			fs := disksim.New(nil)
			for _, f := range []string{"appendonlydir/appendonly.aof.manifest", "appendonlydir/appendonly.aof.1.base.rdb"} {
				require.NoError(t, fs.MkdirAll("appendonlydir"))
				require.NoError(t, writeSynced(fs, f, []byte(content(t, a.env.fs, f))))
			}
			require.NoError(t, writeSynced(fs, incr, []byte(bad)))
			b := newTestNode(t, aofConfig("always"), fs)
			err := b.n.Load()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "appendonly.aof.1.incr.aof")
			assert.Contains(t, err.Error(), "offset")
			assert.Empty(t, b.n.Dataset(), "never a partial load")
		})
	}
}

// A command of the AOF that replies an error does not stop the load:
// Redis 7.0.15's AOF client has no connection, so the reply goes nowhere,
// and afterErrorReply logs it (propagation-error-behavior ignore). What
// redis-server 7.0.15 logs for this file, and it loads k=abc and j=1.
func TestAOFFailingCommandIsLoggedNotFatal(t *testing.T) {
	fs := disksim.New(nil)
	require.NoError(t, fs.MkdirAll("appendonlydir"))
	require.NoError(t, writeSynced(fs, "appendonlydir/appendonly.aof.manifest", []byte("file appendonly.aof.1.incr.aof seq 1 type i\n")))
	var aof []byte
	for _, c := range [][]string{{"SET", "k", "abc"}, {"LPUSH", "k", "x"}, {"MULTI"}, {"INCR", "k"}, {"SET", "j", "1"}, {"EXEC"}} {
		aof = append(aof, encodeCommand(c...)...)
	}
	require.NoError(t, writeSynced(fs, "appendonlydir/appendonly.aof.1.incr.aof", aof))
	b := newTestNode(t, aofConfig("always"), fs)
	require.NoError(t, b.n.Load())
	var warns []string
	for _, l := range b.env.logs {
		if strings.HasPrefix(l, "== CRITICAL ==") {
			warns = append(warns, l)
		}
	}
	assert.Equal(t, []string{
		"== CRITICAL == This server is sending an error to its AOF-loading-client: '-WRONGTYPE Operation against a key holding the wrong kind of value' after processing the command 'lpush'",
		"== CRITICAL == This server is sending an error to its AOF-loading-client: 'value is not an integer or out of range' after processing the command 'exec'",
	}, warns)
	assert.Equal(t, []string{"0:j=1", "0:k=abc"}, b.data())
}

func TestAOFMissingFileListedInManifest(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.send("SHUTDOWN")
	require.NoError(t, a.env.fs.Remove("appendonlydir/appendonly.aof.1.incr.aof"))
	b := newTestNode(t, aofConfig("always"), a.env.fs)
	err := b.n.Load()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "appendonly.aof.1.incr.aof")
}

func TestBgrewriteaof(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	for i := 0; i < 10; i++ {
		a.do("INCR", "n")
	}
	a.do("SELECT", "1")
	a.do("SET", "k", "v")
	require.Equal(t, "Background append only file rewriting started", a.do("BGREWRITEAOF"))
	assert.Equal(t, "(error) ERR Background append only file rewriting already in progress", a.do("BGREWRITEAOF"))
	assert.Equal(t, "(error) ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.", a.do("BGSAVE"))
	assert.Equal(t, "Background saving scheduled", a.do("BGSAVE", "SCHEDULE"))
	a.do("SET", "during", "x") // goes to the new incr file, in db 1
	assert.Equal(t, "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
		content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"))

	// A crash mid-rewrite loads base 1 + incr 1 + incr 2.
	mid := disksim.New(nil)
	copyDir(t, a.env.fs, mid, "appendonlydir")
	m := startNode(t, aofConfig("everysec"), mid)
	assert.Equal(t, a.n.Dataset(), m.n.Dataset())

	a.runJobs()
	assert.Equal(t, "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
		content(t, a.env.fs, "appendonlydir/appendonly.aof.manifest"))
	names, _ := a.env.fs.List("appendonlydir")
	assert.Equal(t, []string{"appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"}, names)
	assert.Equal(t, "ok", infoField(t, a, "aof_last_bgrewrite_status"))
	a.do("SET", "after", "y")
	a.advance(100) // the scheduled BGSAVE starts
	require.Len(t, a.env.jobs, 1)
	a.send("SHUTDOWN", "NOSAVE")
	b := startNode(t, aofConfig("everysec"), a.env.fs)
	assert.Equal(t, a.n.Dataset(), b.n.Dataset())
	assert.Equal(t, []string{"0:n=10", "1:after=y", "1:during=x", "1:k=v"}, b.data())
}

func TestBgrewriteaofFailure(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "k", "v")
	inj := &disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "temp-rewriteaof-bg-*",
		Probability: 1, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	require.Equal(t, "Background append only file rewriting started", a.do("BGREWRITEAOF"))
	a.runJobs()
	assert.Equal(t, "err", infoField(t, a, "aof_last_bgrewrite_status"))
	a.do("SET", "k2", "v2")
	b := startNode(t, aofConfig("always"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=v", "0:k2=v2"}, b.data())
	names, _ := b.env.fs.List("appendonlydir")
	assert.NotContains(t, strings.Join(names, " "), "temp-")
}

func TestBgrewriteaofNeedsAppendonly(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	assert.Contains(t, a.do("BGREWRITEAOF"), "(error) ERR")
}

func copyDir(t *testing.T, from, to *disksim.FS, dir string) {
	t.Helper()
	names, err := from.List(dir)
	require.NoError(t, err)
	require.NoError(t, to.MkdirAll(dir))
	for _, n := range names {
		require.NoError(t, writeSynced(to, dir+"/"+n, []byte(content(t, from, dir+"/"+n))))
	}
	require.NoError(t, to.SyncDir(dir))
}

func TestAOFAfterFullSync(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "mine", "1")
	// A full sync replaced the dataset.
	a.n.aofStop()
	for _, ks := range a.n.dbs {
		ks.clear()
	}
	a.n.dbs[0].set("theirs", "2", 0)
	a.n.aofAfterFullSync()
	a.do("SET", "next", "3")
	a.runJobs()
	b := startNode(t, aofConfig("always"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:next=3", "0:theirs=2"}, b.data())
}

func TestAOFReplicaLoadsDespiteReadOnly(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	a.do("SET", "k", "v")
	cfg := aofConfig("always")
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = "m", 6379
	b := startNode(t, cfg, a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=v"}, b.data())
}

func TestAOFInfo(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	assert.Equal(t, "1", infoField(t, a, "aof_enabled"))
	a.do("SET", "k", "v")
	assert.Equal(t, "0", infoField(t, a, "aof_buffer_length"))
	assert.Equal(t, "0", infoField(t, a, "loading"))
}

func TestAOFStop(t *testing.T) {
	a := startNode(t, aofConfig("no"), nil)
	a.do("SET", "k", "1")
	a.n.cfg.AppendOnly = false
	a.n.aofStop()
	a.do("SET", "k", "2")
	b := startNode(t, aofConfig("no"), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=1"}, b.data(), "stopping syncs what was written, then nothing more")
	// Turning it on again starts from a fresh base of the dataset.
	b.do("SET", "k", "3")
	b.n.cfg.AppendOnly = false
	b.n.aofStop()
	b.do("SET", "k", "4")
	b.do("CONFIG", "SET", "appendonly", "yes")
	b.do("SET", "j", "5")
	b.runJobs()
	b.send("SHUTDOWN")
	c := startNode(t, aofConfig("no"), b.env.fs)
	assert.Equal(t, []string{"0:j=5", "0:k=4"}, c.data())
}

// A replica whose AOF cannot be turned on again after a full sync
// retries startAppendOnly a second later, blocked meanwhile, and exits
// after ten failures (restartAOFAfterSYNC); a disk that heals in time
// lets a retry start the rewrite.
func TestAOFReopenFailure(t *testing.T) {
	failCreates := func(a *testNode) *disksim.Injector {
		inj := &disksim.Injector{Name: "create", Ops: disksim.Ops(disksim.OpCreate), Probability: 1,
			Err: vfs.ErrNoSpace, Enabled: true}
		require.NoError(t, a.env.fs.AddInjector(inj))
		return inj
	}
	const retry = "Failed enabling the AOF after successful master synchronization! Trying it again in one second."
	t.Run("exits", func(t *testing.T) {
		a := startNode(t, aofConfig("everysec"), nil)
		require.Equal(t, "OK", a.do("SET", "k", "1"))
		failCreates(a)
		a.n.aofStop()
		a.n.aofAfterFullSync()
		assert.True(t, a.n.Busy(), "sleep(1) between the tries")
		assert.Empty(t, a.send("GET", "k"), "no reply while it sleeps")
		a.advance(9000)
		assert.False(t, a.n.Down())
		assert.Equal(t, 10, countLines(a.env.logs, retry))
		a.advance(1000)
		assert.True(t, a.n.Down())
		assert.Equal(t, 10, countLines(a.env.logs, "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation."))
		assert.True(t, a.env.logged("FATAL: this replica instance finished the synchronization with its master, but the AOF can't be turned on. Exiting now."))
	})
	t.Run("heals", func(t *testing.T) {
		a := startNode(t, aofConfig("always"), nil)
		require.Equal(t, "OK", a.do("SET", "k", "1"))
		inj := failCreates(a)
		a.n.aofStop()
		a.n.aofAfterFullSync()
		a.advance(2000)
		inj.Enabled = false
		a.advance(1000)
		assert.False(t, a.n.Busy())
		assert.Equal(t, 3, countLines(a.env.logs, retry))
		assert.True(t, a.n.persist().aof.waitRewrite)
		assert.Equal(t, "\"1\"", a.do("GET", "k"), "the client's command waited for the end of the sleep")
		a.runJobs()
		assert.True(t, a.n.persist().aof.opened)
	})
}

// countLines counts the log lines that contain s.
func countLines(logs []string, s string) int {
	k := 0
	for _, l := range logs {
		if strings.Contains(l, s) {
			k++
		}
	}
	return k
}

// A manifest that cannot be opened (not a missing one) stops the start
// with Redis's one line, not the bad-manifest report
// (aofLoadManifestFromFile's fopen); one that opens but cannot be read
// is a bad manifest.
func TestAOFManifestOpenFailureLine(t *testing.T) {
	a := startNode(t, aofConfig("always"), nil)
	require.Equal(t, "OK", a.do("SET", "k", "1"))
	fs := a.crash(disksim.CrashKeepAll)
	require.NoError(t, fs.AddInjector(&disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpOpen),
		PathGlob: "*.manifest", Probability: 1, Enabled: true}))
	b := newTestNode(t, aofConfig("always"), fs)
	require.Error(t, b.n.Load())
	assert.True(t, b.env.logged("Fatal error: can't open the AOF manifest file appendonlydir/appendonly.aof.manifest for reading: Input/output error"), "%q", b.env.logs)
	assert.False(t, b.env.logged("FATAL AOF MANIFEST FILE ERROR"))
}

// Persisting the manifest logs each failed step as writeAofManifestFile
// does, naming the temp file.
func TestAOFManifestPersistFailureLines(t *testing.T) {
	cases := map[disksim.Op]string{
		disksim.OpCreate: "Can't open the AOF manifest file temp-appendonly.aof.manifest: Input/output error",
		disksim.OpWrite:  "Error trying to write the temporary AOF manifest file temp-appendonly.aof.manifest: Input/output error",
		disksim.OpSync:   "Fail to fsync the temp AOF file temp-appendonly.aof.manifest: Input/output error.",
		disksim.OpRename: "Error trying to rename the temporary AOF manifest file temp-appendonly.aof.manifest into appendonly.aof.manifest: Input/output error",
	}
	for op, line := range cases {
		t.Run(op.String(), func(t *testing.T) {
			a := startNode(t, aofConfig("everysec"), nil)
			require.Equal(t, "OK", a.do("SET", "k", "1"))
			require.NoError(t, a.env.fs.AddInjector(&disksim.Injector{Name: "eio", Ops: disksim.Ops(op),
				PathGlob: "*temp-appendonly.aof.manifest", Probability: 1, Enabled: true}))
			a.send("BGREWRITEAOF")
			assert.True(t, a.env.logged(line), "%q", a.env.logs)
		})
	}
}

// A failed AOF write is logged as flushAppendOnlyFile does: "Short write
// ..." with the counts when part of the buffer went out, else "Error
// writing ..."; at most once every 30 seconds (AOF_WRITE_LOG_ERROR_RATE),
// so an error that starts again within 30 s of the last line goes
// unlogged, while its recovery is logged.
func TestAOFWriteErrorLines(t *testing.T) {
	a := startNode(t, aofConfig("everysec"), nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "*.incr.aof",
		Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	failLines := func() int {
		return countLines(a.env.logs, "Error writing to the AOF file: No space left on device") +
			countLines(a.env.logs, "Short write while writing to the AOF file: (nwritten=")
	}
	solved := "AOF write error looks solved, Redis can write again."
	a.do("SET", "k", "1")
	require.Equal(t, 1, failLines())
	for _, l := range a.env.logs {
		if strings.HasPrefix(l, "Short write") {
			assert.Regexp(t, `^Short write while writing to the AOF file: \(nwritten=[1-9][0-9]*, expected=[0-9]+\)$`, l)
		}
	}
	a.advance(5000)
	assert.Equal(t, 1, failLines(), "the retries within 30 s are not logged")
	inj.Enabled = false
	a.advance(1000)
	require.Equal(t, 1, countLines(a.env.logs, solved))
	inj.Enabled = true
	a.do("SET", "k", "2")
	assert.Equal(t, 1, failLines(), "an error 6 s after the last line goes unlogged")
	inj.Enabled = false
	a.advance(1000)
	assert.Equal(t, 2, countLines(a.env.logs, solved), "its recovery is logged")
	a.advance(30_000)
	inj.Enabled = true
	a.do("SET", "k", "3")
	assert.Equal(t, 2, failLines(), "more than 30 s after the last line")
}
