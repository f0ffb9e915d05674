package node

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
)

// Helpers of the tests that check our files against a real Redis 7.0
// (persist_*_redis_test.go).

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

// loadRealRedisSave has rr (started in dir) SAVE and loads its dump.rdb
// into a new node of ours, whose clock reads the real time so that the
// expiries in the file are in the future.
func loadRealRedisSave(t *testing.T, rr *realRedis, dir string) *testNode {
	t.Helper()
	require.Equal(t, "OK", rr.do("SAVE"))
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)
	fs := disksim.New(nil)
	require.NoError(t, writeSynced(fs, "dump.rdb", data))
	b := newTestNode(t, persistConfig(), fs)
	b.env.now = time.Now().UnixNano()
	require.NoError(t, b.n.Load())
	return b
}

// exportCheckedSave has a SAVE, copies its dump.rdb to a new real folder,
// which it returns, and requires redis-check-rdb to accept the file.
func exportCheckedSave(t *testing.T, a *testNode) string {
	t.Helper()
	check := redisTool(t, "redis-check-rdb")
	require.Equal(t, "OK", a.do("SAVE"))
	dir := t.TempDir()
	exportDir(t, a.env.fs, ".", dir)
	out, err := exec.Command(check, filepath.Join(dir, "dump.rdb")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "RDB looks OK")
	return dir
}

// startRealRedisOnOurSave starts a real Redis on a's save (checked as
// exportCheckedSave does), sanitizing the payload as it loads.
func startRealRedisOnOurSave(t *testing.T, a *testNode) *realRedis {
	t.Helper()
	dir := exportCheckedSave(t, a)
	return startRealRedisIn(t, dir, "--appendonly", "no", "--dbfilename", "dump.rdb", "--enable-debug-command", "yes",
		"--sanitize-dump-payload", "yes")
}
