package redisproc

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"
)

// WaitReady polls PING until the server is ready for commands, it exits
// (the error then gives its first line on stderr, or else the last line
// it printed), or timeout passes.
func (s *Server) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-s.done:
			return fmt.Errorf("%s exited at start (%v): %s", filepath.Base(s.bin), s.waitErr, s.whyExited())
		default:
		}
		why := ping(s.Addr(), deadline, s.done)
		if why == "" {
			return nil
		}
		select {
		case <-s.done:
			continue
		case <-time.After(10 * time.Millisecond):
		}
		if !time.Now().Before(deadline) {
			return fmt.Errorf("%s %v not ready on port %d within %v: %s", filepath.Base(s.bin), s.args, s.Port, timeout, why)
		}
	}
}

// whyExited is the first non-empty line the exited server wrote to stderr,
// or else the last one it printed.
func (s *Server) whyExited() string {
	for _, l := range strings.Split(s.stderr.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	lines := strings.Split(strings.TrimSpace(s.Log()), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return "(no output)"
}

// ping sends PING on a fresh connection and returns "" when the server at
// addr is ready for commands, else why not; it gives up at deadline. Redis
// listens before it has loaded its RDB or AOF and answers -LOADING until
// then, so a server that accepts a connection is not yet ready; -NOAUTH (a
// password is set) means ready. Closing abort abandons the attempt (the
// server exited: whatever holds the port is not it).
func ping(addr string, deadline time.Time, abort <-chan struct{}) string {
	dial := min(200*time.Millisecond, time.Until(deadline))
	if dial <= 0 {
		return "deadline passed"
	}
	c, err := net.DialTimeout("tcp", addr, dial)
	if err != nil {
		return err.Error()
	}
	conn := NewConn(c)
	defer conn.Close()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-abort:
			conn.Close()
		case <-finished:
		}
	}()
	conn.Timeout = time.Until(deadline)
	raw, err := conn.DoRaw("PING")
	if err != nil {
		return fmt.Sprintf("PING: %v", err)
	}
	if strings.HasPrefix(string(raw), "-LOADING") {
		return fmt.Sprintf("PING answered %q", raw)
	}
	return ""
}
