package main

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

func TestServerCmdLogo(t *testing.T) {
	port := busyPort(t)
	_, stdout, _ := runServerCmd(t, "--port", port, "--dir", t.TempDir(), "--always-show-logo", "yes")
	assert.Contains(t, stdout, "     Port: "+port+"\n")
	assert.Contains(t, stdout, "     PID: "+strconv.Itoa(os.Getpid())+"\n")
	assert.NotContains(t, stdout, "Running mode=")

	_, stdout, _ = runServerCmd(t, "--port", port, "--dir", t.TempDir())
	assert.Contains(t, stdout, "* Running mode=standalone, port="+port+".\n")
	assert.NotContains(t, stdout, "PID: ")
}

// Installed under the name redis-server, the binary is the server and takes
// redis-server's arguments (no "server" subcommand), as Redis's test suite
// runs it.
func TestBinaryNamedRedisServer(t *testing.T) {
	link := filepath.Join(t.TempDir(), "redis-server")
	require.NoError(t, os.Symlink(replsimBinary(t), link))
	port := busyPort(t)
	cmd := exec.Command(link, "--port", port, "--always-show-logo", "yes")
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, string(out), "     PID: "+strconv.Itoa(cmd.Process.Pid)+"\n")
	assert.Contains(t, string(out), "Could not create server TCP listening socket 127.0.0.1:"+port)
}
