// Package redisproc starts real Redis-compatible server processes
// (redis-server, or replsim server) on free loopback ports and talks RESP
// to them. It serves the real-process benchmark of the replsim binary,
// which must not import package testing, and internal/redistest, which
// wraps it for tests.
package redisproc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// ReadyTimeout is how long Start waits for a server to answer PING.
const ReadyTimeout = 10 * time.Second

// Server is a server process on loopback, started in a directory that
// holds its files and its log (server.log: stdout and stderr).
type Server struct {
	Port int
	Dir  string

	bin     string
	args    []string
	cmd     *exec.Cmd
	log     string
	stderr  *headWriter
	done    chan struct{}
	waitErr error
}

// Start runs bin with args in dir (a port is appended as --port unless args
// already set one), waits up to ReadyTimeout until it answers PING, and
// returns it. If it exits first, or does not answer in time, Start kills it
// and says why.
func Start(dir, bin string, args ...string) (*Server, error) {
	s, err := Spawn(dir, bin, args...)
	if err != nil {
		return nil, err
	}
	if err := s.WaitReady(ReadyTimeout); err != nil {
		_ = s.Kill()
		return nil, err
	}
	return s, nil
}

// Spawn runs bin with args in dir as Start does, without waiting for it to
// answer: call WaitReady, and Kill when done.
func Spawn(dir, bin string, args ...string) (*Server, error) {
	s := &Server{Dir: dir, bin: bin, log: filepath.Join(dir, "server.log")}
	hasPort := false
	for i, a := range args {
		if a == "--port" && i+1 < len(args) {
			p, err := strconv.Atoi(args[i+1])
			if err != nil {
				return nil, fmt.Errorf("%s: --port %q is not a number", filepath.Base(bin), args[i+1])
			}
			s.Port, hasPort = p, true
		}
	}
	if !hasPort {
		p, err := FreePort()
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		s.Port = p
		args = append(args[:len(args):len(args)], "--port", strconv.Itoa(p))
	}
	s.args = args
	// O_APPEND: the process's stdout and the copy of its stderr share
	// the file without overwriting each other.
	logf, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	s.stderr = &headWriter{w: logf}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = logf, s.stderr
	// A child the server forked (a BGSAVE) may hold stderr open after the
	// server is gone; do not wait for it longer than this.
	s.cmd.WaitDelay = time.Second
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s.done = make(chan struct{})
	go func() {
		s.waitErr = s.cmd.Wait()
		logf.Close()
		close(s.done)
	}()
	return s, nil
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// Log returns what the server printed so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// Done is closed once the process has exited and been reaped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Pid is the server's process ID.
func (s *Server) Pid() int { return s.cmd.Process.Pid }
