package server

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redistest"

	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/require"
)

// replsim is the replsim binary, built once for the process tests.
var replsim = &redistest.Binary{Pkg: "github.com/replsim/replsim/cmd/replsim"}

func TestMain(m *testing.M) {
	code := m.Run()
	replsim.Remove()
	os.Exit(code)
}

// replsimBinary returns the replsim binary, built on first use.
func replsimBinary(t *testing.T) string {
	t.Helper()
	return replsim.Path(t)
}

// needTool returns the path of a real Redis tool. Without it the test
// fails under CI and is skipped elsewhere.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: %v", name, err)
		}
		t.Skipf("%s not found: %v", name, err)
	}
	return p
}

// freePort returns a loopback TCP port that was free a moment ago.

// serverProc is a `replsim server` child process.
type serverProc struct {
	port int
	cmd  *exec.Cmd
	log  *lockedBuffer
}

// lockedBuffer collects a process's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServerProc runs `replsim server args...` until it is ready to accept
// connections on port, and kills it at the end of the test.
func startServerProc(t *testing.T, port int, args ...string) *serverProc {
	t.Helper()
	bin := replsimBinary(t)
	cmd := exec.Command(bin, append([]string{"server"}, args...)...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	p := &serverProc{port: port, cmd: cmd, log: &lockedBuffer{}}
	cmd.Stderr = p.log
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("replsim server %v output:\n%s", args, p.log.String())
		}
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		found := false
		for sc.Scan() {
			p.log.Write([]byte(sc.Text() + "\n"))
			if !found && strings.Contains(sc.Text(), "Ready to accept connections") {
				found = true
				ready <- true
			}
		}
		if !found {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		require.True(t, ok, "replsim server exited before it was ready:\n%s", p.log.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("replsim server not ready within 15s:\n%s", p.log.String())
	}
	return p
}

// cli runs redis-cli against port in its human-readable (tty) format, so
// replies read as in the tutorial: OK, "value", (nil), (error) ...
func cli(t *testing.T, port int, args ...string) string {
	t.Helper()
	return cliInput(t, port, "", args...)
}

// cliInput is cli with stdin: with no command arguments, redis-cli runs
// every line of stdin as a command.
func cliInput(t *testing.T, port int, stdin string, args ...string) string {
	t.Helper()
	bin := needTool(t, "redis-cli")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-p", strconv.Itoa(port), "--no-raw"}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	require.NoError(t, err, "redis-cli %v", args)
	return strings.TrimRight(string(out), "\n")
}

// infoField returns one field of an INFO reply.
func infoField(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		line = strings.TrimRight(line, "\r")
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return ""
}

// inProcServer runs a server in this process on a free port and stops it
// at the end of the test.
func inProcServer(t *testing.T, mutate func(*node.Config)) (*server, string) {
	t.Helper()
	cfg := node.DefaultConfig()
	cfg.Port = redistest.FreePort(t)
	cfg.Dir = t.TempDir()
	cfg.Save = nil
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := newServer(cfg, newRedisLog(io.Discard))
	require.NoError(t, err)
	addr := s.Addrs()[0].String()
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go func() { exited <- s.run(ctx, nil) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10s")
		}
	})
	return s, addr
}
