// Package redistest starts real servers (redis-server, or replsim server) on
// free loopback ports for interop and differential tests, and talks RESP to
// them. A test that needs a Redis binary fails when it is missing in CI (the
// environment variable CI is set) and skips otherwise.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Server is a server process on loopback.
type Server struct {
	Port int
	Dir  string
	cmd  *exec.Cmd
	log  string
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

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
	s := &Server{Dir: dir, log: filepath.Join(dir, "server.log")}
	hasPort := false
	for i, a := range args {
		if a == "--port" && i+1 < len(args) {
			s.Port, _ = strconv.Atoi(args[i+1])
			hasPort = true
		}
	}
	if !hasPort {
		s.Port = FreePort(t)
		args = append(args, "--port", strconv.Itoa(s.Port))
	}
	logf, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		_, _ = s.cmd.Process.Wait()
		logf.Close()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr(), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %v did not start listening on %d:\n%s", bin, args, s.Port, s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Pid is the server's process ID.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Log returns what the server printed so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// Conn is one RESP connection.
type Conn struct {
	c net.Conn
	r *bufio.Reader
}

// Dial connects to s.
func (s *Server) Dial(t testing.TB) *Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr(), 2*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr(), err)
	}
	t.Cleanup(func() { c.Close() })
	return &Conn{c: c, r: bufio.NewReader(c)}
}

// DoRaw sends one command and returns the raw bytes of its reply.
func (c *Conn) DoRaw(args ...string) ([]byte, error) {
	if err := c.c.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return nil, err
	}
	if _, err := c.c.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		return nil, err
	}
	return c.ReadRaw()
}

// ReadRaw reads one complete reply.
func (c *Conn) ReadRaw() ([]byte, error) {
	var buf []byte
	for {
		if len(buf) > 0 {
			if _, n, err := resp.ParseValue(buf); err != nil {
				return buf, err
			} else if n > 0 {
				return buf[:n], nil
			}
		}
		b, err := c.r.ReadByte()
		if err != nil {
			return buf, err
		}
		buf = append(buf, b)
		for c.r.Buffered() > 0 {
			b, _ := c.r.ReadByte()
			buf = append(buf, b)
			if b == '\n' {
				break
			}
		}
	}
}

// Do sends a command and returns the parsed reply; an I/O error fails t.
func (c *Conn) Do(t testing.TB, args ...string) resp.Value {
	t.Helper()
	raw, err := c.DoRaw(args...)
	if err != nil {
		t.Fatalf("%v: %v (got %q)", args, err, raw)
	}
	v, _, err := resp.ParseValue(raw)
	if err != nil {
		t.Fatalf("%v: bad reply %q: %v", args, raw, err)
	}
	return v.Clone()
}

// InfoField returns one field of INFO <section>, or "".
func (c *Conn) InfoField(t testing.TB, section, field string) string {
	t.Helper()
	v := c.Do(t, "INFO", section)
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && k == field {
			return val
		}
	}
	return ""
}

// Eventually polls cond every 20 ms until it returns "" (success) or the
// timeout passes, then fails with cond's last explanation.
func Eventually(t testing.TB, timeout time.Duration, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		why := cond()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v: %s", timeout, why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Describe is a helper for Eventually messages.
func Describe(format string, args ...any) string { return fmt.Sprintf(format, args...) }
