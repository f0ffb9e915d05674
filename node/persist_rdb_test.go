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

func TestSaveThenLoadGivesSameDataset(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k1", "v1")
	a.do("SET", "big", strings.Repeat("x", 100))
	a.do("SET", "ttl", "t", "PX", "600000")
	a.do("SELECT", "3")
	a.do("SET", "k3", "in db 3")
	a.do("INCR", "n")
	require.Equal(t, "OK", a.do("SAVE"))
	assert.Equal(t, "0", infoField(t, a, "rdb_changes_since_last_save"))

	b := startNode(t, persistConfig(), a.env.fs)
	assert.Equal(t, a.n.Dataset(), b.n.Dataset())
	assert.Equal(t, a.n.Digest(), b.n.Digest())
	assert.True(t, b.env.logged("Done loading RDB, keys loaded: 5, keys expired: 0."))
}

// infoField returns one INFO field's value.
func infoField(t *testing.T, tn *testNode, name string) string {
	t.Helper()
	for _, line := range strings.Split(tn.n.Info(true, nil), "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO has no %s", name)
	return ""
}

func TestLoadWithoutFileIsEmpty(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	assert.Empty(t, a.n.Dataset())
}

func TestSaveWritesThroughTempFileAndSyncs(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k", "v")
	require.Equal(t, "OK", a.do("SAVE"))
	synced, ok := a.env.fs.SyncedContent("dump.rdb")
	require.True(t, ok, "dump.rdb must be durable after SAVE")
	snap, err := rdb.Parse(synced)
	require.NoError(t, err)
	require.Len(t, snap.DBs, 1)
	assert.Equal(t, "k", snap.DBs[0].Entries[0].Key)
	names, err := a.env.fs.List(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"dump.rdb"}, names, "no temp file left behind")
}

func TestSaveFailureRepliesErrAndKeepsOldFile(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k", "old")
	require.Equal(t, "OK", a.do("SAVE"))
	a.do("SET", "k", "new")
	inj := &disksim.Injector{Name: "sync", Ops: disksim.Ops(disksim.OpSync), Probability: 1, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	assert.Equal(t, "(error) ERR", a.do("SAVE"))
	// A failed SAVE does not stop writes in Redis 7.0 (only BGSAVE does).
	a.n.cfg.Save = []SaveRule{{3600, 1}}
	assert.Equal(t, "OK", a.do("SET", "k", "newer"))
	inj.Enabled = false

	b := startNode(t, persistConfig(), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=old"}, b.data())
}

func TestBgsave(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k", "v")
	a.env.now += 5e9
	require.Equal(t, "Background saving started", a.do("BGSAVE"))
	assert.Equal(t, "(error) ERR Background save already in progress", a.do("BGSAVE"))
	assert.Equal(t, "(error) ERR Background save already in progress", a.do("SAVE"))
	assert.Equal(t, "1", infoField(t, a, "rdb_bgsave_in_progress"))
	// A write after the snapshot is not in the file and stays dirty.
	a.do("SET", "after", "x")
	before := a.do("LASTSAVE")
	a.runJobs()
	assert.Equal(t, "0", infoField(t, a, "rdb_bgsave_in_progress"))
	assert.Equal(t, "ok", infoField(t, a, "rdb_last_bgsave_status"))
	assert.Equal(t, "1", infoField(t, a, "rdb_changes_since_last_save"))
	assert.NotEqual(t, before, a.do("LASTSAVE"))
	assert.Equal(t, "(integer) "+itoa(a.env.now/1e9), a.do("LASTSAVE"))

	b := startNode(t, persistConfig(), a.env.fs)
	assert.Equal(t, []string{"0:k=v"}, b.data())
}

func TestBgsaveArguments(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	assert.Equal(t, "(error) ERR syntax error", a.do("BGSAVE", "now"))
	assert.Equal(t, "Background saving started", a.do("BGSAVE", "SCHEDULE"))
	a.runJobs()
	a.do("MULTI")
	a.do("BGSAVE")
	assert.Equal(t, "1) Background saving scheduled", a.do("EXEC"))
	assert.Empty(t, a.env.jobs, "a scheduled BGSAVE waits for the cron")
	a.advance(100)
	assert.Len(t, a.env.jobs, 1)
}

func TestSaveRulesFireOnNodeClock(t *testing.T) {
	cfg := persistConfig()
	cfg.Save = []SaveRule{{Seconds: 2, Changes: 3}}
	a := startNode(t, cfg, nil)
	a.do("SET", "a", "1")
	a.do("SET", "b", "1")
	a.advance(5000)
	assert.Empty(t, a.env.jobs, "2 changes < 3")
	a.do("SET", "c", "1")
	a.advance(100)
	require.Len(t, a.env.jobs, 1, "3 changes and more than 2 s since startup")
	assert.True(t, a.env.logged("3 changes in 2 seconds. Saving..."))
	a.runJobs()
	a.do("SET", "d", "1")
	a.do("SET", "e", "1")
	a.do("SET", "f", "1")
	a.advance(2000)
	assert.Empty(t, a.env.jobs, "only 2 s since the last save: needs more than 2")
	a.advance(1000)
	assert.Len(t, a.env.jobs, 1)
}

func TestStopWritesOnBgsaveError(t *testing.T) {
	cfg := persistConfig()
	cfg.Save = []SaveRule{{1, 1}}
	a := startNode(t, cfg, nil)
	inj := &disksim.Injector{Name: "enospc", Ops: disksim.Ops(disksim.OpWrite), PathGlob: "temp-*.rdb",
		Probability: 1, Err: vfs.ErrNoSpace, Enabled: true}
	require.NoError(t, a.env.fs.AddInjector(inj))
	a.do("SET", "k", "v")
	a.advance(1900)
	assert.Empty(t, a.env.jobs, "needs more than 1 s in whole seconds")
	a.advance(100)
	require.Len(t, a.env.jobs, 1)
	a.runJobs()
	assert.Equal(t, "err", infoField(t, a, "rdb_last_bgsave_status"))
	assert.True(t, a.env.logged("Background saving error"))
	misconf := "(error) " + errMisconf
	assert.Equal(t, misconf, a.do("SET", "k", "w"))
	assert.Equal(t, misconf, a.do("PING"))
	assert.Equal(t, `"v"`, a.do("GET", "k"))
	a.do("MULTI")
	assert.Equal(t, misconf, a.do("SET", "k", "w"))
	assert.Equal(t, "(error) EXECABORT Transaction discarded because of previous errors.", a.do("EXEC"))
	a.do("MULTI")
	a.do("GET", "k")
	assert.Equal(t, `1) "v"`, a.do("EXEC"), "EXEC of reads runs")
	// The save rules retry only after bgsaveRetryDelay seconds.
	a.advance(4000)
	assert.Empty(t, a.env.jobs)
	a.advance(2000)
	require.Len(t, a.env.jobs, 1)
	inj.Enabled = false
	a.runJobs()
	assert.Equal(t, "OK", a.do("SET", "k", "w"))
	assert.Equal(t, "PONG", a.do("PING"))

	// With stop-writes-on-bgsave-error no, or without save rules, writes go on.
	inj.Enabled = true
	a.do("BGSAVE")
	a.runJobs()
	require.Equal(t, "err", infoField(t, a, "rdb_last_bgsave_status"))
	a.n.cfg.StopWritesOnBgsaveErr = false
	assert.Equal(t, "OK", a.do("SET", "k", "x"))
	a.n.cfg.StopWritesOnBgsaveErr = true
	a.n.cfg.Save = nil
	assert.Equal(t, "OK", a.do("SET", "k", "y"))
}

func TestExecWithWritesAbortsOnMisconf(t *testing.T) {
	cfg := persistConfig()
	cfg.Save = []SaveRule{{3600, 1}}
	a := startNode(t, cfg, nil)
	a.do("MULTI")
	a.do("SET", "k", "v")
	a.n.persist().lastBgsaveOK = false
	assert.Equal(t, "(error) EXECABORT Transaction discarded because of: "+errMisconf, a.do("EXEC"))
	assert.Equal(t, "(error) ERR EXEC without MULTI", a.do("EXEC"))
}

func TestCorruptRDBIsAnErrorAndNothingLoads(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	for i := 0; i < 20; i++ {
		a.do("SET", "key"+itoa(int64(i)), "value")
	}
	require.Equal(t, "OK", a.do("SAVE"))
	good, _ := a.env.fs.CurrentContent("dump.rdb")

	for name, bad := range map[string][]byte{
		"truncated": good[:len(good)/2],
		"bit flip":  flip(good, len(good)/2),
		"garbage":   []byte("not an rdb file"),
	} {
		t.Run(name, func(t *testing.T) {
			fs := disksim.New(nil)
			require.NoError(t, writeSynced(fs, "dump.rdb", bad))
			b := newTestNode(t, persistConfig(), fs)
			err := b.n.Load()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "dump.rdb")
			assert.Contains(t, err.Error(), "offset")
			assert.Empty(t, b.n.Dataset(), "never a partial load")
		})
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i] ^= 0x10
	return out
}

func TestExpiredKeysAtLoad(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "live", "1", "PX", "100000")
	a.do("SET", "dead", "1", "PX", "1000")
	a.do("SET", "plain", "1")
	require.Equal(t, "OK", a.do("SAVE"))

	m := newTestNode(t, persistConfig(), a.env.fs)
	m.env.now = a.env.now + 5e9
	require.NoError(t, m.n.Load())
	assert.Equal(t, []string{"0:live=1", "0:plain=1"}, m.data(), "a master drops expired keys")
	assert.Equal(t, "1", infoField(t, m, "rdb_last_load_keys_expired"))

	cfg := persistConfig()
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = "master", 6379
	r := newTestNode(t, cfg, a.env.fs)
	r.env.now = a.env.now + 5e9
	require.NoError(t, r.n.Load())
	assert.Equal(t, []string{"0:dead=1", "0:live=1", "0:plain=1"}, r.data(), "a replica keeps them for its master")
}

func TestReplInfoRestoredFromRDB(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	r := &a.n.repl
	r.offset = 1000
	r.createBacklog()
	a.do("SELECT", "2")
	a.do("SET", "k", "v")
	a.do("SET", "gone", "x", "PX", "10")
	id, off := r.replid, r.offset
	require.Greater(t, off, int64(1000))
	require.Equal(t, "OK", a.do("SAVE"))
	data, _ := a.env.fs.CurrentContent("dump.rdb")
	snap, err := rdb.Parse(data)
	require.NoError(t, err)
	v, _ := snap.AuxValue("repl-id")
	assert.Equal(t, id, v)
	v, _ = snap.AuxValue("repl-stream-db")
	assert.Equal(t, "2", v)

	t.Run("master", func(t *testing.T) {
		m := newTestNode(t, persistConfig(), a.env.fs)
		m.env.now = a.env.now + 1e9
		require.NoError(t, m.n.Load())
		st := m.n.Repl()
		assert.NotEqual(t, id, st.ReplID, "a master starts a new history")
		assert.Equal(t, id, st.ReplID2)
		assert.Equal(t, off+1, st.SecondOffset)
		del := encodeCommand("SELECT", "2")
		del = append(del, encodeCommand("DEL", "gone")...)
		assert.Equal(t, off+int64(len(del)), st.Offset, "the expired key's DEL follows in the backlog")
		require.NotNil(t, m.n.repl.backlog)
		assert.Equal(t, off+1, m.n.repl.backlog.first)
		assert.Equal(t, []string{"2:k=v"}, m.data())
	})
	t.Run("replica", func(t *testing.T) {
		cfg := persistConfig()
		cfg.ReplicaOfHost, cfg.ReplicaOfPort = "master", 6379
		s := startNode(t, cfg, a.env.fs)
		st := s.n.Repl()
		assert.Equal(t, id, st.ReplID)
		assert.Equal(t, off, st.Offset)
		assert.True(t, s.n.repl.cachedValid)
	})
	t.Run("no history", func(t *testing.T) {
		b := startNode(t, persistConfig(), nil)
		b.do("SET", "k", "v")
		require.Equal(t, "OK", b.do("SAVE"))
		c := startNode(t, persistConfig(), b.env.fs)
		assert.Equal(t, int64(-1), c.n.Repl().SecondOffset)
		assert.Nil(t, c.n.repl.backlog)
	})
}

func TestNoPersistenceCrashLosesEverything(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k", "v")
	a.advance(5000)
	b := startNode(t, persistConfig(), a.crash(disksim.CrashLoseAll))
	assert.Empty(t, b.n.Dataset())
}

func TestCrashKeepsLastSave(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.do("SET", "k", "1")
	require.Equal(t, "OK", a.do("SAVE"))
	a.do("SET", "k", "2")
	a.do("BGSAVE")
	// crash before the BGSAVE job finished: the old file stays
	b := startNode(t, persistConfig(), a.crash(disksim.CrashLoseAll))
	assert.Equal(t, []string{"0:k=1"}, b.data())
}

func TestShutdown(t *testing.T) {
	t.Run("saves with save rules", func(t *testing.T) {
		cfg := persistConfig()
		cfg.Save = []SaveRule{{3600, 1}}
		a := startNode(t, cfg, nil)
		a.do("SET", "k", "v")
		assert.Empty(t, a.send("SHUTDOWN"), "SHUTDOWN closes without a reply")
		assert.True(t, a.n.Down())
		assert.True(t, a.env.closed[a.conn])
		b := startNode(t, persistConfig(), a.crash(disksim.CrashLoseAll))
		assert.Equal(t, []string{"0:k=v"}, b.data())
	})
	t.Run("NOSAVE", func(t *testing.T) {
		cfg := persistConfig()
		cfg.Save = []SaveRule{{3600, 1}}
		a := startNode(t, cfg, nil)
		a.do("SET", "k", "v")
		assert.Empty(t, a.send("SHUTDOWN", "NOSAVE"))
		assert.True(t, a.n.Down())
		_, ok := a.env.fs.CurrentContent("dump.rdb")
		assert.False(t, ok)
	})
	t.Run("SAVE without rules", func(t *testing.T) {
		a := startNode(t, persistConfig(), nil)
		a.do("SET", "k", "v")
		assert.Empty(t, a.send("SHUTDOWN", "SAVE"))
		_, ok := a.env.fs.SyncedContent("dump.rdb")
		assert.True(t, ok)
	})
	t.Run("no rules, no save", func(t *testing.T) {
		a := startNode(t, persistConfig(), nil)
		assert.Empty(t, a.send("SHUTDOWN"))
		assert.True(t, a.n.Down())
		_, ok := a.env.fs.CurrentContent("dump.rdb")
		assert.False(t, ok)
	})
	t.Run("failed save keeps the node up", func(t *testing.T) {
		a := startNode(t, persistConfig(), nil)
		require.NoError(t, a.env.fs.AddInjector(&disksim.Injector{Name: "eio", Ops: disksim.Ops(disksim.OpCreate), Probability: 1, Enabled: true}))
		assert.Equal(t, "(error) ERR Errors trying to SHUTDOWN. Check logs.", a.do("SHUTDOWN", "SAVE"))
		assert.False(t, a.n.Down())
		assert.Empty(t, a.send("SHUTDOWN", "SAVE", "FORCE"))
		assert.True(t, a.n.Down())
	})
	t.Run("syntax", func(t *testing.T) {
		a := startNode(t, persistConfig(), nil)
		assert.Equal(t, "(error) ERR syntax error", a.do("SHUTDOWN", "SAVE", "NOSAVE"))
		assert.Equal(t, "(error) ERR syntax error", a.do("SHUTDOWN", "later"))
		assert.Equal(t, "(error) ERR syntax error", a.do("SHUTDOWN", "ABORT", "NOW"))
		assert.Equal(t, "(error) ERR No shutdown in progress.", a.do("SHUTDOWN", "ABORT"))
		a.do("MULTI")
		assert.Equal(t, "(error) ERR Command not allowed inside a transaction", a.do("SHUTDOWN"))
	})
	t.Run("kills a running BGSAVE", func(t *testing.T) {
		a := startNode(t, persistConfig(), nil)
		a.do("SET", "k", "old")
		a.do("BGSAVE")
		a.do("SET", "k", "new")
		assert.Empty(t, a.send("SHUTDOWN", "SAVE"))
		a.runJobs() // the killed job must not replace the final save
		b := startNode(t, persistConfig(), a.env.fs)
		assert.Equal(t, []string{"0:k=new"}, b.data())
		names, _ := a.env.fs.List(".")
		assert.Equal(t, []string{"dump.rdb"}, names)
	})
}

func TestFlushallSave(t *testing.T) {
	cfg := persistConfig()
	cfg.Save = []SaveRule{{3600, 1}}
	a := startNode(t, cfg, nil)
	a.do("SET", "k", "v")
	require.Equal(t, "OK", a.do("SAVE"))
	a.do("SET", "k2", "v")
	a.do("BGSAVE")
	for _, ks := range a.n.dbs {
		ks.clear()
	}
	a.n.dirty = 7
	a.n.flushallSave()
	assert.Equal(t, int64(0), a.n.dirty, "the save zeroes the change count, as in Redis 7.0.15")
	a.runJobs()
	b := startNode(t, persistConfig(), a.env.fs)
	assert.Empty(t, b.n.Dataset(), "the killed BGSAVE must not overwrite the empty save")
	assert.Equal(t, "0", infoField(t, a, "rdb_bgsave_in_progress"))
	assert.Equal(t, "ok", infoField(t, a, "rdb_last_bgsave_status"))
}

func TestLastsaveAtStartup(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	assert.Equal(t, "(integer) "+itoa(testEpochNs/1e9), a.do("LASTSAVE"))
}
