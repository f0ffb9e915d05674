// Package redistest starts real servers (redis-server, or replsim server) on
// free loopback ports for interop and differential tests, and talks RESP to
// them. A test that needs a Redis binary fails when it is missing in CI (the
// environment variable CI is set) and skips otherwise. It is a testing.TB
// wrapper over internal/redisproc, which does the work.
package redistest

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/replsim/replsim/internal/redisproc"
	"github.com/replsim/replsim/node/resp"
)

// RequireBinary returns the path of name, failing the test in CI and
// skipping it elsewhere when it is not installed.
func RequireBinary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI requires it (apt-get install -y redis-server redis-tools)", name)
	}
	t.Skipf("%s is not installed", name)
	return ""
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := redisproc.FreePort()
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	return p
}

// Server is a server process on loopback.
type Server struct {
	Port int
	Dir  string
	proc *redisproc.Server
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return s.proc.Addr() }

// Start runs bin with args (a port is appended as --port unless args already
// set one) in a fresh temporary dir, waits until it answers PING (or -NOAUTH),
// and stops it when the test ends.
func Start(t testing.TB, bin string, args ...string) *Server {
	t.Helper()
	return StartIn(t, t.TempDir(), bin, args...)
}

// StartIn is Start with the server's working directory given: dir holds
// its files (an RDB or AOF to load, say) and its log.
func StartIn(t testing.TB, dir, bin string, args ...string) *Server {
	t.Helper()
	p, err := redisproc.Spawn(dir, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Kill() })
	if err := p.WaitReady(redisproc.ReadyTimeout); err != nil {
		t.Fatalf("%v\n%s", err, p.Log())
	}
	return &Server{Port: p.Port, Dir: p.Dir, proc: p}
}

// Pid is the server's process ID.
func (s *Server) Pid() int { return s.proc.Pid() }

// Log returns what the server printed so far.
func (s *Server) Log() string { return s.proc.Log() }

// Conn is one RESP connection.
type Conn struct{ c *redisproc.Conn }

// Dial connects to s.
func (s *Server) Dial(t testing.TB) *Conn {
	t.Helper()
	c, err := redisproc.Dial(s.Addr())
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr(), err)
	}
	t.Cleanup(func() { c.Close() })
	return &Conn{c: c}
}

// DoRaw sends one command and returns the raw bytes of its reply.
func (c *Conn) DoRaw(args ...string) ([]byte, error) { return c.c.DoRaw(args...) }

// ReadRaw reads one complete reply.
func (c *Conn) ReadRaw() ([]byte, error) { return c.c.ReadRaw() }

// Do sends a command and returns the parsed reply; an I/O error fails t.
func (c *Conn) Do(t testing.TB, args ...string) resp.Value {
	t.Helper()
	v, err := c.c.Do(args...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// InfoField returns one field of INFO <section>, or "".
func (c *Conn) InfoField(t testing.TB, section, field string) string {
	t.Helper()
	return redisproc.InfoValue(string(c.Do(t, "INFO", section).Str), field)
}

// Eventually polls cond every 20 ms until it returns "" (success) or the
// timeout passes, then fails with cond's last explanation.
func Eventually(t testing.TB, timeout time.Duration, cond func() string) {
	t.Helper()
	why := ""
	err := redisproc.WaitEvery(timeout, 20*time.Millisecond, func() (bool, error) {
		why = cond()
		return why == "", nil
	})
	if err != nil {
		t.Fatalf("condition not met within %v: %s", timeout, why)
	}
}

// Describe is a helper for Eventually messages.
func Describe(format string, args ...any) string { return fmt.Sprintf(format, args...) }
