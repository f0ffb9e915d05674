package node

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
)

// These tests check our files against a real Redis 7.0: redis-check-rdb,
// redis-check-aof and redis-server must accept what we write, and we must
// load what redis-server writes. Without the binaries they skip (or fail
// when CI is set).

// persistWorkload runs writes over several dbs through do; persistChecks
// are the GETs that must see them.
func persistWorkload(do func(args ...string) string) {
	do("SET", "k", "v")
	do("SET", "big", strings.Repeat("abc", 100))
	do("INCR", "n")
	do("INCRBY", "n", "41")
	do("SET", "ttl", "x", "EX", "100000")
	do("SELECT", "3")
	do("MULTI")
	do("SET", "m1", "1")
	do("SET", "m2", "2")
	do("EXEC")
	do("SET", "bin", "a\r\nb\x00c")
	do("DEL", "m1")
	do("SELECT", "15")
	do("SET", "last", "db15")
}

var persistChecks = []struct{ db, key, want string }{
	{"0", "k", `"v"`}, {"0", "n", `"42"`}, {"0", "ttl", `"x"`},
	{"0", "big", `"` + strings.Repeat("abc", 100) + `"`},
	{"3", "m1", "(nil)"}, {"3", "m2", `"2"`}, {"3", "bin", `"a\r\nb\x00c"`}, {"15", "last", `"db15"`},
}

func TestRealRedisCheckRDBAcceptsOurSave(t *testing.T) {
	for _, compress := range []bool{true, false} {
		t.Run("compress="+strconv.FormatBool(compress), func(t *testing.T) {
			cfg := persistConfig()
			cfg.RDBCompression = compress
			a := startNode(t, cfg, nil)
			a.env.now = time.Now().UnixNano()
			a.n.repl.createBacklog()
			persistWorkload(a.do)
			exportCheckedSave(t, a)
		})
	}
}

func TestRealRedisLoadsOurRDB(t *testing.T) {
	a := startNode(t, persistConfig(), nil)
	a.env.now = time.Now().UnixNano() // expiries must be in the future for the real server
	persistWorkload(a.do)
	require.Equal(t, "OK", a.do("SAVE"))
	dir := t.TempDir()
	exportDir(t, a.env.fs, ".", dir)
	rr := startRealRedisIn(t, dir, "--appendonly", "no", "--dbfilename", "dump.rdb")
	for _, c := range persistChecks {
		rr.do("SELECT", c.db)
		assert.Equal(t, c.want, rr.do("GET", c.key), "db %s key %s", c.db, c.key)
	}
}

func TestRealRedisLoadsOurAOF(t *testing.T) {
	checkAOF := redisTool(t, "redis-check-aof")
	for _, rewrite := range []string{"none", "done", "in progress"} {
		t.Run("rewrite "+rewrite, func(t *testing.T) {
			a := startNode(t, aofConfig("always"), nil)
			a.env.now = time.Now().UnixNano()
			a.do("SET", "before", "rewrite")
			if rewrite != "none" {
				require.Equal(t, "Background append only file rewriting started", a.do("BGREWRITEAOF"))
				if rewrite == "done" {
					a.runJobs()
				}
			}
			persistWorkload(a.do)
			dir := t.TempDir()
			exportDir(t, a.env.fs, "appendonlydir", dir)
			out, err := exec.Command(checkAOF, filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest")).CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "is valid")

			rr := startRealRedisIn(t, dir, "--appendonly", "yes", "--appenddirname", "appendonlydir")
			for _, c := range append(persistChecks, struct{ db, key, want string }{"0", "before", `"rewrite"`}) {
				rr.do("SELECT", c.db)
				assert.Equal(t, c.want, rr.do("GET", c.key), "db %s key %s", c.db, c.key)
			}
		})
	}
}

func TestWeLoadRealRedisAOF(t *testing.T) {
	dir := t.TempDir()
	rr := startRealRedisIn(t, dir, "--appendonly", "yes", "--appendfsync", "always")
	persistWorkload(rr.do)
	require.Contains(t, rr.do("BGREWRITEAOF"), "started")
	require.Eventually(t, func() bool {
		return strings.Contains(rr.do("INFO", "persistence"), "aof_rewrite_in_progress:0")
	}, 10*time.Second, 20*time.Millisecond)
	rr.do("SET", "after", "rewrite")
	rr.do("SELECT", "0")
	rr.do("SET", "k", "v2")

	fs := disksim.New(nil)
	importDir(t, filepath.Join(dir, "appendonlydir"), fs, "appendonlydir")
	b := newTestNode(t, aofConfig("always"), fs)
	b.env.now = time.Now().UnixNano()
	require.NoError(t, b.n.Load())
	for _, c := range persistChecks {
		b.do("SELECT", c.db)
		want := c.want
		if c.db == "0" && c.key == "k" {
			want = `"v2"`
		}
		assert.Equal(t, want, b.do("GET", c.key), "db %s key %s", c.db, c.key)
	}
	b.do("SELECT", "15")
	assert.Equal(t, `"rewrite"`, b.do("GET", "after"))
}

func TestWeLoadRealRedisRDB(t *testing.T) {
	dir := t.TempDir()
	rr := startRealRedisIn(t, dir, "--appendonly", "no", "--dbfilename", "dump.rdb")
	persistWorkload(rr.do)
	b := loadRealRedisSave(t, rr, dir)
	for _, c := range persistChecks {
		b.do("SELECT", c.db)
		assert.Equal(t, c.want, b.do("GET", c.key), "db %s key %s", c.db, c.key)
	}
}
