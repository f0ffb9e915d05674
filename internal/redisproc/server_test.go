package redisproc_test

import (
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redisproc"
	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
)

// startRedis starts a redis-server that keeps nothing on disk.
func startRedis(t *testing.T, args ...string) *redisproc.Server {
	t.Helper()
	bin := redistest.RequireBinary(t, "redis-server")
	s, err := redisproc.Start(t.TempDir(), bin, append([]string{"--save", "", "--appendonly", "no"}, args...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Kill() })
	return s
}

func dial(t *testing.T, s *redisproc.Server) *redisproc.Conn {
	t.Helper()
	c, err := s.Dial()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// A master and a replica: commands, INFO, the replication link, waiting.
func TestRealRedisReplicates(t *testing.T) {
	m := startRedis(t, "--repl-diskless-sync-delay", "0")
	r := startRedis(t, "--replicaof", "127.0.0.1", strconv.Itoa(m.Port))
	assert.Contains(t, m.Log(), "Ready to accept connections")
	mc, rc := dial(t, m), dial(t, r)

	require.NoError(t, redisproc.Wait(10*time.Second, func() (bool, error) {
		v, err := rc.InfoField("replication", "master_link_status")
		return v == "up", err
	}))
	raw, err := mc.DoRaw("SET", "k", "v")
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n", string(raw))
	require.NoError(t, redisproc.Wait(10*time.Second, func() (bool, error) {
		v, err := rc.Do("GET", "k")
		return string(v.Str) == "v", err
	}))
	role, err := rc.InfoField("replication", "role")
	require.NoError(t, err)
	assert.Equal(t, "slave", role)
	v, err := rc.Do("SET", "k", "w")
	require.NoError(t, err)
	assert.Equal(t, resp.Error, v.Kind, "a replica is read-only")
}

// ReadRaw reads what the server pushes without a command.
func TestRealRedisPushesToASubscriber(t *testing.T) {
	s := startRedis(t)
	sub, pub := dial(t, s), dial(t, s)
	_, err := sub.DoRaw("SUBSCRIBE", "ch")
	require.NoError(t, err)
	v, err := pub.Do("PUBLISH", "ch", "hi")
	require.NoError(t, err)
	assert.Equal(t, int64(1), v.Int)
	raw, err := sub.ReadRaw()
	require.NoError(t, err)
	assert.Equal(t, "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", string(raw))
}

// A password makes every command answer -NOAUTH: the server is ready.
func TestRealRedisWithAPasswordIsReady(t *testing.T) {
	s := startRedis(t, "--requirepass", "secret")
	c := dial(t, s)
	_, err := c.InfoField("replication", "role")
	assert.ErrorContains(t, err, "NOAUTH")
	v, err := c.Do("AUTH", "secret")
	require.NoError(t, err)
	assert.Equal(t, "OK", string(v.Str))
}

// SIGSTOP freezes the server (a command times out), SIGCONT thaws it;
// Kill works on a frozen server and is idempotent.
func TestRealRedisSignalsAndKill(t *testing.T) {
	s := startRedis(t)
	c := dial(t, s)
	c.Timeout = 200 * time.Millisecond
	require.NoError(t, s.Signal(syscall.SIGSTOP))
	_, err := c.Do("PING")
	assert.ErrorContains(t, err, "timeout")

	require.NoError(t, s.Signal(syscall.SIGCONT))
	c = dial(t, s)
	v, err := c.Do("PING")
	require.NoError(t, err)
	assert.Equal(t, "PONG", string(v.Str))

	require.NoError(t, s.Signal(syscall.SIGSTOP))
	require.NoError(t, s.Kill())
	assert.True(t, closed(s.Done()))
	assert.NoError(t, s.Kill(), "killing an exited server does nothing")
}

func TestRealRedisStopsOnSIGTERM(t *testing.T) {
	s := startRedis(t)
	require.NoError(t, s.Stop(10*time.Second))
	assert.True(t, closed(s.Done()))
	assert.Contains(t, s.Log(), "ready to exit, bye bye")
}

// The port is taken: redis-server logs why on stdout and exits.
func TestRealRedisExitsOnATakenPort(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	_, err = redisproc.Start(t.TempDir(), bin, "--bind", "127.0.0.1", "--port", port, "--save", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redis-server exited at start (exit status 1): ")
	assert.Contains(t, err.Error(), "Failed listening on port "+port+" (TCP), aborting.", "the last line it printed")
}

func TestRealRedisExitsOnABadOption(t *testing.T) {
	bin := redistest.RequireBinary(t, "redis-server")
	_, err := redisproc.Start(t.TempDir(), bin, "--nosuch", "x")
	assert.EqualError(t, err, "redis-server exited at start (exit status 1): *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***",
		"the first line on stderr")
}

// A program that exits at once: Start reports its first stderr line
// promptly instead of polling a port nobody will open.
func TestStartReportsAnExitAtOnce(t *testing.T) {
	dir := t.TempDir()
	began := time.Now()
	_, err := redisproc.Start(dir, "/bin/sh", "-c", "echo starting; echo >&2; echo 'bad flag' >&2; echo second >&2; exit 3")
	assert.EqualError(t, err, "sh exited at start (exit status 3): bad flag")
	assert.Less(t, time.Since(began), 5*time.Second)

	_, err = redisproc.Start(dir, "/bin/sh", "-c", "exit 4")
	assert.EqualError(t, err, "sh exited at start (exit status 4): (no output)")

	_, err = redisproc.Start(dir, "/bin/sh", "-c", "echo one; echo last; kill -9 $$")
	assert.EqualError(t, err, "sh exited at start (signal: killed): last")
}

// A program that never listens: WaitReady gives up at its timeout, and
// the process can still be killed.
func TestWaitReadyIsBoundedWhenNothingListens(t *testing.T) {
	s, err := redisproc.Spawn(t.TempDir(), "/bin/sh", "-c", "exec sleep 30")
	require.NoError(t, err)
	defer s.Kill()
	began := time.Now()
	err = s.WaitReady(300 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not ready on port "+strconv.Itoa(s.Port)+" within 300ms: ")
	assert.Contains(t, err.Error(), "refused")
	assert.Less(t, time.Since(began), 3*time.Second)
	require.NoError(t, s.Kill())
	assert.True(t, closed(s.Done()))
}

// The port accepts connections but nobody answers PING.
func TestWaitReadyIsBoundedWhenThePortNeverAnswers(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	// sh -c takes the arguments after the script as $0, $1: the port is
	// given, so Spawn appends none.
	s, err := redisproc.Spawn(t.TempDir(), "/bin/sh", "-c", "exec sleep 30", "--port", port)
	require.NoError(t, err)
	defer s.Kill()
	assert.Equal(t, port, strconv.Itoa(s.Port))
	began := time.Now()
	err = s.WaitReady(300 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PING: ")
	assert.Contains(t, err.Error(), "timeout")
	assert.Less(t, time.Since(began), 3*time.Second)
}

// A process that ignores SIGTERM is killed once Stop's timeout passes.
func TestStopKillsWhatIgnoresSIGTERM(t *testing.T) {
	s, err := redisproc.Spawn(t.TempDir(), "/bin/sh", "-c", "trap '' TERM; echo trapped; exec sleep 30")
	require.NoError(t, err)
	defer s.Kill()
	require.NoError(t, redisproc.Wait(5*time.Second, func() (bool, error) {
		return strings.Contains(s.Log(), "trapped"), nil
	}))
	err = s.Stop(200 * time.Millisecond)
	assert.ErrorContains(t, err, "did not exit within 200ms of SIGTERM; killed")
	assert.True(t, closed(s.Done()))
}

func TestSpawnRejectsBadInput(t *testing.T) {
	_, err := redisproc.Spawn(t.TempDir(), "/bin/sh", "--port", "six")
	assert.EqualError(t, err, `sh: --port "six" is not a number`)
	_, err = redisproc.Spawn(t.TempDir(), "/nonexistent/redis-server")
	assert.ErrorContains(t, err, "start /nonexistent/redis-server: ")
	_, err = redisproc.Spawn("/nonexistent/dir", "/bin/sh")
	assert.Error(t, err, "no directory for the log")
}

func TestFreePortIsFree(t *testing.T) {
	p, err := redisproc.FreePort()
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	require.NoError(t, err)
	l.Close()
}

// closed says whether ch is closed, without blocking.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
