package node

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/node/resp"
)

// These tests check our files against a real Redis 7.0: redis-check-rdb,
// redis-check-aof and redis-server must accept what we write, and we must
// load what redis-server writes. Without the binaries they skip (or fail
// when CI is set).

func redisTool(t *testing.T, name string) string {
	t.Helper()
	return redistest.RequireBinary(t, name)
}

// exportDir copies dir (or, with dir ".", the root files) from fs to the
// real directory to.
func exportDir(t *testing.T, fs *disksim.FS, dir, to string) {
	t.Helper()
	names, err := fs.List(dir)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(to, dir), 0o755))
	for _, n := range names {
		data, ok := fs.CurrentContent(dir + "/" + n)
		if !ok {
			continue // a directory
		}
		require.NoError(t, os.WriteFile(filepath.Join(to, dir, n), data, 0o644))
	}
}

// importDir copies a real directory into fs under dir and syncs it.
func importDir(t *testing.T, from string, fs *disksim.FS, dir string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	require.NoError(t, fs.MkdirAll(dir))
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(t, err)
		require.NoError(t, writeSynced(fs, dir+"/"+e.Name(), data))
	}
	require.NoError(t, fs.SyncDir(dir))
	require.NoError(t, fs.SyncDir("."))
}

// realRedis is a redis-server process and one connection to it.
type realRedis struct {
	t    *testing.T
	srv  *redistest.Server
	conn net.Conn
	r    *bufio.Reader
}

func startRealRedisIn(t *testing.T, dir string, args ...string) *realRedis {
	t.Helper()
	bin := redisTool(t, "redis-server")
	all := append([]string{"--bind", "127.0.0.1", "--dir", dir, "--save", "", "--daemonize", "no", "--logfile", ""}, args...)
	rr := &realRedis{t: t, srv: redistest.StartIn(t, dir, bin, all...)}
	var err error
	rr.conn, err = net.DialTimeout("tcp", rr.srv.Addr(), 5*time.Second)
	require.NoError(t, err, "redis-server log:\n%s", rr.srv.Log())
	t.Cleanup(func() { _ = rr.conn.Close() })
	rr.r = bufio.NewReader(rr.conn)
	// The port opens before the dataset is loaded; wait until Redis stops
	// answering LOADING.
	deadline := time.Now().Add(10 * time.Second)
	for strings.HasPrefix(rr.do("PING"), "(error) LOADING") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return rr
}

// do sends a command and returns the reply as redis-cli renders it.
func (rr *realRedis) do(args ...string) string {
	rr.t.Helper()
	require.NoError(rr.t, rr.conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err := rr.conn.Write(resp.AppendCommandStrings(nil, args...))
	require.NoError(rr.t, err)
	var buf []byte
	for {
		if v, k, err := resp.ParseValue(buf); err == nil && k > 0 {
			return v.String()
		}
		b, err := rr.r.ReadByte()
		require.NoError(rr.t, err, "reply to %q", args)
		buf = append(buf, b)
	}
}

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
	bin := redisTool(t, "redis-check-rdb")
	for _, compress := range []bool{true, false} {
		t.Run("compress="+strconv.FormatBool(compress), func(t *testing.T) {
			cfg := persistConfig()
			cfg.RDBCompression = compress
			a := startNode(t, cfg, nil)
			a.env.now = time.Now().UnixNano()
			a.n.repl.createBacklog()
			persistWorkload(a.do)
			require.Equal(t, "OK", a.do("SAVE"))
			dir := t.TempDir()
			exportDir(t, a.env.fs, ".", dir)
			out, err := exec.Command(bin, filepath.Join(dir, "dump.rdb")).CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "RDB looks OK")
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
	require.Equal(t, "OK", rr.do("SAVE"))
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)
	fs := disksim.New(nil)
	require.NoError(t, writeSynced(fs, "dump.rdb", data))
	b := newTestNode(t, persistConfig(), fs)
	b.env.now = time.Now().UnixNano()
	require.NoError(t, b.n.Load())
	for _, c := range persistChecks {
		b.do("SELECT", c.db)
		assert.Equal(t, c.want, b.do("GET", c.key), "db %s key %s", c.db, c.key)
	}
}
