package interop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// runToExit runs a server that is expected to exit on its own (it cannot
// load its data) in dir and returns its output and exit code.
func runToExit(t *testing.T, dir, bin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--port", strconv.Itoa(redistest.FreePort(t)), "--dir", dir)...)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "the server did not exit:\n%s", out)
	return string(out), cmd.ProcessState.ExitCode()
}

// loadLog is what a server logged after "Server initialized", without the
// timestamp prefixes and without Redis's memory overcommit warning; lines
// not in the log format (redis-check-rdb's report) are left out.
func loadLog(out string) []string {
	var lines []string
	started := false
	for _, l := range strings.Split(out, "\n") {
		m := logLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if !started {
			started = strings.HasSuffix(m[2], "Server initialized")
			continue
		}
		if strings.HasPrefix(m[2], "# WARNING Memory overcommit") {
			continue
		}
		lines = append(lines, normaliseAge(m[2]))
	}
	return lines
}

// loadSeconds is the time a load line reports.
var loadSeconds = regexp.MustCompile(`: \d+\.\d{3} seconds$`)

func normaliseAge(s string) string {
	for _, n := range normalisers[5:] { // RDB age and memory
		s = n.re.ReplaceAllString(s, n.with)
	}
	return loadSeconds.ReplaceAllString(s, ": <t> seconds")
}

// startLog is what a server that started logged after "Server
// initialized" up to "Ready to accept connections", as loadLog reads it.
func startLog(s *redistest.Server) []string {
	lines := loadLog(s.Log())
	for i, l := range lines {
		if strings.HasSuffix(l, "Ready to accept connections") {
			return lines[:i+1]
		}
	}
	return lines
}

// copyDir copies the regular files of src (one level of directories) to
// a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	}))
	return dst
}

// bothExit runs redis-server (bin) and replsim server, each on its own copy
// of dir with the same arguments, expects both to exit with status 1, and
// returns what each logged while loading (loadLog).
func bothExit(t *testing.T, dir, bin string, args ...string) (theirs, ours []string) {
	t.Helper()
	out, code := runToExit(t, copyDir(t, dir), bin, args...)
	assert.Equal(t, 1, code, "redis-server")
	theirs = loadLog(out)
	out, code = runToExit(t, copyDir(t, dir), replsim.Path(t), append([]string{"server"}, args...)...)
	assert.Equal(t, 1, code, "replsim")
	return theirs, loadLog(out)
}

// rewrittenAOF starts redis-server with the AOF on in a new directory,
// runs writes, then BGREWRITEAOF, and returns the directory and a
// connection once the rewrite has ended (its base is renamed into place
// before the manifest naming it is written, so the file alone says too
// little).
func rewrittenAOF(t *testing.T, bin string, writes ...[]string) (string, *redistest.Conn) {
	t.Helper()
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes")
	c := srv.Dial(t)
	for _, w := range writes {
		require.Equal(t, "OK", c.Do(t, w...).String())
	}
	require.Contains(t, c.Do(t, "BGREWRITEAOF").String(), "rewriting started")
	redistest.Eventually(t, 5*time.Second, func() string {
		if got := c.InfoField(t, "persistence", "aof_rewrite_in_progress"); got != "0" {
			return "aof_rewrite_in_progress " + got
		}
		return ""
	})
	return dir, c
}

// A corrupt RDB (one flipped byte in a value) stops both servers with the
// same lines: the AUX fields read, the checksum mismatch, "RDB CRC error".
func TestCorruptRDBLogMatchesRedis(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "")
	c := srv.Dial(t)
	require.Equal(t, "OK", c.Do(t, "SET", "key", "some value").String())
	require.Equal(t, "OK", c.Do(t, "SAVE").String())
	path := filepath.Join(dir, "dump.rdb")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	i := strings.Index(string(data), "some value")
	require.Positive(t, i)
	data[i] ^= 0x20
	require.NoError(t, os.WriteFile(path, data, 0o644))

	want, ours := bothExit(t, dir, bin)
	require.NotEmpty(t, want)
	assert.Contains(t, want[len(want)-1], "RDB CRC error")
	assert.Equal(t, want, ours)
}

// An RDB file that opens but cannot be read (a directory named
// dump.rdb: fopen succeeds, the read fails with EISDIR) stops both servers
// with rdbLoadRio's short-read line and rdbReportReadError's.
func TestUnreadableRDBLogMatchesRedis(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	run := func(bin string, args ...string) ([]string, int) {
		dir := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(dir, "dump.rdb"), 0o755))
		out, code := runToExit(t, dir, bin, args...)
		return loadLog(out), code
	}
	want, code := run(bin)
	assert.Equal(t, 1, code, "redis-server")
	ours, code := run(replsim.Path(t), "server")
	assert.Equal(t, 1, code, "replsim")
	require.NotEmpty(t, want)
	assert.Contains(t, want[0], "Short read or OOM loading DB")
	assert.Equal(t, want, ours)
}

// A multi-part AOF whose manifest names a missing file stops both servers
// with the one line naming the file and "No such file or directory".
func TestMissingAOFPartLogMatchesRedis(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	dir := t.TempDir()
	srv := redistest.StartIn(t, dir, bin, "--save", "", "--appendonly", "yes")
	c := srv.Dial(t)
	require.Equal(t, "OK", c.Do(t, "SET", "k", "v").String())
	redistest.Eventually(t, 5*time.Second, func() string {
		if _, err := os.Stat(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")); err != nil {
			return err.Error()
		}
		return ""
	})
	require.NoError(t, os.Remove(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")))

	want, ours := bothExit(t, dir, bin, "--appendonly", "yes")
	assert.Equal(t, []string{"# Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory"}, want)
	assert.Equal(t, want, ours)
}

// A multi-part AOF whose base RDB has one flipped byte in a value stops
// both servers with the same lines: the base announced, its AUX fields,
// the checksum mismatch, then "Error reading the RDB base file ...".
func TestCorruptAOFBaseLogMatchesRedis(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	dir, _ := rewrittenAOF(t, bin, []string{"SET", "key", "some value"})
	base := filepath.Join(dir, "appendonlydir", "appendonly.aof.2.base.rdb")
	data, err := os.ReadFile(base)
	require.NoError(t, err)
	i := strings.Index(string(data), "some value")
	require.Positive(t, i)
	data[i] ^= 0x20
	require.NoError(t, os.WriteFile(base, data, 0o644))

	want, ours := bothExit(t, dir, bin, "--appendonly", "yes")
	require.NotEmpty(t, want)
	assert.Equal(t, want, ours)
}

// A multi-part AOF (an RDB base, an incr file) loads with the same lines
// in both servers: the base announced, its AUX fields and "Done loading
// RDB" (keys expired 0: an AOF's RDB keeps them), each file's "DB loaded
// from ... file", then the whole AOF's line before the incr file opens.
func TestAOFLoadLogMatchesRedis(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	dir, c := rewrittenAOF(t, bin, []string{"SET", "key", "some value"}, []string{"SET", "gone", "soon", "PX", "1"})
	require.Equal(t, "OK", c.Do(t, "SET", "k2", "v").String())
	theirs := redistest.StartIn(t, copyDir(t, dir), bin, "--appendonly", "yes")
	ours := redistest.StartIn(t, copyDir(t, dir), replsim.Path(t), "server", "--appendonly", "yes")
	want := startLog(theirs)
	require.Contains(t, want, "* DB loaded from base file appendonly.aof.2.base.rdb: <t> seconds")
	assert.Equal(t, want, startLog(ours))
}
