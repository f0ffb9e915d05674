package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/replsim/replsim/node/resp"
)

// realServer is a server process on loopback, started for a benchmark.
type realServer struct {
	cmd    *exec.Cmd
	port   int
	stderr bytes.Buffer
	dir    string
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// realServerArgv returns the program and arguments that start kind ("redis"
// or "replsim") on port with repl-timeout, replicating from masterPort
// unless it is 0. `replsim server` takes redis-server's flags.
func realServerArgv(kind string, port, masterPort int, replTimeout int, dir string) (string, []string, error) {
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--repl-timeout", strconv.Itoa(replTimeout), "--dir", dir}
	if masterPort != 0 {
		args = append(args, "--replicaof", "127.0.0.1", strconv.Itoa(masterPort))
	}
	switch kind {
	case "redis":
		p, err := exec.LookPath("redis-server")
		if err != nil {
			p = "/usr/bin/redis-server"
			if _, err := os.Stat(p); err != nil {
				return "", nil, fmt.Errorf("redis-server not found")
			}
		}
		return p, append([]string{"--daemonize", "no", "--logfile", ""}, args...), nil
	case "replsim":
		self, err := os.Executable()
		if err != nil {
			return "", nil, err
		}
		return self, append([]string{"server"}, args...), nil
	}
	return "", nil, fmt.Errorf("--real %q: want redis, replsim or none", kind)
}

func startServer(kind string, masterPort int, replTimeout int) (*realServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "replsim-bench-")
	if err != nil {
		return nil, err
	}
	prog, args, err := realServerArgv(kind, port, masterPort, replTimeout, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &realServer{port: port, dir: dir}
	s.cmd = exec.Command(prog, args...)
	s.cmd.Stderr = &s.stderr
	s.cmd.Stdout = &s.stderr
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan struct{})
	go func() { s.cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.addr(), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case <-exited:
			os.RemoveAll(dir)
			first, _, _ := strings.Cut(strings.TrimSpace(s.stderr.String()), "\n")
			return nil, fmt.Errorf("%s %s exited at start: %s", filepath.Base(prog), args[0], first)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s did not listen on %s within 5s", prog, s.addr())
		}
	}
}

func (s *realServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

func (s *realServer) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGCONT)
		s.cmd.Process.Kill()
	}
	os.RemoveAll(s.dir)
}

func (s *realServer) signal(sig syscall.Signal) error { return s.cmd.Process.Signal(sig) }

// respConn is a minimal synchronous RESP client.
type respConn struct {
	c  net.Conn
	r  *bufio.Reader
	in []byte
}

func dialResp(addr string) (*respConn, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	return &respConn{c: c, r: bufio.NewReader(c)}, nil
}

// do sends one command and reads its reply, within 10 s.
func (rc *respConn) do(args ...string) (resp.Value, error) {
	rc.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := rc.c.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		return resp.Value{}, err
	}
	buf := make([]byte, 4096)
	for {
		v, n, err := resp.ParseValue(rc.in)
		if err != nil {
			return resp.Value{}, err
		}
		if n > 0 {
			v = v.Clone()
			rc.in = rc.in[:copy(rc.in, rc.in[n:])]
			return v, nil
		}
		k, err := rc.r.Read(buf)
		if err != nil {
			return resp.Value{}, err
		}
		rc.in = append(rc.in, buf[:k]...)
	}
}

// infoField returns one field of INFO replication.
func (rc *respConn) infoField(name string) (string, error) {
	v, err := rc.do("INFO", "replication")
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(l, ":"); ok && k == name {
			return val, nil
		}
	}
	return "", nil
}

// waitFor polls cond every 5 ms for up to timeout.
func waitFor(timeout time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not within %v", what, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// realCompression runs the compression workload against real processes:
// a master and a replica, ops sequential client operations on the master,
// the replica catching up, then the master frozen (SIGSTOP) until the
// replica's repl-timeout fires, thawed, and the replica catching up again.
// It returns the wall time from the first start to the end.
func realCompression(kind string, ops int, replTimeout int) (time.Duration, error) {
	began := time.Now()
	m, err := startServer(kind, 0, replTimeout)
	if err != nil {
		return 0, err
	}
	defer m.stop()
	r, err := startServer(kind, m.port, replTimeout)
	if err != nil {
		return 0, err
	}
	defer r.stop()
	mc, err := dialResp(m.addr())
	if err != nil {
		return 0, err
	}
	defer mc.c.Close()
	rc, err := dialResp(r.addr())
	if err != nil {
		return 0, err
	}
	defer rc.c.Close()
	linkIs := func(state string) func() (bool, error) {
		return func() (bool, error) {
			v, err := rc.infoField("master_link_status")
			return v == state, err
		}
	}
	caughtUp := func() (bool, error) {
		mo, err := mc.infoField("master_repl_offset")
		if err != nil {
			return false, err
		}
		ro, err := rc.infoField("slave_repl_offset")
		return err == nil && mo == ro && linkUp(rc), err
	}
	if err := waitFor(10*time.Second, "replica link up", linkIs("up")); err != nil {
		return 0, err
	}
	for i := 0; i < ops; i++ {
		k := "k" + strconv.Itoa(i%8)
		if i%2 == 0 {
			_, err = mc.do("SET", k, strconv.Itoa(i))
		} else {
			_, err = mc.do("GET", k)
		}
		if err != nil {
			return 0, err
		}
	}
	if err := waitFor(10*time.Second, "replica catches up", caughtUp); err != nil {
		return 0, err
	}
	if err := m.signal(syscall.SIGSTOP); err != nil {
		return 0, err
	}
	limit := time.Duration(replTimeout+10) * time.Second
	if err := waitFor(limit, "replica notices the frozen master", linkIs("down")); err != nil {
		return 0, err
	}
	if err := m.signal(syscall.SIGCONT); err != nil {
		return 0, err
	}
	if err := waitFor(limit, "replica relinks and catches up", caughtUp); err != nil {
		return 0, err
	}
	return time.Since(began), nil
}

func linkUp(rc *respConn) bool {
	v, err := rc.infoField("master_link_status")
	return err == nil && v == "up"
}
