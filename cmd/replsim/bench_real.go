package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/replsim/replsim/internal/redisproc"
)

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

// realServer is a server process on loopback, started for a benchmark in
// a temporary directory of its own.
type realServer struct {
	*redisproc.Server
}

// startServer starts kind ("redis" or "replsim") with repl-timeout,
// replicating from masterPort unless it is 0, and waits until it answers.
func startServer(kind string, masterPort int, replTimeout int) (*realServer, error) {
	port, err := redisproc.FreePort()
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
	s, err := redisproc.Start(dir, prog, args...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &realServer{s}, nil
}

// stop kills the server and removes its directory.
func (s *realServer) stop() {
	_ = s.Kill()
	os.RemoveAll(s.Dir)
}

// dialResp connects to s with a 10 s bound on each command.
func dialResp(s *realServer) (*redisproc.Conn, error) {
	c, err := s.Dial()
	if err != nil {
		return nil, err
	}
	c.Timeout = 10 * time.Second
	return c, nil
}

// waitFor asks cond until it holds, for up to timeout; what names the
// condition in the error.
func waitFor(timeout time.Duration, what string, cond func() (bool, error)) error {
	if err := redisproc.Wait(timeout, cond); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
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
	r, err := startServer(kind, m.Port, replTimeout)
	if err != nil {
		return 0, err
	}
	defer r.stop()
	mc, err := dialResp(m)
	if err != nil {
		return 0, err
	}
	defer mc.Close()
	rc, err := dialResp(r)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	linkIs := func(state string) func() (bool, error) {
		return func() (bool, error) {
			v, err := rc.InfoField("replication", "master_link_status")
			return v == state, err
		}
	}
	caughtUp := func() (bool, error) {
		mo, err := mc.InfoField("replication", "master_repl_offset")
		if err != nil {
			return false, err
		}
		ro, err := rc.InfoField("replication", "slave_repl_offset")
		return err == nil && mo == ro && linkUp(rc), err
	}
	if err := waitFor(10*time.Second, "replica link up", linkIs("up")); err != nil {
		return 0, err
	}
	for i := 0; i < ops; i++ {
		k := "k" + strconv.Itoa(i%8)
		if i%2 == 0 {
			_, err = mc.Do("SET", k, strconv.Itoa(i))
		} else {
			_, err = mc.Do("GET", k)
		}
		if err != nil {
			return 0, err
		}
	}
	if err := waitFor(10*time.Second, "replica catches up", caughtUp); err != nil {
		return 0, err
	}
	if err := m.Signal(syscall.SIGSTOP); err != nil {
		return 0, err
	}
	limit := time.Duration(replTimeout+10) * time.Second
	if err := waitFor(limit, "replica notices the frozen master", linkIs("down")); err != nil {
		return 0, err
	}
	if err := m.Signal(syscall.SIGCONT); err != nil {
		return 0, err
	}
	if err := waitFor(limit, "replica relinks and catches up", caughtUp); err != nil {
		return 0, err
	}
	return time.Since(began), nil
}

func linkUp(rc *redisproc.Conn) bool {
	v, err := rc.InfoField("replication", "master_link_status")
	return err == nil && v == "up"
}
