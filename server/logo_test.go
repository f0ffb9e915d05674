package server

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// busyPort returns a port held by a listener for the rest of the test.
func busyPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// corruptDir returns a directory whose dump.rdb fails to load, so that a
// server started there stops right after its startup lines.
func corruptDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dump.rdb"), []byte("not an RDB file"), 0o644))
	return dir
}

func TestServerCmdLogo(t *testing.T) {
	code, stdout, _ := runServerCmd(t, "--port", "0", "--dir", corruptDir(t), "--always-show-logo", "yes")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "     Port: 0\n")
	assert.Contains(t, stdout, "     PID: "+strconv.Itoa(os.Getpid())+"\n")
	assert.NotContains(t, stdout, "Running mode=")

	_, stdout, _ = runServerCmd(t, "--port", "0", "--dir", corruptDir(t))
	assert.Contains(t, stdout, "* Running mode=standalone, port=0.\n")
	assert.NotContains(t, stdout, "PID: ")
}

// Installed under the name redis-server, the binary is the server and takes
// redis-server's arguments (no "server" subcommand), as Redis's test suite
// runs it.
func TestBinaryNamedRedisServer(t *testing.T) {
	link := filepath.Join(t.TempDir(), "redis-server")
	require.NoError(t, os.Symlink(replsimBinary(t), link))
	cmd := exec.Command(link, "--port", "0", "--dir", corruptDir(t), "--always-show-logo", "yes")
	out, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, string(out), "     PID: "+strconv.Itoa(cmd.Process.Pid)+"\n")
	assert.Contains(t, string(out), "# Fatal error loading the DB: ")
}

// A port in use fails before the logo, with Redis's lines, so that Redis's
// test suite sees no " PID: " line and retries on another port.
func TestServerCmdPortInUseBeforeLogo(t *testing.T) {
	port := busyPort(t)
	code, stdout, _ := runServerCmd(t, "--port", port, "--dir", t.TempDir(), "--always-show-logo", "yes")
	assert.Equal(t, 1, code)
	assert.NotContains(t, stdout, "PID: ")
	assert.Contains(t, stdout, "# Warning: Could not create server TCP listening socket 127.0.0.1:"+port)
	assert.Contains(t, stdout, "# Failed listening on port "+port+" (TCP), aborting.\n")
}
