package server

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runServerCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Command(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeConf(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "redis.conf")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func TestServerCmdConfigErrors(t *testing.T) {
	conf := writeConf(t, "port 7400\n# c\nfoo bar\n")
	code, _, stderr := runServerCmd(t, conf)
	assert.Equal(t, 1, code)
	assert.Equal(t, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"+
		"Reading the configuration file, at line 3\n"+
		">>> 'foo bar'\n"+
		"Bad directive or wrong number of arguments\n"+
		"("+conf+":3)\n", stderr)

	code, _, stderr = runServerCmd(t, conf+".missing")
	assert.Equal(t, 1, code)
	assert.Equal(t, "Fatal error, can't open config file '"+conf+".missing': No such file or directory\n", stderr)

	code, _, stderr = runServerCmd(t, "--port", "1", "--dir", "/nonexistent/dir")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, ">>> 'dir \"/nonexistent/dir\"'\nNo such file or directory\n(command line)\n")

	code, _, stderr = runServerCmd(t, "--daemonize", "yes")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "daemonize yes is not supported: replsim server runs in the foreground")

	code, _, stderr = runServerCmd(t, "--dir", t.TempDir(), "--logfile", "no/such/dir/x.log")
	assert.Equal(t, 1, code)
	assert.Equal(t, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n", stderr)
}

func TestServerCmdPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	code, stdout, _ := runServerCmd(t, "--port", port, "--dir", t.TempDir(), "--lazyfree-lazy-eviction", "yes")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "Could not create server TCP listening socket 127.0.0.1:"+port)
	assert.Contains(t, stdout, "# Warning: command line: 'lazyfree-lazy-eviction \"yes\"': lazyfree-lazy-eviction is not implemented by replsim; ignored")
}

func TestServerCmdHelpAndVersion(t *testing.T) {
	code, stdout, _ := runServerCmd(t, "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "usage: replsim server")
	code, stdout, _ = runServerCmd(t, "-v")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "7.0.15")
}

func TestLoadServerConfigResolvesDirs(t *testing.T) {
	base := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(base, "a", "b"), 0o755))
	var errb bytes.Buffer
	conf := writeConf(t, "dir "+base+"\ndir a\ndir b\nlogfile x.log\n")
	cfg, warns, ok := loadServerConfig([]string{conf, "--port", "7000"}, &errb)
	require.True(t, ok, errb.String())
	assert.Empty(t, warns)
	assert.Equal(t, filepath.Join(base, "a", "b"), cfg.Dir, "each dir is relative to the previous one, as with chdir")
	assert.Equal(t, conf, cfg.ConfigFile)
	assert.Equal(t, 7000, cfg.Port)

	cwd, err := os.Getwd()
	require.NoError(t, err)
	cfg, _, ok = loadServerConfig(nil, &errb)
	require.True(t, ok)
	assert.Equal(t, cwd, cfg.Dir)
	assert.Equal(t, "", cfg.ConfigFile)
}
