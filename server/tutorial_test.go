package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const settle = 15 * time.Second // bound for replication to catch up

// tutorialConf returns the tutorial's config file (node/testdata, verbatim)
// with its port and dir rewritten, written into a temp dir.
func tutorialConf(t *testing.T, name string, port int, extra ...string) (path string) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "node", "testdata", name))
	require.NoError(t, err)
	dataDir := t.TempDir()
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "port "):
			line = "port " + strconv.Itoa(port)
		case strings.HasPrefix(line, "dir "):
			line = "dir " + dataDir
		}
		out = append(out, line)
	}
	out = append(out, extra...)
	path = filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644))
	return path
}

func eventuallyCLI(t *testing.T, port int, want string, args ...string) {
	t.Helper()
	var got string
	require.Eventually(t, func() bool {
		got = cli(t, port, args...)
		return got == want
	}, settle, 20*time.Millisecond, "redis-cli -p %d %v: want %q, last %q", port, args, want, got)
}

// TestTutorial runs every step of the seed tutorial against `replsim
// server` processes with the real redis-cli.
func TestTutorial(t *testing.T) {
	needTool(t, "redis-cli")
	mp, rp := redistest.FreePort(t), redistest.FreePort(t)
	startServerProc(t, mp, tutorialConf(t, "redis-6379.conf", mp))
	startServerProc(t, rp, tutorialConf(t, "redis-6380.conf", rp))
	mport := strconv.Itoa(mp)

	// Way 1: SLAVEOF on the replica.
	assert.Equal(t, "OK", cli(t, rp, "slaveof", "127.0.0.1", mport))
	assert.Equal(t, "OK", cli(t, mp, "set", "name", "redis-master"))
	eventuallyCLI(t, rp, `"redis-master"`, "get", "name")

	info := cli(t, rp, "info", "replication")
	assert.Equal(t, "slave", infoField(info, "role"))
	assert.Equal(t, "127.0.0.1", infoField(info, "master_host"))
	assert.Equal(t, mport, infoField(info, "master_port"))
	assert.Equal(t, "up", infoField(info, "master_link_status"))
	info = cli(t, mp, "info", "replication")
	assert.Equal(t, "master", infoField(info, "role"))
	assert.Equal(t, "1", infoField(info, "connected_slaves"))
	assert.Contains(t, infoField(info, "slave0"), fmt.Sprintf("port=%d", rp), "the master knows the replica's listening port")
	assert.Equal(t, `(error) READONLY You can't write against a read only replica.`, cli(t, rp, "set", "x", "1"))

	// Detach: the ex-replica keeps its data and stops following.
	assert.Equal(t, "OK", cli(t, rp, "slaveof", "no", "one"))
	require.Eventually(t, func() bool {
		return infoField(cli(t, mp, "info", "replication"), "connected_slaves") == "0"
	}, settle, 20*time.Millisecond)
	assert.Equal(t, "OK", cli(t, mp, "set", "name2", "aaa666"))
	assert.Equal(t, `"aaa666"`, cli(t, mp, "get", "name2"))
	assert.Equal(t, "(nil)", cli(t, rp, "get", "name2"))
	assert.Equal(t, `"redis-master"`, cli(t, rp, "get", "name"))
	assert.Equal(t, "master", infoField(cli(t, rp, "info", "replication"), "role"))

	// Way 2: --slaveof on the command line.
	rp2 := redistest.FreePort(t)
	startServerProc(t, rp2, tutorialConf(t, "redis-6380.conf", rp2), "--slaveof", "127.0.0.1", mport)
	assert.Equal(t, "OK", cli(t, mp, "set", "age", "33"))
	eventuallyCLI(t, rp2, `"33"`, "get", "age")
	assert.Equal(t, `"redis-master"`, cli(t, rp2, "get", "name"), "the full sync brought the older data")

	// Way 3: slaveof in the config file.
	rp3 := redistest.FreePort(t)
	startServerProc(t, rp3, tutorialConf(t, "redis-6380.conf", rp3, "slaveof 127.0.0.1 "+mport))
	assert.Equal(t, "OK", cli(t, mp, "set", "addr", "xian"))
	eventuallyCLI(t, rp3, `"xian"`, "get", "addr")
	eventuallyCLI(t, rp2, `"xian"`, "get", "addr")
	assert.Equal(t, "2", infoField(cli(t, mp, "info", "replication"), "connected_slaves"))

	// Auth: requirepass at runtime, AUTH, redis-cli -a, masterauth.
	assert.Equal(t, "OK", cli(t, mp, "config", "set", "requirepass", "123456"))
	assert.Equal(t, "(error) NOAUTH Authentication required.", cli(t, mp, "get", "name"))
	assert.Equal(t, "OK\n\"redis-master\"", cliInput(t, mp, "auth 123456\nget name\n"))
	assert.Equal(t, "1) \"requirepass\"\n2) \"123456\"", cli(t, mp, "-a", "123456", "config", "get", "requirepass"))
	rp4 := redistest.FreePort(t)
	startServerProc(t, rp4, tutorialConf(t, "redis-6380.conf", rp4, "masterauth 123456", "slaveof 127.0.0.1 "+mport))
	eventuallyCLI(t, rp4, `"xian"`, "get", "addr")
	assert.Equal(t, "OK", cli(t, mp, "-a", "123456", "set", "after-auth", "yes"))
	eventuallyCLI(t, rp4, `"yes"`, "get", "after-auth")
}
